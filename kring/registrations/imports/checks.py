"""Checking every row of a file against the organisation, before anything is written.

`check_import` reads the organisation once (`Lookups`), checks each row on its own
(`_check_row`: e-mail, name, lengths, function level, line manager), then the file as a
whole (loops of line managers), and counts what the import would do (`_summarise`).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from kring.organisations.models import FunctionLevel, Membership
from kring.programmes.models import Programme, Registration

from .fields import FIELDS_BY_KEY, NAME_PARTS, ColumnMapping
from .reading import ImportTable


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str
    person: str = ""  # the name on the row, so the report says whose row it is


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
    """What an import would do. The counts speak only of the organisation's own members."""

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

    @property
    def rows_with_problems(self) -> int:
        return len({problem.row for problem in self.problems})


class ImportRejected(Exception):
    """The import found problems and wrote nothing."""

    def __init__(self, plan: ImportPlan):
        super().__init__(f"{len(plan.problems)} problems")
        self.plan = plan


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def members_by_email(organisation, emails) -> dict[str, Membership]:
    """The organisation's memberships (active or not) of these addresses, by address."""
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


class _NamedValues:
    """Names as the organisation spells them (departments, locations), by case-folded
    name; names it does not know yet are collected in the spelling of their first row."""

    def __init__(self, names):
        self.known = {name.casefold(): name for name in names}
        self.new: dict[str, str] = {}

    def spelled(self, name: str) -> str:
        if not name:
            return ""
        key = name.casefold()
        if key in self.known:
            return self.known[key]
        return self.new.setdefault(key, name)


@dataclass
class Lookups:
    """What the checks need to know about the organisation and the file, read once."""

    organisation: object
    table: ImportTable
    mapping: ColumnMapping
    levels: dict[str, FunctionLevel]
    level_names: list[str]
    departments: _NamedValues
    locations: _NamedValues
    emails_in_file: Counter
    first_row_of: dict[str, int]
    members: dict[str, Membership]

    @classmethod
    def read(cls, *, programme: Programme, table: ImportTable, mapping: ColumnMapping):
        organisation = programme.organisation
        emails_in_file: Counter = Counter()
        first_row_of: dict[str, int] = {}
        for number, cells in table.rows:
            email = mapping.value(table, cells, "email").lower()
            if email:
                emails_in_file[email] += 1
                first_row_of.setdefault(email, number)
        manager_emails = {
            mapping.value(table, cells, "line_manager_email").lower() for _n, cells in table.rows
        }
        return cls(
            organisation=organisation,
            table=table,
            mapping=mapping,
            levels={level.name.casefold(): level for level in organisation.function_levels.all()},
            level_names=[level.name for level in organisation.function_levels.order_by("rank")],
            departments=_NamedValues(organisation.departments.values_list("name", flat=True)),
            locations=_NamedValues(organisation.locations.values_list("name", flat=True)),
            emails_in_file=emails_in_file,
            first_row_of=first_row_of,
            members=members_by_email(organisation, set(emails_in_file) | manager_emails - {""}),
        )

    def header(self, key: str) -> str:
        """The file's name for the column of a field (our label when it is not mapped)."""
        columns = self.mapping.columns
        if key == "full_name" and columns.get(key) is None:  # a name built from its parts
            parts = [columns.get(part) for part in NAME_PARTS]
            if any(index is not None for index in parts):
                return " + ".join(self.table.headers[i] for i in parts if i is not None)
        index = columns.get(key)
        if index is not None:
            return self.table.headers[index]
        return str(FIELDS_BY_KEY[key].label)


def _email_problem(lookups: Lookups, number: int, email: str) -> str:
    if not email:
        return _("The e-mail address is missing.")
    if not _valid_email(email):
        return _("“%(value)s” is not a valid e-mail address.") % {"value": email}
    if lookups.first_row_of[email] != number:
        return _(
            "The e-mail address %(email)s is also on row %(row)s. Each person may appear only once."
        ) % {"email": email, "row": lookups.first_row_of[email]}
    return ""


def _function_level_problem(lookups: Lookups, level_name: str) -> str:
    organisation = lookups.organisation
    if not lookups.level_names:
        return _(
            "“%(value)s” is not a function level: %(organisation)s has no scale of function "
            "levels yet. Leave the column out, or ask the organisation admin to add the levels."
        ) % {"value": level_name, "organisation": organisation.name}
    return _(
        "“%(value)s” is not a function level of %(organisation)s. The levels are: %(levels)s."
    ) % {
        "value": level_name,
        "organisation": organisation.name,
        "levels": ", ".join(lookups.level_names),
    }


