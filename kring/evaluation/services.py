"""The one-minute check: asking, answering and reminding (one function per action)."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core import emails
from kring.notifications import services as notifications
from kring.notifications.models import Notice
from kring.planning.models import Meeting
from kring.planning.signals import send_on_commit

from . import signals
from .models import RATINGS, REMARK_MAX_LENGTH, CheckAnswer, CheckParticipation

REMINDER_AFTER = timedelta(days=1)


class CheckError(Exception):
    pass


class AlreadyAnswered(CheckError):
    pass


def link(meeting: Meeting) -> str:
    return reverse("evaluation:answer", kwargs={"meeting_id": meeting.pk})


def _meeting(meeting_id: int) -> Meeting | None:
    return (
        Meeting.objects.select_related("group__programme__organisation")
        .filter(pk=meeting_id)
        .first()
    )


@transaction.atomic
def open_check(*, meeting_id: int, planned_start: str | None = None) -> int:
    """Ask everyone who was at the meeting for the check, once each: when it has been held
    or its time is over. A meeting moved since this was planned (`planned_start`) has its
    own moment. Returns the number of people asked."""
    meeting = _meeting(meeting_id)
    if meeting is None:
        return 0
    if planned_start is not None and meeting.starts_at != datetime.fromisoformat(planned_start):
        return 0  # compared as instants: the same time may be written in another zone
    asked = 0
    already = set(
        CheckParticipation.objects.filter(meeting=meeting).values_list("user_id", flat=True)
    )
    for user in policy.check_respondents(meeting):
        if user.pk in already:
            continue
        CheckParticipation.objects.create(meeting=meeting, user=user)
        notifications.notify(
            recipient=user,
            kind=Notice.Kind.CHECK_AWAITS_ANSWER,
            params={"group": meeting.group.name, "when": meeting.starts_at.isoformat()},
            link=reverse("evaluation:answer", kwargs={"meeting_id": meeting.pk}),
        )
        emails.send(
            "check_invitation",
            user.email,
            {"meeting": meeting, "user": user, "link": link(meeting)},
            language=user.language,
        )
        asked += 1
    if asked:
        send_on_commit(
            signals.check_reminder_due,
            meeting_id=meeting.pk,
            run_after=timezone.now() + REMINDER_AFTER,
        )
    return asked


@transaction.atomic
def remind(*, meeting_id: int) -> int:
    """One reminder to those asked who have not answered and may still answer."""
    meeting = _meeting(meeting_id)
    if meeting is None:
        return 0
    reminded = 0
    pending = CheckParticipation.objects.filter(
        meeting=meeting, answered=False, reminded=False
    ).select_related("user")
    for participation in pending:
        user = participation.user
        if not policy.can(user, Action.ANSWER_CHECK, meeting):
            continue
        participation.reminded = True
        participation.save(update_fields=["reminded"])
        emails.send(
            "check_reminder",
            user.email,
            {"meeting": meeting, "user": user, "link": link(meeting)},
            language=user.language,
        )
        reminded += 1
    return reminded


def has_answered(*, meeting: Meeting, user) -> bool:
    return CheckParticipation.objects.filter(meeting=meeting, user=user, answered=True).exists()


@transaction.atomic
def answer(*, meeting: Meeting, usefulness: int, safety: int, remark: str, by) -> None:
    """Record one person's check: the participation says *that* they answered, the
    answer says *what*, and nothing ties the two together."""
    if not policy.can(by, Action.ANSWER_CHECK, meeting):
        raise CheckError("not asked for this check")  # the view's policy check comes first
    if usefulness not in RATINGS or safety not in RATINGS:
        raise CheckError("rating out of range")
    participation, _created = CheckParticipation.objects.get_or_create(meeting=meeting, user=by)
    updated = CheckParticipation.objects.filter(pk=participation.pk, answered=False).update(
        answered=True
    )
    if not updated:  # answered before, or in a second tab at the same moment
        raise AlreadyAnswered
    try:
        CheckAnswer.objects.create(
            meeting=meeting,
            usefulness=usefulness,
            safety=safety,
            remark=remark.strip()[:REMARK_MAX_LENGTH],
        )
    except IntegrityError as error:
        raise CheckError("invalid answer") from error
