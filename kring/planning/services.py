"""Planning actions: polls, the programme-wide planner, changes that notify everyone,
reminders that re-check their meeting, and attendance."""

from collections import Counter
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core import emails
from kring.core.tokens import hash_token, new_token
from kring.groups.models import GroupMembership

from . import calendar
from .models import Attendance, DatePoll, Meeting, PollAnswer, PollOption, Room

User = get_user_model()


class PlanningError(Exception):
    pass


# People and notices


def people_of(meeting: Meeting) -> list:
    """Everyone a meeting concerns: the group's current members and its facilitator, as
    far as the policy still lets them into the group (not once switched off)."""
    group = meeting.group
    users = [m.user for m in group.memberships.current().select_related("user")]
    if group.facilitator and group.facilitator not in users:
        users.append(group.facilitator)
    return [user for user in users if policy.can(user, Action.VIEW_GROUP_CONTENT, group)]


def _notify(meetings: list[Meeting], template: str) -> None:
    """Tell everyone the meetings concern, from the worker, once the transaction commits.

    The request only enqueues one task: rendering and sending dozens of mails (a confirmed
    plan of 60 meetings) happens in the worker, and a broken mail server cannot turn the
    saved action into an error page.
    """
    from .tasks import send_meeting_notices

    meeting_ids = [meeting.pk for meeting in meetings]
    transaction.on_commit(lambda: send_meeting_notices.enqueue(meeting_ids, template))


def notify_invited(meetings: list[Meeting]) -> None:
    """Invite everyone to new meetings: one mail per person, with a calendar file for each."""
    _notify(meetings, "meeting_invitation")


# A notice about several meetings at once uses its own text ("the meetings of your series").
SERIES_TEMPLATES = {"meeting_invitation": "meeting_series_invitation"}


def send_meeting_notices(*, meeting_ids: list[int], template: str) -> int:
    """Mail each person once about all of these meetings that concern them, with the
    calendar files attached. Returns the number of mails."""
    meetings = (
        Meeting.objects.filter(pk__in=meeting_ids)
        .select_related("group__programme", "group__facilitator")
        .order_by("starts_at")
    )
    people_by_group: dict[int, list] = {}
    notices: dict[int, tuple] = {}
    for meeting in meetings:
        if meeting.group_id not in people_by_group:
            people_by_group[meeting.group_id] = people_of(meeting)
        attendees = people_by_group[meeting.group_id]
        method = "CANCEL" if meeting.status == Meeting.Status.CANCELLED else "REQUEST"
        attachment = (
            f"bijeenkomst-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics",
            calendar.invitation(meeting, attendees),
            f"text/calendar; method={method}",
        )
        for user in attendees:
            notices.setdefault(user.pk, (user, []))[1].append((meeting, attachment))
    sent = 0
    for user, items in notices.values():
        if len(items) > 1 and template in SERIES_TEMPLATES:
            batches = [items]
        else:
            batches = [[item] for item in items]
        for batch in batches:
            first = batch[0][0]
            emails.send(
                SERIES_TEMPLATES[template] if len(batch) > 1 else template,
                user.email,
                {
                    "meeting": first,
                    "meetings": [meeting for meeting, _attachment in batch],
                    "user": user,
                    "where": calendar.where(first),
                },
                language=user.language,
                attachments=tuple(attachment for _meeting, attachment in batch),
            )
            sent += 1
    return sent


def schedule_reminders(meeting: Meeting) -> None:
    """Enqueue the reminders for a meeting; each one re-checks the meeting when it runs."""
    from .tasks import send_meeting_reminder

    days_before = meeting.group.programme.reminder_days or []
    planned_start = meeting.starts_at.isoformat()
    now = timezone.now()
    for days in sorted({int(d) for d in days_before if int(d) > 0}):
        run_after = meeting.starts_at - timedelta(days=days)
        if run_after <= now:
            continue
        transaction.on_commit(
            lambda run_after=run_after, days=days: send_meeting_reminder.using(
                run_after=run_after
            ).enqueue(meeting.pk, planned_start, days)
        )


