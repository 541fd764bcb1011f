"""The import pages over HTTP: upload → columns → report → import, exports, and access."""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kring.programmes.models import Registration
from tests.factories import FunctionLevelFactory, MembershipFactory, UserFactory

HEADER = "E-mail;Naam;Functieniveau;Afdeling;Leidinggevende;Team"


def _url(name, world, **kwargs):
    return reverse(f"programmes:{name}", kwargs={"programme_id": world.programme.pk, **kwargs})


def _upload(client, world, *lines, name="deelnemers.csv"):
    content = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
    return client.post(
        _url("import_participants", world), {"file": SimpleUploadedFile(name, content)}
    )


def _columns(client, world, **choices):
    data = {
        "email": "0",
        "full_name": "1",
        "function_level": "2",
        "department": "3",
        "location": "",
        "profession": "",
        "line_manager_email": "4",
        **choices,
    }
    return client.post(_url("import_columns", world), data)


@pytest.fixture
def coordinator(world, login):
    FunctionLevelFactory(organisation=world.organisation, name="Senior", rank=1)
    return login(world.people["coordinator"])


def test_the_coordinator_uploads_maps_checks_and_imports(world, coordinator):
    for email in ["anna@example.org", "bart@example.org"]:
        MembershipFactory(user=UserFactory(email=email), organisation=world.organisation)
    response = _upload(
        coordinator,
        world,
        HEADER,
        "anna@example.org;Anna;Senior;Wijkzorg;line_manager@example.org;Noord",
        "bart@example.org;Bart;;Wijkzorg;anna@example.org;Zuid",
    )
    assert response.status_code == 302
    assert response["Location"] == _url("import_columns", world)

    page = coordinator.get(_url("import_columns", world))
    assert page.status_code == 200
    body = page.content.decode()
    assert "anna@example.org" in body  # the preview of the first rows
    assert page.context["form"]["email"].value() == "0"  # proposed from the header
    assert page.context["form"]["line_manager_email"].value() == "4"

    response = _columns(coordinator, world, extra_columns=["5"])
    assert response.status_code == 302
    assert response["Location"] == _url("import_check", world)

    report = coordinator.get(_url("import_check", world))
    assert report.context["plan"].ok
    assert _url("import_confirm", world) in report.content.decode()
    assert not Registration.objects.exists()  # nothing written before the button

    response = coordinator.post(
        _url("import_confirm", world), {"fingerprint": report.context["fingerprint"]}
    )
    assert response.status_code == 302
    assert response["Location"] == _url("import_invitations", world)
    registrations = Registration.objects.filter(programme=world.programme).order_by("user__email")
    assert [r.user.email for r in registrations] == ["anna@example.org", "bart@example.org"]
    assert registrations[1].line_manager.email == "anna@example.org"
    assert registrations[0].extra_attributes == {"Team": "Noord"}
    # The import is finished: the session forgets the file.
    assert coordinator.get(_url("import_check", world))["Location"] == _url(
        "import_participants", world
    )


def test_the_report_lists_every_problem_and_offers_no_import_button(world, coordinator):
    _upload(
        coordinator,
        world,
        HEADER,
        "anna@example.org;Anna;Directeur;Wijkzorg;;",
        "anna@example.org;Anna again;;;;",
        "bart@example.org;Bart;;;onbekend@example.org;",
    )
    _columns(coordinator, world)
    report = coordinator.get(_url("import_check", world))
    assert report.status_code == 200
    rows = [(problem.row, problem.column) for problem in report.context["problems"]]
    assert rows == [(2, "Functieniveau"), (3, "E-mail"), (4, "Leidinggevende")]
    body = report.content.decode()
    assert _url("import_confirm", world) not in body
    assert ">Functieniveau</td>" in body and ">4 (Bart)</td>" in body

    # Pressing import anyway (an old tab) writes nothing.
    response = coordinator.post(
        _url("import_confirm", world), {"fingerprint": report.context["fingerprint"]}
    )
    assert response["Location"] == _url("import_check", world)
    assert not Registration.objects.exists()


def test_a_stale_report_does_not_import_another_file(world, coordinator):
    _upload(coordinator, world, HEADER, "anna@example.org;Anna;;;;")
    _columns(coordinator, world)
    fingerprint = coordinator.get(_url("import_check", world)).context["fingerprint"]
    _upload(coordinator, world, HEADER, "bart@example.org;Bart;;;;")  # in another tab
    coordinator.post(_url("import_confirm", world), {"fingerprint": fingerprint})
    assert not Registration.objects.exists()


def test_the_column_form_keeps_the_choices_on_an_error(world, coordinator):
    _upload(coordinator, world, HEADER, "anna@example.org;Anna;;;;")
    response = _columns(coordinator, world, full_name="", department="0", extra_columns=["5"])
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"full_name", "department"}  # required; column used twice
    assert form["department"].value() == "0"
    assert form["extra_columns"].value() == ["5"]


def test_an_unusable_file_is_refused_on_the_upload_page(world, coordinator):
    response = _upload(coordinator, world, "just a header", name="people.xls")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    response = _upload(coordinator, world, "E-mail;Naam")
    assert response.context["form"].errors["file"]


def test_an_excel_file_can_be_imported(world, coordinator):
    dataset = tablib.Dataset(headers=["E-mailadres", "Naam"])
    dataset.append(["anna@example.org", "Anna"])
    coordinator.post(
        _url("import_participants", world),
        {"file": SimpleUploadedFile("deelnemers.xlsx", dataset.export("xlsx"))},
    )
    mapping = coordinator.get(_url("import_columns", world)).context["form"]
    assert (mapping["email"].value(), mapping["full_name"].value()) == ("0", "1")


def test_the_steps_after_the_upload_need_a_file(world, coordinator):
    for name in ["import_columns", "import_check"]:
        response = coordinator.get(_url(name, world))
        assert response["Location"] == _url("import_participants", world)


@pytest.mark.parametrize(
    ("file_format", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_the_coordinator_downloads_the_participant_list(
    world, coordinator, file_format, content_type
):
    Registration.objects.create(programme=world.programme, user=world.people["participant"])
    response = coordinator.get(_url("export_participants", world, file_format=file_format))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_export_format_is_not_found(world, coordinator):
    response = coordinator.get(_url("export_participants", world, file_format="pdf"))
    assert response.status_code == 404


def test_the_programme_page_links_coordinators_to_import_and_export(world, coordinator, login):
    body = coordinator.get(_url("detail", world)).content.decode()
    assert _url("import_participants", world) in body
    assert _url("export_participants", world, file_format="xlsx") in body
    body = login(world.people["participant"]).get(_url("detail", world)).content.decode()
    assert _url("import_participants", world) not in body


@pytest.mark.parametrize(("role", "status"), [("participant", 403), ("other_admin", 404)])
def test_only_managers_of_the_programme_may_import(world, login, role, status):
    client = login(world.people[role])
    response = _upload(client, world, HEADER, "anna@example.org;Anna;;;;")
    assert response.status_code == status
    response = client.get(_url("export_participants", world, file_format="csv"))
    assert response.status_code == status
    assert not Registration.objects.exists()


def test_the_organisation_admin_may_import(world, login):
    response = _upload(login(world.people["admin"]), world, HEADER, "anna@example.org;Anna;;;;")
    assert response.status_code == 302
