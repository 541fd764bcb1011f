"""Our fields, the columns of a file that hold them, and guessing those from the headers."""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from kring.organisations.models import Membership
from kring.programmes.models import Programme

from .reading import ImportTable


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    required: bool
    aliases: tuple[str, ...]
    max_length: int | None = None
    exported: bool = True  # a column of the export (name parts are not: it has the name)


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
        False,  # or first name, infix and last name: see `ColumnMapping.full_name`
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
        "first_name",
        gettext_lazy("First name"),
        False,
        ("voornaam", "roepnaam", "voornamen", "first name", "given name", "firstname"),
        max_length=150,
        exported=False,
    ),
    ImportField(
        "infix",
        gettext_lazy("Infix (such as “van der”)"),
        False,
        (
            "tussenvoegsel",
            "tussenvoegsels",
            "voorvoegsel",
            "voorvoegsels",
            "infix",
            "prefix",
            "name prefix",
        ),
        max_length=150,
        exported=False,
    ),
    ImportField(
        "last_name",
        gettext_lazy("Last name"),
        False,
        (
            "achternaam",
            "geslachtsnaam",
            "familienaam",
            "last name",
            "surname",
            "family name",
            "lastname",
        ),
        max_length=150,
        exported=False,
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
EXPORTED_FIELDS = [spec for spec in FIELDS if spec.exported]
NAME_PARTS = ("first_name", "infix", "last_name")


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

    def value(self, table: ImportTable, cells: list[str], key: str) -> str:
        """The cell of a row that holds one of our fields ("" when it is not mapped)."""
        return table.cell(cells, self.columns.get(key))

    @property
    def has_name(self) -> bool:
        """A name comes from a full-name column, or from first and last name columns."""
        return self.columns.get("full_name") is not None or (
            self.columns.get("first_name") is not None and self.columns.get("last_name") is not None
        )

    def full_name(self, table: ImportTable, cells: list[str]) -> str:
        """The person's name: the full-name cell, else first name, infix and last name
        ("Jan" "van der" "Berg" → "Jan van der Berg", as a Dutch HR export splits it)."""
        name = self.value(table, cells, "full_name")
        if name:
            return name
        parts = [" ".join(self.value(table, cells, key).split()) for key in NAME_PARTS]
        return " ".join(part for part in parts if part)


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
