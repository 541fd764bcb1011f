"""A method's structure is checked as a whole, with clear Dutch errors saying where."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kring.methods import builtin, structure
from kring.methods.models import Method, MethodVersion


@pytest.fixture
def content():
    return copy.deepcopy(builtin.builtin_contents()["five-step"])


def _problems(content):
    with translation.override("nl"):
        return [str(problem) for problem in structure.validate(content)]


def test_a_valid_method_has_no_problems(content):
    assert structure.validate(content) == []


def test_a_missing_english_title_is_named_by_phase_and_language(content):
    content["phases"][2]["title"]["en"] = "  "
    assert _problems(content) == ["Fase 3, titel (Engels): deze tekst ontbreekt."]


def test_every_problem_is_reported_at_once(content):
    content["complexity"] = "expert"
    content["phases"][0]["minutes"] = 0
    content["phases"][1]["input"] = "essays"
    content["phases"][1]["instructions"]["dancer"] = {"nl": "Dans", "en": "Dance"}
    problems = _problems(content)
    assert len(problems) == 4
    assert problems[0].startswith("Complexiteit: onbekende waarde expert")
    assert problems[1] == "Fase 1, minuten: geef een heel aantal minuten van 1 tot 240."
    assert problems[2].startswith("Fase 2, invoer: onbekende waarde essays")
    assert problems[3] == "Fase 2, dancer: onbekende rol."


def test_instructions_for_a_role_the_method_does_not_use_are_refused(content):
    content["roles"] = ["presenter", "questioners"]
    problems = _problems(content)
    assert (
        "Fase 1, Procesbegeleider: deze rol hoort niet bij de rollen van de werkvorm." in problems
    )


def test_a_method_without_phases_or_kinds_of_case_is_refused(content):
    content["phases"] = []
    content["case_kinds"] = []
    assert _problems(content) == [
        "Soorten casus: kies er minstens één.",
        "Fasen: geef minstens één fase.",
    ]


def test_something_that_is_no_method_at_all_is_refused():
    assert _problems(["a", "list"]) == [
        "Een werkvorm bestaat uit velden met een naam (een JSON-object)."
    ]


@pytest.mark.django_db
def test_a_saved_version_cannot_be_changed_or_saved_invalid(content):
    method = Method.objects.create(builtin_key="test-only")
    version = MethodVersion.objects.create(method=method, number=1, content=content)
    version.content["phases"][0]["minutes"] = 99
    with pytest.raises(ValidationError):
        version.save()
    bad = copy.deepcopy(content)
    bad["name"] = {"nl": "Alleen Nederlands"}
    with pytest.raises(ValidationError):
        MethodVersion.objects.create(method=method, number=2, content=bad)
    assert MethodVersion.objects.get(pk=version.pk).content["phases"][0]["minutes"] == 5


def test_a_missing_choice_says_it_is_missing_and_what_to_choose_from(content):
    del content["complexity"]
    assert _problems(content) == [
        "Complexiteit: ontbreekt; kies uit new_group, experienced_group, advanced."
    ]
