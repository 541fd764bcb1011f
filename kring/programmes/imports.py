"""Importing participants from CSV and Excel: read, map columns, check everything, then write.

The coordinator sees a full report before anything is written, and the write is all or
nothing. The steps are separate so the views can keep the parsed rows in the session
between them:

1. `read_table` turns an uploaded file into an `ImportTable` (headers and rows, each row
   with the number the user sees in a spreadsheet), or raises `ImportFileError`;
2. `propose_mapping` guesses which column holds which field from Dutch and English headers;
3. `check_import` validates every row against the organisation and returns an `ImportPlan`
   with the problems (row, column, message) and a summary of what the import will do;
4. `import_participants` checks again inside one transaction and writes, or raises
   `ImportRejected` without writing anything.

Empty cells and unmapped fields leave what the organisation already knows about a person
unchanged; the programme's registration takes a snapshot of the result.

Only the organisation's active members are registered at once. Everyone else in the file
(a new person, someone with a Kring account elsewhere, a switched-off member) gets an
invitation that carries their imported details: nothing is granted, no membership and no
registration, until they accept. The coordinator chooses when the invitations are mailed.
The report speaks only of the organisation's own members, so it does not tell which
addresses have a Kring account.
"""

import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time

import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# Exports put an apostrophe before what starts like a formula; the import takes it off.
from kring.core.spreadsheets import FORMULA_STARTS
from kring.core.tokens import new_token
from kring.organisations.models import Department, FunctionLevel, Location, Membership

from .models import Programme, ProgrammeRole, Registration

User = get_user_model()

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse zip bombs before reading
MAX_ROWS = 5000
FILE_TYPES = {"csv", "xlsx"}
CSV_DELIMITERS = [";", ",", "\t"]


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...]
    max_length: int | None = None


# Our fields, in the order of the mapping form and of the export's columns. Aliases are
# headers seen in Dutch and English HR exports; the labels in every language count too.
FIELDS = [
    ImportField(
        "email",
        gettext_lazy("E-mail address"),
        True,
        (
            "email",
            "e-mail",
            "emailadres",
            "e-mailadres",
            "email address",
            "e-mail address",
            "mail",
            "mailadres",
            "werkmail",
            "zakelijk e-mailadres",
            "work email",
        ),
    ),
    ImportField(
        "full_name",
        gettext_lazy("Full name"),
        True,
        (
            "naam",
            "name",
            "full name",
            "volledige naam",
            "naam medewerker",
            "employee name",
            "medewerker",
            "deelnemer",
            "participant",
        ),
        max_length=150,
    ),
    ImportField(
        "function_level",
        gettext_lazy("Function level"),
        False,
        ("functieniveau", "function level", "niveau", "level", "functieschaal", "schaal", "grade"),
    ),
    ImportField(
        "department",
        gettext_lazy("Department"),
        False,
        ("afdeling", "department", "dept", "organisatieonderdeel", "unit"),
        max_length=120,
    ),
    ImportField(
        "location",
        gettext_lazy("Location"),
        False,
        ("locatie", "location", "vestiging", "werklocatie", "site"),
        max_length=120,
    ),
    ImportField(
        "profession",
        gettext_lazy("Profession"),
        False,
        ("beroep", "functie", "profession", "functienaam", "job title", "occupation", "discipline"),
        max_length=120,
    ),
    ImportField(
        "line_manager_email",
        gettext_lazy("Line manager's e-mail address"),
        False,
        (
            "leidinggevende",
            "manager e-mail",
            "manager email",
            "e-mail leidinggevende",
            "email leidinggevende",
            "e-mailadres leidinggevende",
            "leidinggevende e-mail",
            "line manager",
            "line manager e-mail",
            "line manager email",
            "manager",
        ),
    ),
]
FIELDS_BY_KEY = {spec.key: spec for spec in FIELDS}


class ImportFileError(Exception):
    """The file cannot be used at all; the message says why, for the coordinator."""


class ImportRejected(Exception):
    """The import found problems and wrote nothing."""

    def __init__(self, plan: "ImportPlan"):
        super().__init__(f"{len(plan.problems)} problems")
        self.plan = plan


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


