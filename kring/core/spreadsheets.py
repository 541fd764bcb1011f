"""Cells for spreadsheets that Kring writes (CSV and Excel exports of every kind).

A cell that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) would run as
one when the file is opened in Excel or LibreOffice ("formula injection"). Every exported
cell and header goes through `safe_cell`; the import strips the apostrophe again.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as a spreadsheet may show it: text that starts like a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value
