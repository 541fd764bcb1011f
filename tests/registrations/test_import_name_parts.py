"""An HR export splits the name: first name, infix (*tussenvoegsel*) and last name.

The import takes those columns as well as one full-name column, builds the name as it is
written ("Jan van der Berg"), and the report names the person on a row with a problem.
"""

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kring.accounts.models import Invitation
from kring.registrations import imports

HR_HEADER = ["Personeelsnummer", "Voornaam", "Tussenvoegsel", "Achternaam", "E-mailadres"]
HR_ROWS = [
    ["1001", "Jan", "van der", "Berg", "jan.vanderberg@example.org"],
    ["1002", "Fatima", "", "El Amrani", "fatima@example.org"],
    ["1003", "Sanne", "de", "Wit", "sanne.dewit@example.org"],
]


def _csv(header, rows):
    text = "\r\n".join(";".join(row) for row in [header, *rows]) + "\r\n"
    return SimpleUploadedFile("hr-export.csv", ("\ufeff" + text).encode())


def _xlsx(header, rows):
    dataset = tablib.Dataset(*rows, headers=header)
    return SimpleUploadedFile("hr-export.xlsx", dataset.export("xlsx"))


@pytest.mark.parametrize("make_file", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_first_name_infix_and_last_name_columns_are_found_and_make_the_full_name(world, make_file):
    table = imports.read_table(make_file(HR_HEADER, HR_ROWS))
    mapping = imports.propose_mapping(table, programme=world.programme)
    assert mapping.columns["full_name"] is None
    assert [mapping.columns[key] for key in ("first_name", "infix", "last_name")] == [1, 2, 3]
    assert mapping.columns["email"] == 4

    plan = imports.check_import(programme=world.programme, table=table, mapping=mapping)
    assert plan.problems == []
    assert [person.full_name for person in plan.people] == [
        "Jan van der Berg",
        "Fatima El Amrani",
        "Sanne de Wit",
    ]


def test_the_imported_people_are_invited_under_their_whole_name(world):
    table = imports.read_table(_csv(HR_HEADER, HR_ROWS))
    mapping = imports.propose_mapping(table, programme=world.programme)
    imports.import_participants(
        programme=world.programme, table=table, mapping=mapping, by=world.people["coordinator"]
    )
    invitation = Invitation.objects.get(email="jan.vanderberg@example.org")
    assert invitation.full_name == "Jan van der Berg"


def test_a_full_name_column_wins_over_name_parts(world):
    header = ["Naam", "Voornaam", "Achternaam", "E-mail"]
    table = imports.read_table(
        _csv(header, [["J.P. van der Berg", "Jan", "Berg", "jan@example.org"]])
    )
    mapping = imports.propose_mapping(table, programme=world.programme)
    plan = imports.check_import(programme=world.programme, table=table, mapping=mapping)
    assert [person.full_name for person in plan.people] == ["J.P. van der Berg"]


def test_a_row_with_a_problem_is_named_after_its_person(world):
    rows = [*HR_ROWS, ["1004", "Jan", "van der", "Berg", "geen-adres"]]
    table = imports.read_table(_csv(HR_HEADER, rows))
    mapping = imports.propose_mapping(table, programme=world.programme)
    plan = imports.check_import(programme=world.programme, table=table, mapping=mapping)
    assert [(p.row, p.person, p.column) for p in plan.problems] == [
        (5, "Jan van der Berg", "E-mailadres")
    ]


def test_a_missing_last_name_is_reported_on_the_name_columns(world):
    table = imports.read_table(_csv(HR_HEADER, [["1", "", "", "", "leeg@example.org"]]))
    mapping = imports.propose_mapping(table, programme=world.programme)
    plan = imports.check_import(programme=world.programme, table=table, mapping=mapping)
    assert [(p.row, p.column) for p in plan.problems] == [
        (2, "Voornaam + Tussenvoegsel + Achternaam")
    ]


def _url(name, world):
    return reverse(f"programmes:{name}", kwargs={"programme_id": world.programme.pk})


def test_the_report_page_says_whose_row_needs_correcting(world, login):
    client = login(world.people["coordinator"])
    rows = [*HR_ROWS, ["1004", "Jan", "van der", "Berg", "geen-adres"]]
    client.post(_url("import_participants", world), {"file": _csv(HR_HEADER, rows)})
    client.post(
        _url("import_columns", world),
        {"email": "4", "first_name": "1", "infix": "2", "last_name": "3"},
    )
    body = client.get(_url("import_check", world)).content.decode()
    assert "5 (Jan van der Berg)" in body
    assert "“geen-adres” is geen geldig e-mailadres." in body or "geen-adres" in body


def test_the_columns_page_asks_for_a_name_when_neither_full_name_nor_parts_are_chosen(world, login):
    client = login(world.people["coordinator"])
    client.post(_url("import_participants", world), {"file": _csv(HR_HEADER, HR_ROWS)})
    response = client.post(_url("import_columns", world), {"email": "4", "first_name": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]
    assert response.context["form"].data["first_name"] == "1"  # what was chosen stays


def test_a_date_cell_of_an_excel_file_reads_as_a_dutch_date_not_iso(world):
    from datetime import date, datetime

    header = ["Naam", "E-mail", "In dienst", "Laatste gesprek"]
    rows = [["Jan", "jan@example.org", date(2027, 2, 4), datetime(2027, 2, 4, 9, 30)]]
    table = imports.read_table(_xlsx(header, rows))
    assert table.rows[0][1][2:] == ["04-02-2027", "04-02-2027 09:30"]