@dataclass
class ColumnMapping:
    """Which column (index into the headers) holds each of our fields; extras are kept."""

    columns: dict[str, int | None]
    extra_columns: list[int] = field(default_factory=list)

    def to_session(self) -> dict:
        return {"columns": self.columns, "extra_columns": self.extra_columns}

    @classmethod
    def from_session(cls, data: dict) -> "ColumnMapping":
        return cls(columns=dict(data["columns"]), extra_columns=list(data["extra_columns"]))


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class PersonRow:
    """One checked row: the values to write, already normalised."""

    row: int
    email: str
    full_name: str
    function_level: FunctionLevel | None = None
    department: str = ""
    location: str = ""
    profession: str = ""
    line_manager_email: str = ""
    extra_attributes: dict = field(default_factory=dict)


@dataclass
class ImportPlan:
    problems: list[Problem]
    people: list[PersonRow]
    not_members: int = 0
    switched_off: list[str] = field(default_factory=list)
    existing_members: int = 0
    already_registered: int = 0
    withdrawn: list[str] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    new_locations: list[str] = field(default_factory=list)
    line_managers: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportResult:
    imported: int
    new_registrations: int
    invited: int


# 1. Reading files.


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
    """A cell as the text a person sees; numbers without a trailing .0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) else value
    if isinstance(value, date | datetime):
        return value.isoformat()
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


# 2. Proposing a mapping.


def _normalise_header(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def _names_for(spec: ImportField) -> set[str]:
    names = {_normalise_header(alias) for alias in spec.aliases} | {_normalise_header(spec.key)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(_normalise_header(str(spec.label)))
    return names


def known_extra_attributes(programme: Programme) -> set[str]:
    """Names of free attributes the organisation or programme already uses."""
    names = set()
    for attributes in Membership.objects.filter(organisation=programme.organisation).values_list(
        "extra_attributes", flat=True
    ):
        names.update(attributes or {})
    for attributes in programme.registrations.values_list("extra_attributes", flat=True):
        names.update(attributes or {})
    return names


def propose_mapping(table: ImportTable, *, programme: Programme) -> ColumnMapping:
    """Match headers to our fields by their Dutch and English names; known extras are kept."""
    normalised = [_normalise_header(header) for header in table.headers]
    columns: dict[str, int | None] = {}
    taken: set[int] = set()
    for spec in FIELDS:
        names = _names_for(spec)
        columns[spec.key] = next(
            (
                index
                for index, header in enumerate(normalised)
                if header in names and index not in taken
            ),
            None,
        )
        if columns[spec.key] is not None:
            taken.add(columns[spec.key])
    known = {_normalise_header(name) for name in known_extra_attributes(programme)}
    extras = [
        index for index, header in enumerate(normalised) if index not in taken and header in known
    ]
    return ColumnMapping(columns=columns, extra_columns=extras)


# 3. Checking.


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _members_by_email(organisation, emails) -> dict[str, Membership]:
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .annotate(email_lower=Lower("user__email"))
        .filter(email_lower__in=list(emails))
        .select_related("user", "department", "location", "line_manager__user")
    )
    return {membership.email_lower: membership for membership in memberships}


def _manager_chain_of_members(organisation) -> dict[str, str]:
    """E-mail → line manager's e-mail for the organisation's members, as it is now."""
    return {
        email.lower(): manager_email.lower()
        for email, manager_email in Membership.objects.filter(
            organisation=organisation, line_manager__isnull=False
        ).values_list("user__email", "line_manager__user__email")
    }


def _loops(edges: dict[str, str]) -> dict[str, list[str]]:
    """For every person in a loop of line managers, the loop starting at them."""
    in_loop: dict[str, list[str]] = {}
    finished: set[str] = set()
    for start in edges:
        path: list[str] = []
        position: dict[str, int] = {}
        current = start
        while current in edges and current not in finished and current not in position:
            position[current] = len(path)
            path.append(current)
            current = edges[current]
        if current in position:
            loop = path[position[current] :]
            for index, person in enumerate(loop):
                in_loop[person] = loop[index:] + loop[:index]
        finished.update(path)
    return in_loop


def check_import(*, programme: Programme, table: ImportTable, mapping: ColumnMapping) -> ImportPlan:
    """Validate the whole table; nothing is written. Messages are in the active language."""
    organisation = programme.organisation
    column_of = mapping.columns
    headers = table.headers

    def header(key):
        index = column_of.get(key)
        return headers[index] if index is not None else str(FIELDS_BY_KEY[key].label)

    def value(cells, key):
        return table.cell(cells, column_of.get(key))

    problems: list[Problem] = []

    def problem(row, key, message):
        problems.append(Problem(row=row, column=header(key), message=message))

    levels = {level.name.casefold(): level for level in organisation.function_levels.all()}
    level_names = [level.name for level in organisation.function_levels.order_by("rank")]
    departments = {
        name.casefold(): name for name in organisation.departments.values_list("name", flat=True)
    }
    locations = {
        name.casefold(): name for name in organisation.locations.values_list("name", flat=True)
    }
    new_departments: dict[str, str] = {}
    new_locations: dict[str, str] = {}

    emails_in_file: Counter = Counter()
    first_row_of: dict[str, int] = {}
    for number, cells in table.rows:
        email = value(cells, "email").lower()
        if email:
            emails_in_file[email] += 1
            first_row_of.setdefault(email, number)

    manager_emails = {value(cells, "line_manager_email").lower() for _n, cells in table.rows}
    members = _members_by_email(organisation, set(emails_in_file) | manager_emails - {""})

    people: list[PersonRow] = []
    for number, cells in table.rows:
        row_ok = True
        email = value(cells, "email").lower()
        full_name = value(cells, "full_name")
        if not email:
            problem(number, "email", _("The e-mail address is missing."))
            row_ok = False
        elif not _valid_email(email):
            problem(
                number, "email", _("“%(value)s” is not a valid e-mail address.") % {"value": email}
            )
            row_ok = False
        elif first_row_of[email] != number:
            problem(
                number,
                "email",
                _(
                    "The e-mail address %(email)s is also on row %(row)s. Each person may "
                    "appear only once."
                )
                % {"email": email, "row": first_row_of[email]},
            )
            row_ok = False
        if not full_name:
            problem(number, "full_name", _("The name is missing."))
            row_ok = False

        for key in ("full_name", "department", "location", "profession"):
            limit = FIELDS_BY_KEY[key].max_length
            if len(value(cells, key)) > limit:
                problem(
                    number, key, _("This is longer than %(limit)s characters.") % {"limit": limit}
                )
                row_ok = False

        level = None
        level_name = value(cells, "function_level")
        if level_name:
            level = levels.get(level_name.casefold())
            if level is None:
                if level_names:
                    message = _(
                        "“%(value)s” is not a function level of %(organisation)s. "
                        "The levels are: %(levels)s."
                    ) % {
                        "value": level_name,
                        "organisation": organisation.name,
                        "levels": ", ".join(level_names),
                    }
                else:
                    message = _(
                        "“%(value)s” is not a function level: %(organisation)s has no "
                        "scale of function levels yet. Leave the column out, or ask "
                        "the organisation admin to add the levels."
                    ) % {
                        "value": level_name,
                        "organisation": organisation.name,
                    }
                problem(number, "function_level", message)
                row_ok = False

        department = value(cells, "department")
        if department and department.casefold() not in departments:
            new_departments.setdefault(department.casefold(), department)
            department = new_departments[department.casefold()]
        elif department:
            department = departments[department.casefold()]
        location = value(cells, "location")
        if location and location.casefold() not in locations:
            new_locations.setdefault(location.casefold(), location)
            location = new_locations[location.casefold()]
        elif location:
            location = locations[location.casefold()]

        manager_email = value(cells, "line_manager_email").lower()
        if manager_email:
            if not _valid_email(manager_email):
                problem(
                    number,
                    "line_manager_email",
                    _(
                        "“%(value)s” is not a valid e-mail address. Line managers are found by "
                        "their e-mail address."
                    )
                    % {"value": manager_email},
                )
                row_ok = False
            elif manager_email == email:
                problem(
                    number, "line_manager_email", _("A person cannot be their own line manager.")
                )
                row_ok = False
            elif manager_email not in emails_in_file and not (
                manager_email in members and members[manager_email].is_active
            ):
                problem(
                    number,
                    "line_manager_email",
                    _(
                        "Unknown line manager %(email)s: this address is neither in the file "
                        "nor among the members of %(organisation)s."
                    )
                    % {"email": manager_email, "organisation": organisation.name},
                )
                row_ok = False

        extras = {}
        for index in mapping.extra_columns:
            if index < len(headers) and table.cell(cells, index):
                extras[headers[index]] = table.cell(cells, index)

        if row_ok:
            people.append(
                PersonRow(
                    row=number,
                    email=email,
                    full_name=full_name,
                    function_level=level,
                    department=department,
                    location=location,
                    profession=value(cells, "profession"),
                    line_manager_email=manager_email,
                    extra_attributes=extras,
                )
            )

    # Loops: the file's line managers replace the organisation's for the people in it.
    edges = _manager_chain_of_members(organisation)
    for person in people:
        if person.line_manager_email:
            edges[person.email] = person.line_manager_email
    loops = _loops(edges)
    looping = [person for person in people if person.email in loops and person.line_manager_email]
    for person in looping:
        loop = loops[person.email]
        problem(
            person.row,
            "line_manager_email",
            _("The line managers go round in a circle: %(loop)s.")
            % {"loop": " → ".join([*loop, loop[0]])},
        )
    looping_rows = {person.row for person in looping}
    people = [person for person in people if person.row not in looping_rows]

    problems.sort(
        key=lambda item: (
            item.row,
            headers.index(item.column) if item.column in headers else len(headers),
        )
    )
    plan = ImportPlan(
        problems=problems,
        people=people,
        new_departments=sorted(new_departments.values(), key=str.casefold),
        new_locations=sorted(new_locations.values(), key=str.casefold),
    )
    _summarise(plan, programme, members)
    return plan


def _summarise(plan: ImportPlan, programme: Programme, members: dict[str, Membership]) -> None:
    """Counts of the organisation's own members; the rest is one number, whatever Kring
    knows about those addresses elsewhere."""
    emails = [person.email for person in plan.people]
    active = {email for email in emails if email in members and members[email].is_active}
    plan.existing_members = len(active)
    plan.switched_off = sorted(
        members[person.email].user.full_name or person.full_name
        for person in plan.people
        if person.email in members and not members[person.email].is_active
    )
    plan.not_members = len(emails) - len(active) - len(plan.switched_off)
    registrations = {
        email.lower(): status
        for email, status in programme.registrations.filter(
            user__in=[members[email].user_id for email in active]
        ).values_list("user__email", "status")
    }
    plan.already_registered = sum(
        1
        for email in emails
        if registrations.get(email, Registration.Status.WITHDRAWN) != Registration.Status.WITHDRAWN
    )
    plan.withdrawn = sorted(
        person.full_name
        for person in plan.people
        if registrations.get(person.email) == Registration.Status.WITHDRAWN
    )
    managers = {person.line_manager_email for person in plan.people} - {""}
    plan.line_managers = len(managers)


def summary_lines(plan: ImportPlan) -> list[str]:
    """What the import will do, in sentences for the report page."""
    lines = [
        ngettext(
            "%(count)s participant will be imported.",
            "%(count)s participants will be imported.",
            len(plan.people),
        )
        % {"count": len(plan.people)}
    ]
    if plan.not_members:
        lines.append(
            ngettext(
                "%(count)s person is not a member of the organisation yet. They get an "
                "invitation by e-mail, when you choose to send it, and join the organisation "
                "and this programme only when they accept it.",
                "%(count)s people are not members of the organisation yet. They get an "
                "invitation by e-mail, when you choose to send it, and join the organisation "
                "and this programme only when they accept it.",
                plan.not_members,
            )
            % {"count": plan.not_members}
        )
    if plan.switched_off:
        lines.append(
            ngettext(
                "%(count)s person was switched off in the organisation: %(names)s. They are "
                "invited back and take part only when they accept.",
                "%(count)s people were switched off in the organisation: %(names)s. They are "
                "invited back and take part only when they accept.",
                len(plan.switched_off),
            )
            % {
                "count": len(plan.switched_off),
                "names": get_text_list(plan.switched_off, _("and")),
            }
        )
    if plan.existing_members:
        lines.append(
            ngettext(
                "%(count)s person is already a member of the organisation; their details "
                "are updated with the filled-in cells.",
                "%(count)s people are already members of the organisation; their details "
                "are updated with the filled-in cells.",
                plan.existing_members,
            )
            % {"count": plan.existing_members}
        )
    if plan.already_registered:
        lines.append(
            ngettext(
                "%(count)s person is already registered for this programme and is not added twice.",
                "%(count)s people are already registered for this programme and are not "
                "added twice.",
                plan.already_registered,
            )
            % {"count": plan.already_registered}
        )
    if plan.withdrawn:
        lines.append(
            ngettext(
                "%(count)s person withdrew from this programme and stays withdrawn: %(names)s.",
                "%(count)s people withdrew from this programme and stay withdrawn: %(names)s.",
                len(plan.withdrawn),
            )
            % {"count": len(plan.withdrawn), "names": get_text_list(plan.withdrawn, _("and"))}
        )
    if plan.new_departments:
        lines.append(
            ngettext(
                "%(count)s new department will be created: %(names)s.",
                "%(count)s new departments will be created: %(names)s.",
                len(plan.new_departments),
            )
            % {
                "count": len(plan.new_departments),
                "names": get_text_list(plan.new_departments, _("and")),
            }
        )
    if plan.new_locations:
        lines.append(
            ngettext(
                "%(count)s new location will be created: %(names)s.",
                "%(count)s new locations will be created: %(names)s.",
                len(plan.new_locations),
            )
            % {
                "count": len(plan.new_locations),
                "names": get_text_list(plan.new_locations, _("and")),
            }
        )
    if plan.line_managers:
        lines.append(
            ngettext(
                "%(count)s line manager can follow the participation of their own reports.",
                "%(count)s line managers can follow the participation of their own reports.",
                plan.line_managers,
            )
            % {"count": plan.line_managers}
        )
    return lines


# 4. Writing.


@transaction.atomic
def import_participants(
    *, programme: Programme, table: ImportTable, mapping: ColumnMapping, by=None
) -> ImportResult:
    """Check again and write everything, or raise `ImportRejected` and write nothing.

    Writes in bulk, so a file of thousands of people fits in one request. Importing the
    same file twice changes nothing the second time. Active members are registered; the
    others get an invitation holding their details (see the module docstring).
    """
    programme = (
        Programme.objects.select_for_update().select_related("organisation").get(pk=programme.pk)
    )
    plan = check_import(programme=programme, table=table, mapping=mapping)
    if not plan.ok:
        raise ImportRejected(plan)
    organisation = programme.organisation

    departments = _get_or_create_named(
        Department, organisation, {person.department for person in plan.people}
    )
    locations = _get_or_create_named(
        Location, organisation, {person.location for person in plan.people}
    )
    members = _members_by_email(
        organisation,
        {p.email for p in plan.people} | {p.line_manager_email for p in plan.people} - {""},
    )
    people = [p for p in plan.people if p.email in members and members[p.email].is_active]
    invited = [p for p in plan.people if p not in people]
    _invite(programme, invited, departments, locations, by)

    # Members' attributes; empty cells keep what is known.
    for person in people:
        membership = members[person.email]
        if person.function_level is not None:
            membership.function_level = person.function_level
        if person.department:
            membership.department = departments[person.department.casefold()]
        if person.location:
            membership.location = locations[person.location.casefold()]
        if person.profession:
            membership.profession = person.profession
        membership.extra_attributes = {**membership.extra_attributes, **person.extra_attributes}
    Membership.objects.bulk_update(
        [members[person.email] for person in people],
        ["function_level", "department", "location", "profession", "extra_attributes"],
    )

    # Line managers: members only; an invited manager is linked when they accept.
    changed = []
    for person in people:
        manager = members.get(person.line_manager_email)
        if manager is not None and manager.is_active:
            members[person.email].line_manager = manager
            changed.append(members[person.email])
    Membership.objects.bulk_update(changed, ["line_manager"])

    # Registrations: a snapshot of the member's attributes for this programme.
    registrations = {
        registration.user_id: registration
        for registration in programme.registrations.filter(
            user__in=[members[person.email].user_id for person in people]
        )
    }
    new_registrations = []
    for person in people:
        membership = members[person.email]
        registration = registrations.get(membership.user_id)
        if registration is None:
            registration = Registration(
                programme=programme,
                user=membership.user,
                status=Registration.Status.REGISTERED,
                source=Registration.Source.IMPORT,
            )
            registrations[membership.user_id] = registration
            new_registrations.append(registration)
        _snapshot(registration, membership, organisation)
    Registration.objects.bulk_update(
        [r for r in registrations.values() if r.pk is not None], SNAPSHOT_FIELDS
    )
    Registration.objects.bulk_create(new_registrations)

    # Roles: participants (unless withdrawn) and their line managers.
    wanted = set()
    for registration in registrations.values():
        if registration.status != Registration.Status.WITHDRAWN:
            wanted.add((registration.user_id, ProgrammeRole.Role.PARTICIPANT))
            if registration.line_manager_id:
                wanted.add((registration.line_manager_id, ProgrammeRole.Role.LINE_MANAGER))
    present = set(programme.roles.values_list("user_id", "role"))
    ProgrammeRole.objects.bulk_create(
        ProgrammeRole(programme=programme, user_id=user_id, role=role)
        for user_id, role in sorted(wanted - present)
    )
    return ImportResult(
        imported=len(plan.people),
        new_registrations=len(new_registrations),
        invited=len(invited),
    )


SNAPSHOT_FIELDS = [
    "organisation_name",
    "function_level",
    "department",
    "location",
    "profession",
    "line_manager",
    "extra_attributes",
]


def _snapshot(registration: Registration, membership: Membership, organisation) -> None:
    manager = membership.line_manager
    registration.organisation_name = organisation.name
    registration.function_level_id = membership.function_level_id
    registration.department = membership.department.name if membership.department else ""
    registration.location = membership.location.name if membership.location else ""
    registration.profession = membership.profession
    registration.line_manager_id = manager.user_id if manager else None
    registration.extra_attributes = dict(membership.extra_attributes)


def _invite(programme: Programme, people: list[PersonRow], departments, locations, by) -> None:
    """An invitation per person who is not an active member, holding what the file says.

    An open invitation of the programme for the same address is brought up to date
    instead, so importing a file twice invites nobody twice. Nothing is mailed here.
    """
    from kring.accounts.models import Invitation

    open_invitations = {
        invitation.email: invitation
        for invitation in Invitation.objects.filter(
            programme=programme, accepted_at__isnull=True, email__in=[p.email for p in people]
        )
        if invitation.sent_at is None or invitation.is_open
    }
    new = []
    for person in people:
        details = {
            "function_level": person.function_level.pk if person.function_level else None,
            "department": departments[person.department.casefold()].pk
            if person.department
            else None,
            "location": locations[person.location.casefold()].pk if person.location else None,
            "profession": person.profession,
            "line_manager_email": person.line_manager_email,
            "extra_attributes": person.extra_attributes,
        }
        invitation = open_invitations.get(person.email)
        if invitation is None:
            new.append(
                Invitation(
                    organisation=programme.organisation,
                    programme=programme,
                    email=person.email,
                    full_name=person.full_name,
                    role=Membership.Role.MEMBER,
                    registration_details=details,
                    token_hash=new_token()[1],  # replaced when the invitation is sent
                    created_by=by,
                    expires_at=timezone.now() + Invitation.VALID_FOR,
                )
            )
        else:
            invitation.full_name = person.full_name
            invitation.registration_details = details
            invitation.save(update_fields=["full_name", "registration_details"])
    Invitation.objects.bulk_create(new)


def join_imported_programme(*, invitation, membership: Membership) -> None:
    """An invited person accepted: their imported details and the registration, now.

    Called by `accounts.services.accept_invitation` inside its transaction.
    """
    programme = invitation.programme
    organisation = programme.organisation
    details = invitation.registration_details or {}
    if details.get("function_level"):
        membership.function_level = organisation.function_levels.filter(
            pk=details["function_level"]
        ).first()
    if details.get("department"):
        membership.department = organisation.departments.filter(pk=details["department"]).first()
    if details.get("location"):
        membership.location = organisation.locations.filter(pk=details["location"]).first()
    if details.get("profession"):
        membership.profession = details["profession"]
    membership.extra_attributes = {
        **membership.extra_attributes,
        **details.get("extra_attributes", {}),
    }
    manager_email = details.get("line_manager_email")
    if manager_email:
        manager = _members_by_email(organisation, {manager_email}).get(manager_email)
        if manager is not None and manager.is_active and manager.pk != membership.pk:
            membership.line_manager = manager
    membership.save()

    registration, _created = Registration.objects.get_or_create(
        programme=programme,
        user=membership.user,
        defaults={"status": Registration.Status.REGISTERED, "source": Registration.Source.IMPORT},
    )
    _snapshot(registration, membership, organisation)
    registration.save(update_fields=SNAPSHOT_FIELDS)
    if registration.status != Registration.Status.WITHDRAWN:
        ProgrammeRole.objects.get_or_create(
            programme=programme, user=membership.user, role=ProgrammeRole.Role.PARTICIPANT
        )
        if registration.line_manager_id:
            ProgrammeRole.objects.get_or_create(
                programme=programme,
                user_id=registration.line_manager_id,
                role=ProgrammeRole.Role.LINE_MANAGER,
            )
    _link_reports_waiting_for(membership, programme)


def _link_reports_waiting_for(manager: Membership, programme: Programme) -> None:
    """People of the same import who accepted before their line manager did."""
    from kring.accounts.models import Invitation

    waiting = Invitation.objects.filter(
        programme=programme,
        accepted_at__isnull=False,
        registration_details__line_manager_email=manager.user.email.lower(),
    ).values_list("email", flat=True)
    reports = _members_by_email(programme.organisation, set(waiting))
    for report in reports.values():
        if report.line_manager_id is None and report.pk != manager.pk:
            report.line_manager = manager
            report.save(update_fields=["line_manager"])
            programme.registrations.filter(user=report.user).update(line_manager=manager.user)
            ProgrammeRole.objects.get_or_create(
                programme=programme, user=manager.user, role=ProgrammeRole.Role.LINE_MANAGER
            )


def invitations_to_send(programme: Programme):
    """The import's invitations that have not been mailed yet."""
    from kring.accounts.models import Invitation

    return Invitation.objects.filter(
        programme=programme, sent_at__isnull=True, accepted_at__isnull=True
    )


