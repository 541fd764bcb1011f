"""The built-in methods: valid, in Dutch and English, loaded on every installation."""

import copy
import json

import pytest
from django.utils import translation

from kring.methods import builtin, services, structure
from kring.methods.models import Method, MethodVersion

REQUIRED = {
    "six-step",
    "six-phase-basic",
    "incident",
    "balint",
    "gossip",
    "five-step",
    "ten-step",
    "socratic",
    "action-learning-set",
    "troika",
    "kollegiale-beratung",
    "quality-seven-step",
}


def _texts(content):
    yield content["name"]
    yield content["description"]
    for phase in content["phases"]:
        yield phase["title"]
        yield from phase["instructions"].values()


def test_at_least_twelve_built_in_methods_ship_including_those_of_the_mission():
    contents = builtin.builtin_contents()
    assert len(contents) >= 12
    assert REQUIRED <= set(contents)


@pytest.mark.parametrize("key", sorted(REQUIRED))
def test_every_built_in_method_is_valid_and_has_dutch_and_english_for_every_text(key):
    content = builtin.builtin_contents()[key]
    assert structure.validate(content) == []
    for text in _texts(content):
        assert text["nl"].strip() and text["en"].strip()
        assert text["nl"] != text["en"] or text["nl"] == "Action learning set"


def test_the_incident_methods_minutes_match_the_mission():
    phases = builtin.builtin_contents()["incident"]["phases"]
    # mission.md: review (5), cases brought in (10), choose one (5), fact questions (15),
    # analysis without the presenter (10), advice round (10), evaluation and follow-up (10).
    assert [phase["minutes"] for phase in phases] == [5, 10, 5, 15, 10, 10, 10]
    assert phases[3]["input"] == "questions"
    assert (
        "presenter" not in phases[4]["instructions"]
        or "luister" in (phases[4]["instructions"]["presenter"]["nl"])
    )


def test_the_six_step_method_has_the_presenter_pick_one_hidden_problem_statement():
    phases = builtin.builtin_contents()["six-step"]["phases"]
    assert [phase["input"] for phase in phases] == [
        "none",
        "questions",
        "problem_statements",
        "presenter_choice",
        "gossip",
        "takeaways",
    ]
    assert phases[2]["reveal"] == "on_reveal"
    assert phases[4]["instructions"]["presenter"]["en"].endswith("do not react.")


def test_the_socratic_dialogue_has_the_presenter_rate_questions():
    inputs = [phase["input"] for phase in builtin.builtin_contents()["socratic"]["phases"]]
    assert "ratings" in inputs


@pytest.mark.django_db
def test_the_data_migration_put_every_built_in_method_in_the_database():
    keys = set(Method.objects.filter(organisation=None).values_list("builtin_key", flat=True))
    assert REQUIRED <= keys
    six_step = Method.objects.get(builtin_key="six-step")
    with translation.override("nl"):
        assert six_step.current.name == "Zesstappenmethode"
    with translation.override("en"):
        assert six_step.current.name == "Six-step method"


@pytest.mark.django_db
def test_loading_again_adds_nothing_and_a_changed_file_becomes_a_new_version(monkeypatch):
    before = MethodVersion.objects.count()
    assert services.load_builtin_methods() == 0
    assert MethodVersion.objects.count() == before

    contents = builtin.builtin_contents()
    changed = copy.deepcopy(contents["troika"])
    changed["phases"][2]["minutes"] = 7
    added = dict(contents, troika=changed, **{"brand-new": copy.deepcopy(contents["gossip"])})
    monkeypatch.setattr(builtin, "builtin_contents", lambda: added)
    assert services.load_builtin_methods() == 2
    troika = Method.objects.get(builtin_key="troika")
    assert [v.number for v in troika.versions.all()] == [1, 2]
    assert troika.current.content["phases"][2]["minutes"] == 7
    assert troika.versions.get(number=1).content["phases"][2]["minutes"] == 5
    assert Method.objects.filter(builtin_key="brand-new", organisation=None).exists()


def test_the_data_files_are_plain_json_that_a_person_can_read():
    for path in builtin.DIRECTORY.glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))
