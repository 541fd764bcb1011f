"""The communication plan that runs itself, and in-app notices.

Each planned message of a programme's communication plan is a draft until the coordinator
confirms it; the worker sends a confirmed message on its date to its audience, after
checking again that it is still confirmed for that date, not sent yet, and that the
programme is not closed. Notices tell a person in the app what awaits them; they carry
names and dates, never case content.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.core import emails
from kring.programmes.models import CommunicationMessage, Programme, ProgrammeRole

from . import audiences
from .models import CommunicationDispatch, Notice

Status = CommunicationDispatch.Status

# A message goes out on its date at this hour (the programme's time zone).
SEND_HOUR = time(9, 0)


class CommunicationError(Exception):
    pass


# The communication plan


def dispatch_of(message: CommunicationMessage) -> CommunicationDispatch:
    """The message's dispatch, or an unsaved draft with the plan's subject."""
    try:
        return message.dispatch
    except CommunicationDispatch.DoesNotExist:
        return CommunicationDispatch(message=message, subject=message.subject, body=message.subject)


def send_time(day: date) -> datetime:
    return datetime.combine(day, SEND_HOUR, tzinfo=timezone.get_default_timezone())


def _locked_dispatch(message: CommunicationMessage) -> CommunicationDispatch:
    dispatch, _created = CommunicationDispatch.objects.select_for_update().get_or_create(
        message=message, defaults={"subject": message.subject, "body": message.subject}
    )
    return dispatch


@transaction.atomic
def save_draft(
    *, message: CommunicationMessage, subject: str, body: str, by
) -> CommunicationDispatch:
    """Keep the coordinator's text; a confirmed message goes back to draft when edited."""
    dispatch = _locked_dispatch(message)
    if dispatch.status in {Status.SENT, Status.FAILED}:
        raise CommunicationError(_("This message has already been dealt with."))
    dispatch.subject, dispatch.body = subject, body
    dispatch.status = Status.DRAFT
    dispatch.confirmed_by, dispatch.confirmed_at = None, None
    dispatch.save()
    return dispatch


@transaction.atomic
def confirm(*, message: CommunicationMessage, subject: str, body: str, by) -> CommunicationDispatch:
    """Confirm the text: the worker sends it on the message's date (at once if that has
    passed)."""
    from .tasks import send_communication

    message = CommunicationMessage.objects.select_related("programme").get(pk=message.pk)
    if message.programme.status == Programme.Status.CLOSED:
        raise CommunicationError(_("The programme is closed: no more messages go out."))
    dispatch = _locked_dispatch(message)
    if dispatch.status in {Status.SENT, Status.FAILED}:
        raise CommunicationError(_("This message has already been dealt with."))
    dispatch.subject, dispatch.body = subject, body
    dispatch.status = Status.CONFIRMED
    dispatch.planned_for = message.send_on
    dispatch.planned_audience = message.audience
    dispatch.confirmed_by, dispatch.confirmed_at = by, timezone.now()
    dispatch.save()
    run_after = max(send_time(message.send_on), timezone.now())
    planned_for = message.send_on.isoformat()
    transaction.on_commit(
        lambda: send_communication.using(run_after=run_after).enqueue(dispatch.pk, planned_for)
    )
    return dispatch


@transaction.atomic
def back_to_draft(*, message: CommunicationMessage, by) -> CommunicationDispatch:
    dispatch = _locked_dispatch(message)
    if dispatch.status != Status.CONFIRMED:
        raise CommunicationError(_("Only a confirmed message that has not been sent can go back."))
    dispatch.status = Status.DRAFT
    dispatch.confirmed_by, dispatch.confirmed_at = None, None
    dispatch.save()
    return dispatch


def plan_changed(message: CommunicationMessage) -> None:
    """The plan moved a confirmed message to another date or audience: confirm it again."""
    CommunicationDispatch.objects.filter(message=message, status=Status.CONFIRMED).exclude(
        planned_for=message.send_on, planned_audience=message.audience
    ).update(status=Status.DRAFT, confirmed_by=None, confirmed_at=None)