def _line_manager_problem(lookups: Lookups, email: str, manager_email: str) -> str:
    if not _valid_email(manager_email):
        return _(
            "“%(value)s” is not a valid e-mail address. Line managers are found by their "
            "e-mail address."
        ) % {"value": manager_email}
    if manager_email == email:
        return _("A person cannot be their own line manager.")
    manager = lookups.members.get(manager_email)
    if manager_email not in lookups.emails_in_file and not (manager and manager.is_active):
        return _(
            "Unknown line manager %(email)s: this address is neither in the file nor among "
            "the members of %(organisation)s."
        ) % {"email": manager_email, "organisation": lookups.organisation.name}
    return ""


def _check_row(lookups: Lookups, number: int, cells: list[str]):
    """One row's problems as (field, message), and the person to import when there are none."""
    mapping, table = lookups.mapping, lookups.table

    def value(key):
        return mapping.value(table, cells, key)

    email = value("email").lower()
    full_name = mapping.full_name(table, cells)
    found: list[tuple[str, str]] = []
    if message := _email_problem(lookups, number, email):
        found.append(("email", message))
    if not full_name:
        found.append(("full_name", _("The name is missing.")))
    lengths = {key: len(value(key)) for key in ("department", "location", "profession")}
    lengths["full_name"] = len(full_name)
    for key, length in lengths.items():
        limit = FIELDS_BY_KEY[key].max_length
        if length > limit:
            found.append((key, _("This is longer than %(limit)s characters.") % {"limit": limit}))
    level_name = value("function_level")
    level = lookups.levels.get(level_name.casefold()) if level_name else None
    if level_name and level is None:
        found.append(("function_level", _function_level_problem(lookups, level_name)))
    manager_email = value("line_manager_email").lower()
    if manager_email and (message := _line_manager_problem(lookups, email, manager_email)):
        found.append(("line_manager_email", message))
    if found:
        return found, None
    extras = {
        table.headers[index]: table.cell(cells, index)
        for index in mapping.extra_columns
        if index < len(table.headers) and table.cell(cells, index)
    }
    return [], PersonRow(
        row=number,
        email=email,
        full_name=full_name,
        function_level=level,
        department=lookups.departments.spelled(value("department")),
        location=lookups.locations.spelled(value("location")),
        profession=value("profession"),
        line_manager_email=manager_email,
        extra_attributes=extras,
    )


def _looping(organisation, people: list[PersonRow]) -> dict[str, list[str]]:
    """People whose line managers go round in a circle once the file's line managers
    replace the organisation's for the people in it; each with their circle."""
    edges = _manager_chain_of_members(organisation)
    for person in people:
        if person.line_manager_email:
            edges[person.email] = person.line_manager_email
    loops = _loops(edges)
    return {
        person.email: loops[person.email]
        for person in people
        if person.email in loops and person.line_manager_email
    }


def check_import(*, programme: Programme, table: ImportTable, mapping: ColumnMapping) -> ImportPlan:
    """Validate the whole table; nothing is written. Messages are in the active language."""
    lookups = Lookups.read(programme=programme, table=table, mapping=mapping)
    problems: list[Problem] = []
    people: list[PersonRow] = []
    for number, cells in table.rows:
        found, person = _check_row(lookups, number, cells)
        name = mapping.full_name(table, cells)
        problems += [
            Problem(row=number, column=lookups.header(key), message=message, person=name)
            for key, message in found
        ]
        if person is not None:
            people.append(person)

    looping = _looping(lookups.organisation, people)
    for person in people:
        if loop := looping.get(person.email):
            problems.append(
                Problem(
                    row=person.row,
                    column=lookups.header("line_manager_email"),
                    message=_("The line managers go round in a circle: %(loop)s.")
                    % {"loop": " → ".join([*loop, loop[0]])},
                    person=person.full_name,
                )
            )
    people = [person for person in people if person.email not in looping]

    headers = table.headers
    problems.sort(
        key=lambda item: (
            item.row,
            headers.index(item.column) if item.column in headers else len(headers),
        )
    )
    plan = ImportPlan(
        problems=problems,
        people=people,
        new_departments=sorted(lookups.departments.new.values(), key=str.casefold),
        new_locations=sorted(lookups.locations.new.values(), key=str.casefold),
    )
    _summarise(plan, programme, lookups.members)
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