def send_reminder(*, meeting_id: int, planned_start: str, days: int) -> int:
    """Send one reminder, unless the meeting was cancelled or moved since it was planned.

    A moved meeting has its own, new reminders; this one then does nothing. Returns the
    number of people reminded.
    """
    meeting = (
        Meeting.objects.select_related("group__programme", "group__facilitator")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.status != Meeting.Status.PLANNED:
        return 0
    if meeting.starts_at.isoformat() != planned_start:
        return 0
    absent = set(
        meeting.attendances.filter(status=Attendance.Status.ABSENT_WITH_NOTICE).values_list(
            "user_id", flat=True
        )
    )
    reminded = 0
    for user in people_of(meeting):
        if user.pk in absent:
            continue
        emails.send(
            "meeting_reminder",
            user.email,
            {"meeting": meeting, "user": user, "days": days, "where": calendar.where(meeting)},
            language=user.language,
        )
        reminded += 1
    return reminded


@transaction.atomic
def plan_meeting(
    *,
    group,
    starts_at,
    duration_minutes,
    mode,
    location="",
    online_link="",
    room=None,
    notify: bool = True,
):
    """Plan one meeting; `notify=False` when the caller invites to a whole series at once."""
    meeting = Meeting.objects.create(
        group=group,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        location=location,
        online_link=online_link,
        room=room,
    )
    if notify:
        notify_invited([meeting])
    schedule_reminders(meeting)
    return meeting


@transaction.atomic
def reschedule(
    *, meeting: Meeting, starts_at: datetime, location: str, online_link: str
) -> Meeting:
    """Move a meeting: same UID, higher SEQUENCE, everyone told, reminders planned anew."""
    if meeting.status != Meeting.Status.PLANNED:
        raise PlanningError(_("Only a planned meeting can be moved."))
    meeting.starts_at = starts_at
    meeting.location = location
    meeting.online_link = online_link
    meeting.ical_sequence += 1
    meeting.full_clean(exclude=["group", "room"])
    meeting.save()
    _notify([meeting], "meeting_rescheduled")
    schedule_reminders(meeting)
    return meeting


@transaction.atomic
def cancel(*, meeting: Meeting) -> Meeting:
    if meeting.status != Meeting.Status.PLANNED:
        raise PlanningError(_("Only a planned meeting can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.ical_sequence += 1
    meeting.save(update_fields=["status", "ical_sequence"])
    _notify([meeting], "meeting_cancelled")
    return meeting


# Attendance


@transaction.atomic
def report_absence(*, meeting: Meeting, user, reason: str) -> Attendance:
    if meeting.starts_at <= timezone.now():
        raise PlanningError(_("Absence is reported before the meeting starts."))
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        user=user,
        defaults={"status": Attendance.Status.ABSENT_WITH_NOTICE, "reason": reason},
    )
    return attendance


@transaction.atomic
def withdraw_absence(*, meeting: Meeting, user) -> None:
    Attendance.objects.filter(
        meeting=meeting, user=user, status=Attendance.Status.ABSENT_WITH_NOTICE
    ).update(status=Attendance.Status.EXPECTED, reason="")


@transaction.atomic
def record_attendance(*, meeting: Meeting, statuses: dict[int, str]) -> Meeting:
    """The facilitator records who was there; the meeting counts as held."""
    for user_id, status in statuses.items():
        Attendance.objects.update_or_create(
            meeting=meeting, user_id=user_id, defaults={"status": status}
        )
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
    return meeting


def attendance_rates(group) -> dict:
    """Per member and for the group: share of held meetings attended."""
    held = list(group.meetings.filter(status=Meeting.Status.HELD).values_list("pk", flat=True))
    present = Counter(
        Attendance.objects.filter(meeting__in=held, status=Attendance.Status.PRESENT).values_list(
            "user_id", flat=True
        )
    )
    members = list(
        GroupMembership.objects.filter(group=group)
        .select_related("user")
        .order_by("user__full_name")
    )
    people = [
        {
            "user": membership.user,
            "present": present.get(membership.user_id, 0),
            "held": len(held),
            "rate": round(100 * present.get(membership.user_id, 0) / len(held)) if held else None,
        }
        for membership in members
    ]
    total = sum(person["present"] for person in people)
    possible = len(held) * len(people)
    return {"people": people, "group_rate": round(100 * total / possible) if possible else None}


# Date polls


@transaction.atomic
def create_poll(*, group, title: str, starts: list[datetime], by) -> DatePoll:
    poll = DatePoll.objects.create(group=group, title=title, created_by=by)
    PollOption.objects.bulk_create(PollOption(poll=poll, starts_at=s) for s in sorted(set(starts)))
    return poll


@transaction.atomic
@transaction.atomic
def answer_poll(*, poll: DatePoll, user, answers: dict[int, tuple[str, str]]) -> None:
    # Re-read under a lock: a poll confirmed a moment ago takes no more answers.
    poll = DatePoll.objects.select_for_update().select_related("group").get(pk=poll.pk)
    if poll.is_closed:
        raise PlanningError(_("This poll is closed."))
    if not policy.can(user, Action.ANSWER_POLL, poll):
        raise PlanningError(_("Only the group's members and its facilitator answer this poll."))
    options = {option.pk: option for option in poll.options.all()}
    for option_id, (answer, comment) in answers.items():
        if option_id in options:
            PollAnswer.objects.update_or_create(
                option=options[option_id],
                user=user,
                defaults={"answer": answer, "comment": comment},
            )


def ranking(poll: DatePoll, *, with_comments: bool) -> list[dict]:
    """Options best first: most "yes", then fewest "no", then most "if need be".

    Comments are private to the group (its members and facilitator): for anyone else
    (a coordinator planning the meeting) they are left out, not merely hidden.
    """
    rows = []
    for option in poll.options.prefetch_related("answers__user"):
        counts = Counter(answer.answer for answer in option.answers.all())
        rows.append(
            {
                "option": option,
                "yes": counts[PollAnswer.Answer.YES],
                "if_need_be": counts[PollAnswer.Answer.IF_NEED_BE],
                "no": counts[PollAnswer.Answer.NO],
                "comments": [
                    (answer.user.full_name, answer.comment)
                    for answer in option.answers.all()
                    if with_comments and answer.comment
                ],
            }
        )
    return sorted(rows, key=lambda r: (-r["yes"], r["no"], -r["if_need_be"], r["option"].starts_at))


@transaction.atomic
def confirm_poll_option(*, option: PollOption, location: str, online_link: str) -> Meeting:
    poll = option.poll
    programme = poll.group.programme
    meeting = plan_meeting(
        group=poll.group,
        starts_at=option.starts_at,
        duration_minutes=programme.meeting_duration_minutes,
        mode=Meeting.Mode.ONLINE if online_link else Meeting.Mode.ON_SITE,
        location=location,
        online_link=online_link,
    )
    poll.is_closed = True
    poll.save(update_fields=["is_closed"])
    return meeting


@transaction.atomic
def add_room(*, organisation, name: str, location, capacity: int) -> Room:
    return Room.objects.create(
        organisation=organisation, name=name, location=location, capacity=capacity
    )


# Personal calendar feed


@transaction.atomic
def reset_calendar_token(*, user) -> str:
    """A new secret feed address; the old one stops working at once.

    Only the token's hash is stored, so the returned token is the one chance to show it.
    """
    token, token_hash = new_token()
    user.calendar_token_hash = token_hash
    user.save(update_fields=["calendar_token_hash"])
    return token


def user_for_feed_token(token: str):
    if not token:
        return None
    return User.objects.filter(calendar_token_hash=hash_token(token), is_active=True).first()


def feed_meetings(user):
    """The meetings of the groups the person is in or facilitates, by the policy's rules."""
    return (
        Meeting.objects.filter(group__in=policy.groups_with_content_for(user).values("pk"))
        .select_related("group")
        .distinct()
        .order_by("starts_at")
    )