@transaction.atomic
def send_due(*, dispatch_id: int, planned_for: str) -> int:
    """Send one confirmed message, if it still is what was confirmed. Returns the number
    of people it went to (0 when there was nothing to do)."""
    dispatch = (
        CommunicationDispatch.objects.select_for_update()
        .filter(pk=dispatch_id)
        .select_related("message__programme__organisation")
        .first()
    )
    if dispatch is None or dispatch.status != Status.CONFIRMED:
        return 0  # sent already, or back to draft since
    message = dispatch.message
    if dispatch.planned_for.isoformat() != planned_for or message.send_on != dispatch.planned_for:
        return 0  # confirmed again for another date: that task sends it
    programme = message.programme
    if programme.status == Programme.Status.CLOSED:
        dispatch.status = Status.FAILED
        dispatch.failure_reason = CommunicationDispatch.FailureReason.PROGRAMME_CLOSED
        dispatch.save(update_fields=["status", "failure_reason", "updated_at"])
        return 0
    people = audiences.audience_of(programme, message.audience)
    if not people:
        dispatch.status = Status.FAILED
        dispatch.failure_reason = CommunicationDispatch.FailureReason.NO_RECIPIENTS
        dispatch.save(update_fields=["status", "failure_reason", "updated_at"])
        return 0
    sender = dispatch.confirmed_by
    for person in people:
        emails.send(
            "communication_message",
            person.email,
            {"dispatch": dispatch, "programme": programme, "user": person, "sender": sender},
            language=person.language,
        )
    dispatch.status = Status.SENT
    dispatch.sent_at = timezone.now()
    dispatch.recipients_count = len(people)
    dispatch.save(update_fields=["status", "sent_at", "recipients_count", "updated_at"])
    return len(people)


# Notices


def notify(*, recipient, kind: str, params: dict, link: str = "") -> Notice:
    return Notice.objects.create(recipient=recipient, kind=kind, params=params, link=link)


@transaction.atomic
def mark_read(*, notice: Notice, by) -> Notice:
    if notice.recipient_id != by.pk:
        raise CommunicationError("not the recipient")  # the view's policy check comes first
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def mark_all_read(*, by) -> int:
    return Notice.objects.filter(recipient=by, read_at__isnull=True).update(read_at=timezone.now())


def plan_submitted(programme: Programme) -> None:
    """Tell the sponsor, by mail and in the app, that the plan awaits their decision."""
    link = reverse("programmes:detail", kwargs={"programme_id": programme.pk})
    sponsors = audiences.people_in_roles(programme, [ProgrammeRole.Role.SPONSOR])
    for sponsor in sponsors:
        notify(
            recipient=sponsor,
            kind=Notice.Kind.PLAN_AWAITS_APPROVAL,
            params={"programme": programme.title},
            link=link,
        )
        emails.send(
            "notice_plan_submitted",
            sponsor.email,
            {"programme": programme, "user": sponsor, "link": settings.SITE_URL + link},
            language=sponsor.language,
        )


@transaction.atomic
def poll_opened(*, poll_id: int) -> int:
    """Tell the poll's people (not its maker) in the app that it awaits their answer."""
    from kring.planning.models import DatePoll
    from kring.planning.services import poll_people

    poll = DatePoll.objects.select_related("group").filter(pk=poll_id).first()
    if poll is None or poll.is_closed:
        return 0
    link = reverse("planning:poll", kwargs={"poll_id": poll.pk})
    people = [person for person in poll_people(poll) if person.pk != poll.created_by_id]
    for person in people:
        notify(
            recipient=person,
            kind=Notice.Kind.POLL_AWAITS_ANSWER,
            params={"group": poll.group.name, "poll": poll.title},
            link=link,
        )
    return len(people)
