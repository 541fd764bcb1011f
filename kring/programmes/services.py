import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core import emails
from kring.planning.models import Meeting

from .models import (
    AssignmentCompletion,
    CommunicationMessage,
    PreparationAssignment,
    Programme,
    ProgrammeGoal,
    ProgrammeRole,
    StatusChange,
)
from .selectors import people_in_roles

Status = Programme.Status

# Who may make a move: the sponsor decides on the plan, the coordinator does the rest.
SPONSOR_MOVES = {(Status.SUBMITTED, Status.APPROVED), (Status.SUBMITTED, Status.DRAFT)}

# What the button says: the step a person takes, not the status it leads to.
MOVE_LABELS = {
    (Status.DRAFT, Status.SUBMITTED): _("Submit the plan to the sponsor"),
    (Status.SUBMITTED, Status.APPROVED): _("Approve the plan"),
    (Status.SUBMITTED, Status.DRAFT): _("Send back with a comment"),
    (Status.APPROVED, Status.REGISTRATION_OPEN): _("Open registration"),
    (Status.APPROVED, Status.DRAFT): _("Back to draft"),
    (Status.REGISTRATION_OPEN, Status.GROUPS_FORMED): _("The groups are formed"),
    (Status.REGISTRATION_OPEN, Status.APPROVED): _("Close registration again"),
    (Status.GROUPS_FORMED, Status.RUNNING): _("Start the meetings"),
    (Status.GROUPS_FORMED, Status.REGISTRATION_OPEN): _("Reopen registration"),
    (Status.RUNNING, Status.EVALUATING): _("Start the evaluation"),
    (Status.EVALUATING, Status.CLOSED): _("Close the programme"),
    (Status.EVALUATING, Status.RUNNING): _("Back to running"),
}


class TransitionError(Exception):
    pass


@dataclass(frozen=True)
class Move:
    target: str
    label: str
    blocked_by: str = ""  # why the step cannot be taken yet, said to the person


def _blocked_by(programme: Programme, target: str) -> str:
    """What the programme lacks for this step; empty when it can be taken."""
    meetings = Meeting.objects.filter(group__programme=programme)
    if target == Status.GROUPS_FORMED and not programme.groups.exists():
        return _("There are no groups yet: compose the groups and publish them first.")
    if target == Status.RUNNING and not meetings.exclude(status=Meeting.Status.CANCELLED):
        return _("No meeting is planned yet: plan the meetings first.")
    if target == Status.EVALUATING and not meetings.filter(status=Meeting.Status.HELD):
        return _("No meeting has been held yet, so there is nothing to evaluate.")
    return ""


def allowed_moves(programme: Programme, user) -> list[Move]:
    """The steps this person may take with the programme, each with what blocks it."""
    decides = policy.can(user, Action.DECIDE_ON_PLAN, programme)
    coordinates = policy.can(user, Action.MANAGE_PROGRAMME, programme)
    current = Status(programme.status)
    return [
        Move(
            target=target,
            label=str(MOVE_LABELS[(current, target)]),
            blocked_by=str(_blocked_by(programme, target)),
        )
        for target in sorted(Programme.TRANSITIONS[current])
        if (decides if (current, target) in SPONSOR_MOVES else coordinates)
    ]


@transaction.atomic
def change_status(*, programme: Programme, to_status: str, by, comment: str = "") -> Programme:
    """Move a programme to another status and record who did it, when and why.

    Opening registration gives the programme its registration link.
    """
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    move = next((m for m in allowed_moves(programme, by) if m.target == to_status), None)
    if move is None:
        raise TransitionError(
            _("A programme cannot go from “%(from)s” to “%(to)s” by you.")
            % {
                "from": programme.get_status_display(),
                "to": Status(to_status).label if to_status in Status.values else to_status,
            }
        )
    if move.blocked_by:
        raise TransitionError(move.blocked_by)
    if (programme.status, to_status) == (Status.SUBMITTED, Status.DRAFT) and not comment:
        raise TransitionError(_("Say in the comment what should change in the plan."))
    StatusChange.objects.create(
        programme=programme,
        from_status=programme.status,
        to_status=to_status,
        by=by,
        comment=comment,
    )
    programme.status = to_status
    if to_status == Status.REGISTRATION_OPEN and not programme.registration_token:
        programme.registration_token = secrets.token_urlsafe(24)
    programme.save(update_fields=["status", "registration_token"])
    return programme


