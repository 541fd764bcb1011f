"""The methods library as its users see it: list and filter, read, copy, edit, versions,
export and import."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kring.methods import services
from kring.methods.models import Method, MethodVersion


def _builtin(key):
    return Method.objects.get(builtin_key=key, organisation=None)


def _copy(world, key="five-step"):
    return services.copy_method(
        method=_builtin(key), organisation=world.organisation, by=world.people["coordinator"]
    )


def _edit_data(method):
    """The edit form as the browser sends it, filled from the current version."""
    content = method.current.content
    data = {
        "name_nl": content["name"]["nl"],
        "name_en": content["name"]["en"],
        "description_nl": content["description"]["nl"],
        "description_en": content["description"]["en"],
        "complexity": content["complexity"],
        "case_kinds": content["case_kinds"],
        "roles": content["roles"],
        "phase-TOTAL_FORMS": str(len(content["phases"]) + 1),
        "phase-INITIAL_FORMS": str(len(content["phases"])),
        "phase-MIN_NUM_FORMS": "0",
        "phase-MAX_NUM_FORMS": "20",
    }
    for index, phase in enumerate(content["phases"]):
        prefix = f"phase-{index}-"
        data.update(
            {
                prefix + "title_nl": phase["title"]["nl"],
                prefix + "title_en": phase["title"]["en"],
                prefix + "minutes": str(phase["minutes"]),
                prefix + "input": phase["input"],
                prefix + "reveal": phase["reveal"],
                prefix + "ORDER": str(index + 1),
            }
        )
        for role, text in phase["instructions"].items():
            data[prefix + f"{role}_nl"] = text["nl"]
            data[prefix + f"{role}_en"] = text["en"]
    return data


def test_the_library_lists_the_built_in_methods_in_the_viewers_language(world, login):
    client = login(world.people["participant"])
    page = client.get(reverse("methods:library")).content.decode()
    assert "Zesstappenmethode" in page and "Incidentmethode" in page
    client.post(reverse("accounts:switch_language"), {"language": "en"})
    with translation.override("en"):
        page = client.get(reverse("methods:library")).content.decode()
    assert "Six-step method" in page and "Incident method" in page


def test_the_library_filters_by_complexity_and_kind_of_case(world, login):
    client = login(world.people["participant"])
    page = client.get(reverse("methods:library"), {"complexity": "advanced"}).content.decode()
    assert "Balintmethode" in page and "Zesstappenmethode" not in page
    page = client.get(reverse("methods:library"), {"kind": "conflict"}).content.decode()
    assert "Balintmethode" in page and "Troika-consultatie" not in page
    # A value that is no choice filters nothing.
    page = client.get(reverse("methods:library"), {"complexity": "x' OR 1"}).content.decode()
    assert "Troika-consultatie" in page


def test_a_methods_page_shows_phases_minutes_total_inputs_and_role_instructions(world, login):
    page = (
        login(world.people["participant"])
        .get(reverse("methods:detail", args=[_builtin("incident").pk]))
        .content.decode()
    )
    assert "Feitenvragen, geen adviezen" in page
    assert "65 minuten in totaal" in page
    assert "Vraagt om: Vragen." in page
    assert "Je luistert alleen; je reageert nog niet." in page


def test_a_coordinator_copies_a_built_in_method_and_lands_on_its_edit_page(world, login):
    client = login(world.people["coordinator"])
    six_step = _builtin("six-step")
    response = client.post(reverse("methods:copy", args=[six_step.pk]))
    copy = Method.objects.get(organisation=world.organisation)
    assert response.headers["Location"] == reverse("methods:edit", args=[copy.pk])
    assert copy.copied_from == six_step.current
    assert copy.current.content == six_step.current.content
    page = client.get(reverse("methods:detail", args=[copy.pk])).content.decode()
    assert "Gekopieerd van" in page and "Zuid" not in page


def test_a_participant_may_read_but_not_copy_a_method(world, login):
    client = login(world.people["participant"])
    page = client.get(reverse("methods:detail", args=[_builtin("six-step").pk])).content.decode()
    assert "Kopieer" not in page
    assert client.post(reverse("methods:copy", args=[_builtin("six-step").pk])).status_code == 403
    assert not Method.objects.filter(organisation__isnull=False).exists()


def test_saving_an_edit_makes_a_new_version_and_keeps_the_old_one(world, login):
    copy = _copy(world)
    data = _edit_data(copy)
    data["phase-1-minutes"] = "25"
    data["phase-0-presenter_en"] = "You put your question in one sentence."
    response = login(world.people["facilitator"]).post(
        reverse("methods:edit", args=[copy.pk]), data
    )
    assert response.status_code == 302
    assert [v.number for v in copy.versions.all()] == [1, 2]
    assert copy.current.content["phases"][1]["minutes"] == 25
    assert copy.versions.get(number=1).content["phases"][1]["minutes"] == 15
    assert copy.current.created_by == world.people["facilitator"]


def test_a_phase_can_be_added_removed_and_moved(world, login):
    copy = _copy(world)
    data = _edit_data(copy)
    data.update(
        {
            "phase-5-title_nl": "Afsluiten",
            "phase-5-title_en": "Closing",
            "phase-5-minutes": "3",
            "phase-5-input": "none",
            "phase-5-reveal": "at_once",
            "phase-5-ORDER": "0",
            "phase-5-presenter_nl": "Je zegt hoe het ging.",
            "phase-5-presenter_en": "You say how it went.",
            "phase-2-DELETE": "on",
        }
    )
    login(world.people["coordinator"]).post(reverse("methods:edit", args=[copy.pk]), data)
    titles = [phase["title"]["en"] for phase in copy.current.content["phases"]]
    assert titles == ["Closing", "The question", "Clarification", "Advice", "Agreements"]


def test_an_edit_with_errors_saves_nothing_says_where_and_keeps_what_was_typed(world, login):
    copy = _copy(world)
    data = _edit_data(copy)
    data["name_nl"] = "Onze eigen vijf stappen"
    data["phase-3-questioners_en"] = ""  # Dutch without English
    response = login(world.people["coordinator"]).post(
        reverse("methods:edit", args=[copy.pk]), data
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fase 4, Vragenstellers (Engels): deze tekst ontbreekt." in page
    assert 'value="Onze eigen vijf stappen"' in page
    assert copy.versions.count() == 1


def test_a_built_in_method_has_no_edit_page(world, login):
    url = reverse("methods:edit", args=[_builtin("six-step").pk])
    assert login(world.people["coordinator"]).get(url).status_code == 403


def test_the_history_lists_every_version_with_who_saved_it(world, login):
    copy = _copy(world)
    content = json.loads(json.dumps(copy.current.content))
    content["phases"][0]["minutes"] = 8
    services.save_version(method=copy, content=content, by=world.people["facilitator"])
    page = (
        login(world.people["participant"])
        .get(reverse("methods:history", args=[copy.pk]))
        .content.decode()
    )
    assert "Facilitator" in page and "Coordinator" in page
    old = login(world.people["participant"]).get(
        reverse("methods:detail", args=[copy.pk]), {"version": "1"}
    )
    assert "Je bekijkt versie 1" in old.content.decode()


def test_an_exported_method_imports_into_another_organisation_unchanged(world, login):
    exported = login(world.people["participant"]).get(
        reverse("methods:export", args=[_builtin("socratic").pk])
    )
    assert exported["Content-Disposition"].startswith('attachment; filename="socratic-dialogue')
    client = login(world.people["other_admin"])
    response = client.post(
        reverse("methods:import"),
        {
            "organisation": world.other_organisation.pk,
            "file": SimpleUploadedFile("socratic.json", exported.content, "application/json"),
        },
    )
    imported = Method.objects.get(organisation=world.other_organisation)
    assert response.headers["Location"] == reverse("methods:detail", args=[imported.pk])
    assert imported.current.content == _builtin("socratic").current.content


@pytest.mark.parametrize(
    "change, report",
    [
        (
            lambda data: data["method"]["phases"][1].update(minutes="ten"),
            "Fase 2, minuten: geef een heel aantal minuten van 1 tot 240.",
        ),
        (
            lambda data: data["method"]["name"].pop("en"),
            "Naam (Engels): deze tekst ontbreekt.",
        ),
        (lambda data: data.update(format="other"), "Dit is geen werkvorm die uit Kring"),
    ],
)
def test_an_import_with_errors_reports_every_point_and_imports_nothing(
    change, report, world, login
):
    data = services.export_data(_builtin("five-step").current)
    change(data)
    data["method"]["phases"][0]["input"] = "poems"
    before = MethodVersion.objects.count()
    response = login(world.people["admin"]).post(
        reverse("methods:import"),
        {
            "organisation": world.organisation.pk,
            "file": SimpleUploadedFile("m.json", json.dumps(data).encode(), "application/json"),
        },
    )
    page = response.content.decode()
    assert report in page
    if "format" not in str(report) and "Kring" not in report:
        assert "Fase 1, invoer: onbekende waarde poems" in page
    assert MethodVersion.objects.count() == before
    assert not Method.objects.filter(organisation=world.organisation).exists()


def test_a_file_that_is_not_json_is_reported_with_its_line(world, login):
    response = login(world.people["admin"]).post(
        reverse("methods:import"),
        {
            "organisation": world.organisation.pk,
            "file": SimpleUploadedFile("m.json", b'{\n "format": \n}', "application/json"),
        },
    )
    assert "het probleem zit in regel 3" in response.content.decode()


def test_a_person_cannot_import_into_an_organisation_they_do_not_manage(world, login):
    response = login(world.people["admin"]).post(
        reverse("methods:import"),
        {
            "organisation": world.other_organisation.pk,
            "file": SimpleUploadedFile("m.json", b"{}", "application/json"),
        },
    )
    assert response.status_code == 200
    assert not Method.objects.filter(organisation=world.other_organisation).exists()
