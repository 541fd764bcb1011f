"""The participant list of a programme as CSV or Excel, in the columns the import reads.

An export can be imported again. Wishes are private and never part of it.
"""

import tablib
from django.utils.translation import gettext as _

from kring.core.spreadsheets import safe_cell
from kring.programmes.models import Programme, Registration

from .imports import EXPORTED_FIELDS

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def participant_dataset(programme: Programme) -> tablib.Dataset:
    """Everyone registered or waiting, with the attributes of their registration."""
    registrations = list(
        programme.registrations.exclude(status=Registration.Status.WITHDRAWN)
        .select_related("user", "function_level", "line_manager")
        .order_by("user__full_name", "user__email")
    )
    extra_names = sorted(
        {name for registration in registrations for name in registration.extra_attributes},
        key=str.casefold,
    )
    dataset = tablib.Dataset(
        # Free attribute names come from imported files: a header is as unsafe as a cell.
        headers=[
            safe_cell(str(header))
            for header in [*(spec.label for spec in EXPORTED_FIELDS), *extra_names]
        ],
        title=_("Participants")[:31],
    )
    for registration in registrations:
        values = {
            "email": registration.user.email,
            "full_name": registration.user.full_name,
            "function_level": registration.function_level.name
            if registration.function_level
            else "",
            "department": registration.department,
            "location": registration.location,
            "profession": registration.profession,
            "line_manager_email": registration.line_manager.email
            if registration.line_manager
            else "",
        }
        row = [values[spec.key] for spec in EXPORTED_FIELDS] + [
            str(registration.extra_attributes.get(name, "")) for name in extra_names
        ]
        dataset.append([safe_cell(value) for value in row])
    return dataset


def export_participants(programme: Programme, file_format: str) -> bytes:
    """CSV: semicolons and a UTF-8 byte order mark, so Dutch Excel opens it as it should."""
    dataset = participant_dataset(programme)
    if file_format == "csv":
        return ("\ufeff" + dataset.export("csv", delimiter=";")).encode("utf-8")
    if file_format == "xlsx":
        return dataset.export("xlsx")
    raise ValueError(f"unknown format {file_format}")
