"""Methods: loading the built-ins, copying a method to an organisation, editing a copy
(every save is a new version), and exporting and importing a method as a file."""

import json

from django.db import transaction
from django.utils.translation import gettext as _

from . import builtin, structure
from .models import Method, MethodVersion

FILE_FORMAT = "kring-method"
FILE_VERSION = 1
MAX_FILE_BYTES = 200_000


class MethodError(Exception):
    """Bad input; `problems` says what and where, each a `structure.Problem`."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


def load_builtin_methods() -> int:
    """Add the built-in methods that are new and new versions of changed ones."""
    with transaction.atomic():
        return builtin.load(Method, MethodVersion)


@transaction.atomic
def copy_method(*, method: Method, organisation, by) -> Method:
    """The organisation's own copy of the method's current version, to edit."""
    source = method.current
    copy = Method.objects.create(organisation=organisation, copied_from=source, created_by=by)
    MethodVersion.objects.create(method=copy, number=1, content=source.content, created_by=by)
    return copy


@transaction.atomic
def save_version(*, method: Method, content: dict, by) -> MethodVersion:
    """Save an edit of an organisation's copy as its next version (a built-in is never
    edited in place; copy it first). Nothing changes when the content is the same."""
    if method.is_builtin:
        raise MethodError(
            [structure.Problem("", _("A built-in method cannot be edited; copy it first."))]
        )
    problems = structure.validate(content)
    if problems:
        raise MethodError(problems)
    method = Method.objects.select_for_update().get(pk=method.pk)
    latest = method.current
    if latest is not None and latest.content == content:
        return latest
    return MethodVersion.objects.create(
        method=method, number=(latest.number + 1) if latest else 1, content=content, created_by=by
    )


def export_data(version: MethodVersion) -> dict:
    return {"format": FILE_FORMAT, "version": FILE_VERSION, "method": version.content}


def export_file(version: MethodVersion) -> bytes:
    return (json.dumps(export_data(version), ensure_ascii=False, indent=2) + "\n").encode()


def read_file(data: bytes) -> dict:
    """The method in an exported file, checked as a whole; `MethodError` lists every
    problem (nothing is written here)."""
    if len(data) > MAX_FILE_BYTES:
        raise MethodError([structure.Problem("", _("The file is too large for a method."))])
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        message = (
            _("The file is not a readable method file (JSON); the problem is on line %(line)d.")
            % {"line": line}
            if line
            else _("The file is not a readable method file (JSON).")
        )
        raise MethodError([structure.Problem("", message)]) from None
    if not isinstance(parsed, dict) or parsed.get("format") != FILE_FORMAT:
        raise MethodError([structure.Problem("", _("This is not a method exported from Kring."))])
    if parsed.get("version") != FILE_VERSION:
        raise MethodError(
            [
                structure.Problem(
                    "", _("This method file comes from a version of Kring we do not know.")
                )
            ]
        )
    content = parsed.get("method")
    problems = structure.validate(content)
    if problems:
        raise MethodError(problems)
    return content


@transaction.atomic
def import_method(*, organisation, data: bytes, by) -> Method:
    """A new method of the organisation from an exported file: all of it or nothing."""
    content = read_file(data)
    method = Method.objects.create(organisation=organisation, created_by=by)
    MethodVersion.objects.create(method=method, number=1, content=content, created_by=by)
    return method


def methods_for_programme(programme):
    """The methods a programme's meetings may follow: the built-ins, the organisation's own,
    and those of the facilitation firm that runs the programme."""
    organisations = [programme.organisation_id]
    if programme.run_by_id:
        organisations.append(programme.run_by_id)
    return Method.objects.filter(organisation=None) | Method.objects.filter(
        organisation_id__in=organisations
    )


@transaction.atomic
def choose_method(*, meeting, method: Method | None, by) -> MethodVersion | None:
    """The meeting follows the method's current version (kept when the method is edited
    later); `None` clears the choice. A held or cancelled meeting keeps what it had. The
    choice is the facilitator's: the programme's cycle plan no longer changes it."""
    from kring.planning.models import Meeting

    meeting = (
        Meeting.objects.select_for_update().select_related("group__programme").get(pk=meeting.pk)
    )
    if meeting.status != Meeting.Status.PLANNED:
        raise MethodError([structure.Problem("", _("Only a planned meeting gets another method."))])
    version = None
    if method is not None:
        if not methods_for_programme(meeting.group.programme).filter(pk=method.pk).exists():
            raise MethodError(
                [structure.Problem("", _("This method is not available for this programme."))]
            )
        version = method.current
    meeting.method_version = version
    meeting.save(update_fields=["method_version"])
    # Chosen on purpose: the cycle plan leaves this meeting's method alone from now on.
    from .cycle import mark_method_chosen

    mark_method_chosen(meeting)
    return version
