from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kring.confidentiality import policy
from kring.confidentiality.models import AuditEvent
from kring.confidentiality.policy import Action

from .models import Case, LearningLogEntry


class CaseError(Exception):
    """A case action that its state or the person's role does not allow, said plainly."""


@transaction.atomic
def submit_case(
    *,
    group,
    presenter,
    title: str,
    situation: str,
    question: str = "",
    help_wanted: str = "",
    kind: str = "",
) -> Case:
    if not policy.can(presenter, Action.ADD_CASE, group):
        raise CaseError(_("Only current members of the group bring in cases."))
    case = Case.objects.create(
        group=group,
        presenter=presenter,
        title=title,
        situation=situation,
        question=question,
        help_wanted=help_wanted,
        kind=kind,
    )
    policy.record_content_change(AuditEvent.Event.CREATE, presenter, case, "case brought in")
    return case


@transaction.atomic
def withdraw_case(*, case: Case, by) -> Case:
    """The presenter may withdraw an open case at any time; only they can still see it."""
    case = Case.objects.select_for_update().select_related("group").get(pk=case.pk)
    if case.presenter_id != by.pk:
        raise CaseError(_("Only the person who brought in a case can withdraw it."))
    if case.status == Case.Status.WITHDRAWN:
        raise CaseError(_("This case has already been withdrawn."))
    if case.status == Case.Status.DISCUSSED:
        raise CaseError(_("This case has already been discussed and can no longer be withdrawn."))
    if not policy.can(by, Action.WITHDRAW_CASE, case):
        raise CaseError(_("You are no longer a member of this group."))
    case.status = Case.Status.WITHDRAWN
    case.save(update_fields=["status"])
    policy.record_content_change(AuditEvent.Event.CHANGE, by, case, "case withdrawn")
    return case


@transaction.atomic
def delete_case(*, case: Case, by) -> None:
    """A withdrawn case can be deleted for good by its presenter, and by nobody else."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not policy.can(by, Action.DELETE_CASE, case):
        raise CaseError(_("Only a withdrawn case can be deleted, and only by its presenter."))
    policy.record_content_change(AuditEvent.Event.DELETE, by, case, "case deleted for good")
    case.delete()


@transaction.atomic
def add_learning_log_entry(*, author, text: str) -> LearningLogEntry:
    entry = LearningLogEntry.objects.create(author=author, text=text)
    policy.record_content_change(AuditEvent.Event.CREATE, author, entry, "learning-log entry")
    return entry