def _sync_role(programme: Programme, role: str, users) -> None:
    users = {user for user in users if user is not None}
    current = ProgrammeRole.objects.filter(programme=programme, role=role)
    current.exclude(user__in=users).delete()
    existing = set(current.values_list("user_id", flat=True))
    ProgrammeRole.objects.bulk_create(
        ProgrammeRole(programme=programme, user=user, role=role)
        for user in users
        if user.pk not in existing
    )


def _sync_rows(model, programme: Programme, rows: list[dict]) -> None:
    """Make the programme's goals or messages the given rows: a row with an `id` updates
    that row, one without is added, and rows not given are removed (ids stay stable, so
    what refers to a message keeps referring to it)."""
    existing = {item.pk: item for item in model.objects.filter(programme=programme)}
    kept = set()
    for order, values in enumerate(rows):
        values = dict(values)
        item = existing.get(values.pop("id", None)) or model(programme=programme)
        for name, value in values.items():
            setattr(item, name, value)
        if hasattr(item, "order") and "order" not in values:
            item.order = order
        item.save()
        kept.add(item.pk)
    model.objects.filter(pk__in=set(existing) - kept).delete()


@transaction.atomic
def save_plan(
    *,
    programme: Programme | None,
    organisation=None,
    plan: dict,
    goals: list[dict],
    messages: list[dict],
    sponsor=None,
    facilitators=(),
    by,
) -> Programme:
    """Create (`programme=None`, in `organisation`) or update a programme's plan of
    approach: its fields, goals (`{"id"?, "text"}`), planned messages (`{"id"?, "send_on",
    "audience", "subject"}`), sponsor and facilitators. Any caller can pass these: a form,
    a command, a test.

    A new programme starts as a draft with its creator as coordinator.
    """
    is_new = programme is None
    if is_new:
        programme = Programme(organisation=organisation, status=Status.DRAFT)
    else:
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        if programme.status != Status.DRAFT:
            raise TransitionError(
                _("Only a draft plan can be changed. Send it back to draft first.")
            )
    for name, value in plan.items():
        setattr(programme, name, value)
    programme.save()
    _sync_rows(ProgrammeGoal, programme, goals)
    _sync_rows(CommunicationMessage, programme, messages)
    if is_new:
        ProgrammeRole.objects.create(
            programme=programme, user=by, role=ProgrammeRole.Role.COORDINATOR
        )
    _sync_role(programme, ProgrammeRole.Role.SPONSOR, [sponsor])
    _sync_role(programme, ProgrammeRole.Role.FACILITATOR, facilitators)
    return programme


@transaction.atomic
def send_preparation_assignment(*, programme: Programme, text: str, due_on, by):
    """Create the preparation assignment and mail it to every participant."""
    assignment = PreparationAssignment.objects.create(
        programme=programme, text=text, due_on=due_on, sent_at=timezone.now()
    )
    # Who takes part, as for the communication plan: no account that is off, no member the
    # organisation switched off, no self-registration whose address was never confirmed.
    participants = people_in_roles(programme, [ProgrammeRole.Role.PARTICIPANT])

    def send_all():
        for user in participants:
            emails.send(
                "preparation_assignment",
                user.email,
                {"assignment": assignment, "user": user},
                language=user.language,
            )

    transaction.on_commit(send_all)
    return assignment


@transaction.atomic
def complete_assignment(*, assignment: PreparationAssignment, by) -> AssignmentCompletion:
    """A participant marks the preparation assignment as done (once)."""
    completion, _created = AssignmentCompletion.objects.get_or_create(
        assignment=assignment, user=by
    )
    return completion
