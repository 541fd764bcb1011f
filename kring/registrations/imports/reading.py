"""Reading an uploaded CSV or Excel file into headers and numbered rows of text."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

import tablib
from django.utils.translation import gettext as _

# Exports put an apostrophe before what starts like a formula; the import takes it off.
from kring.core.spreadsheets import FORMULA_STARTS

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse zip bombs before reading
MAX_ROWS = 5000
FILE_TYPES = {"csv", "xlsx"}
CSV_DELIMITERS = [";", ",", "\t"]


class ImportFileError(Exception):
    """The file cannot be used at all; the message says why, for the coordinator."""


@dataclass
class ImportTable:
    """A file's header row and data rows, as text; `rows` holds (row number, cells)."""

    file_name: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]

    def to_session(self) -> dict:
        return {"file_name": self.file_name, "headers": self.headers, "rows": self.rows}

    @classmethod
    def from_session(cls, data: dict) -> "ImportTable":
        rows = [(int(number), [str(cell) for cell in cells]) for number, cells in data["rows"]]
        return cls(file_name=data["file_name"], headers=list(data["headers"]), rows=rows)

    def cell(self, cells: list[str], column: int | None) -> str:
        if column is None or column >= len(cells):
            return ""
        return cells[column]


def read_table(uploaded) -> ImportTable:
    """Read an uploaded .csv or .xlsx file; the type follows the file name's extension."""
    file_name = uploaded.name or ""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in FILE_TYPES:
        raise ImportFileError(
            _(
                "Choose a CSV file (.csv) or an Excel file (.xlsx). Older Excel files (.xls) "
                "can be saved as .xlsx in Excel."
            )
        )
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into smaller files."))
    content = uploaded.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than 5 MB. Split it into smaller files."))
    raw_rows = _read_csv(content) if extension == "csv" else _read_xlsx(content)
    return _table_from_rows(file_name, raw_rows)


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (older Dutch Excel)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most columns (Dutch Excel: ;)."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")

    def columns(delimiter):
        return len(next(csv.reader([first_line], delimiter=delimiter), []))

    return max(CSV_DELIMITERS, key=lambda delimiter: (columns(delimiter), delimiter == ";"))


def _read_csv(content: bytes) -> list[list]:
    unreadable = _(
        "The file could not be read as a CSV file. Save it from Excel as "
        "“CSV (comma or semicolon separated)” and try again."
    )
    text = _decode(content)
    if "\x00" in text:
        raise ImportFileError(unreadable)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
        rows = []
        for row in reader:
            rows.append(row)
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(_too_many_rows())
        return rows
    except csv.Error as error:
        raise ImportFileError(unreadable) from error


def _read_xlsx(content: bytes) -> list[list]:
    unreadable = _(
        "The file could not be read as an Excel file (.xlsx). Open it in Excel, "
        "save it as “Excel workbook (.xlsx)” and try again."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError(unreadable) from error
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError(_too_many_rows())
    dataset = tablib.Dataset()
    try:
        dataset.load(content, format="xlsx", headers=False)
    except Exception as error:  # any failure to read a foreign file means "unreadable"
        raise ImportFileError(unreadable) from error
    if dataset.height > MAX_ROWS + 1:
        raise ImportFileError(_too_many_rows())
    return [list(row) for row in dataset]


def _too_many_rows() -> str:
    return _("The file has more than %(count)s rows. Split it into smaller files.") % {
        "count": MAX_ROWS
    }


def _as_text(value) -> str:
    """A cell as the text a person sees; numbers without a trailing .0, dates as a Dutch
    spreadsheet writes them (04-02-2027, 04-02-2027 09:30): they are shown in the preview
    and may be kept as a free attribute."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.strftime("%d-%m-%Y" if value.time() == time(0) else "%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    text = str(value).replace("\xa0", " ").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _table_from_rows(file_name: str, raw_rows: list[list]) -> ImportTable:
    """The first non-empty row is the header; empty rows are skipped but keep their number."""
    numbered = [
        (number, [_as_text(cell) for cell in row]) for number, row in enumerate(raw_rows, 1)
    ]
    numbered = [(number, cells) for number, cells in numbered if any(cells)]
    if not numbered:
        raise ImportFileError(_("The file is empty."))
    (_header_number, headers), data = numbered[0], numbered[1:]
    width = max(len(cells) for _number, cells in numbered)
    headers = headers + [""] * (width - len(headers))
    headers = [
        header or _("Column %(letter)s") % {"letter": _column_letter(index)}
        for index, header in enumerate(headers)
    ]
    if not data:
        raise ImportFileError(
            _("The file has a header row but no rows with participants below it.")
        )
    rows = [(number, cells + [""] * (width - len(cells))) for number, cells in data]
    return ImportTable(file_name=file_name, headers=headers, rows=rows)