def members_without_a_way_in(programme: Programme):
    """Imported registrations of people who cannot log in (no confirmed address, which
    includes everyone without a password) and have no open invitation of this programme."""
    from kring.accounts.models import Invitation

    has_invitation = Invitation.objects.filter(
        programme=programme, accepted_at__isnull=True
    ).values("email")
    return (
        programme.registrations.filter(
            source=Registration.Source.IMPORT, user__email_verified_at__isnull=True
        )
        .exclude(status=Registration.Status.WITHDRAWN)
        .exclude(user__email__in=has_invitation)
        .select_related("user")
    )


@transaction.atomic
def send_import_invitations(*, programme: Programme, by) -> int:
    """The coordinator's choice to mail the import's invitations: a way in for everyone
    imported, as an invitation to set a password (a password reset cannot reach people
    who never had one)."""
    from kring.accounts.models import Invitation
    from kring.accounts.services import send_invitations

    Invitation.objects.bulk_create(
        Invitation(
            organisation=programme.organisation,
            programme=programme,
            email=registration.user.email,
            full_name=registration.user.full_name,
            role=Membership.Role.MEMBER,
            token_hash=new_token()[1],
            created_by=by,
            expires_at=timezone.now() + Invitation.VALID_FOR,
        )
        for registration in members_without_a_way_in(programme)
    )
    return send_invitations(invitations=list(invitations_to_send(programme)), by=by)


def _get_or_create_named(model, organisation, names: set[str]) -> dict:
    """Departments or locations by case-folded name, creating the missing ones."""
    existing = {
        item.name.casefold(): item for item in model.objects.filter(organisation=organisation)
    }
    for name in sorted(names - {""}, key=str.casefold):
        if name.casefold() not in existing:
            existing[name.casefold()] = model.objects.create(organisation=organisation, name=name)
    return existing
