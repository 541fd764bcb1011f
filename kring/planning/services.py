"""Planning actions: polls, changes that notify everyone, reminders that re-check their
meeting, and attendance. Each action takes plain values and the acting user `by`, runs in
one transaction and records what it did (`MeetingChange`); work for the worker is handed
over through `signals` once the transaction commits (this module never imports tasks)."""

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core import emails
from kring.core.tokens import hash_token, new_token
from kring.groups.models import GroupMembership

from . import calendar, signals
from .conflicts import Conflict, find_conflicts
from .models import (
    Attendance,
    BlackoutPeriod,
    DatePoll,
    Meeting,
    MeetingChange,
    PollAnswer,
    PollOption,
    Room,
)

User = get_user_model()

MISSING_ANSWERS = "missing_answers"
# A poll without a date to answer by gets a week; its reminder goes out a day before.
POLL_DAYS = 7
POLL_REMINDER_DAYS_BEFORE = 1
POLL_REMINDER_HOUR = time(9, 0)


class PlanningError(Exception):
    pass


class ConflictsFound(PlanningError):
    """The change meets conflicts; it goes ahead only with a reason (or an explicit yes)."""

    def __init__(self, conflicts: list[Conflict]):
        super().__init__(" ".join(conflict.message for conflict in conflicts))
        self.conflicts = conflicts


# People and notices


def people_of(meeting: Meeting) -> list:
    """Everyone a meeting concerns: the group's current members and its facilitator, as
    far as the policy still lets them into the group (not once switched off)."""
    return people_of_group(meeting.group)


def people_of_group(group) -> list:
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
    signals.send_on_commit(
        signals.meeting_notices_due,
        meeting_ids=[meeting.pk for meeting in meetings],
        template=template,
    )


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
    days_before = meeting.group.programme.reminder_days or []
    planned_start = meeting.starts_at.isoformat()
    now = timezone.now()
    signals.send_on_commit(
        signals.meeting_scheduled,
        meeting_id=meeting.pk,
        planned_start=planned_start,
        ends_at=meeting.ends_at,
    )
    for days in sorted({int(d) for d in days_before if int(d) > 0}):
        run_after = meeting.starts_at - timedelta(days=days)
        if run_after <= now:
            continue
        signals.send_on_commit(
            signals.meeting_reminder_due,
            meeting_id=meeting.pk,
            planned_start=planned_start,
            days=days,
            run_after=run_after,
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
    if meeting.starts_at != datetime.fromisoformat(planned_start):
        return 0  # compared as instants: the same time may be written in another zone
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


def _record(meeting, kind, by, *, previous=None, conflicts=(), override_reason=""):
    MeetingChange.objects.create(
        meeting=meeting,
        kind=kind,
        by=by,
        previous_starts_at=previous,
        starts_at=meeting.starts_at,
        conflicts=[conflict.as_record() for conflict in conflicts],
        override_reason=override_reason,
    )


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
    by,
    notify: bool = True,
    conflicts: list[Conflict] = (),
):
    """Plan one meeting; `notify=False` when the caller invites to a whole series at once.

    `conflicts` are the warnings the person saw and accepted (recorded with the meeting).
    """
    meeting = Meeting.objects.create(
        group=group,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        mode=mode,
        location=location,
        online_link=online_link,
        room=room,
    )
    _record(meeting, MeetingChange.Kind.PLANNED, by, conflicts=conflicts)
    if notify:
        notify_invited([meeting])
    schedule_reminders(meeting)
    return meeting


def reschedule_conflicts(*, meeting: Meeting, starts_at: datetime, viewer) -> list[Conflict]:
    """What speaks against moving the meeting to `starts_at` (as `viewer` may read it)."""
    return find_conflicts(
        group=meeting.group,
        starts_at=starts_at,
        duration_minutes=meeting.duration_minutes,
        room=meeting.room,
        meeting=meeting,
        viewer=viewer,
    )


@transaction.atomic
def reschedule(
    *,
    meeting: Meeting,
    starts_at: datetime,
    location: str,
    online_link: str,
    by,
    override_reason: str = "",
) -> Meeting:
    """Move a meeting: same UID, higher SEQUENCE, everyone told, reminders planned anew.

    A move onto a conflict (holiday, period without meetings, double booking, too close
    to the group's other meetings) raises `ConflictsFound` unless `override_reason` says
    why it should happen anyway; the reason and the conflicts are recorded. Absence
    notices were given for the old time: they are cleared and their authors asked again.
    """
    # Under a lock: two people moving the same meeting at once both raise its SEQUENCE.
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.status != Meeting.Status.PLANNED:
        raise PlanningError(_("Only a planned meeting can be moved."))
    meeting.ical_sequence = locked.ical_sequence
    override_reason = override_reason.strip()
    conflicts = reschedule_conflicts(meeting=meeting, starts_at=starts_at, viewer=by)
    if conflicts and not override_reason:
        raise ConflictsFound(conflicts)
    # The history is read by the group's facilitator and coordinators alike: it keeps the
    # conflicts as worded for someone who sees no other group.
    recorded = (
        reschedule_conflicts(meeting=meeting, starts_at=starts_at, viewer=None) if conflicts else []
    )
    previous = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.location = location
    meeting.online_link = online_link
    meeting.ical_sequence += 1
    meeting.full_clean(exclude=["group", "room"])
    meeting.save()
    _record(
        meeting,
        MeetingChange.Kind.MOVED,
        by,
        previous=previous,
        conflicts=recorded,
        override_reason=override_reason if conflicts else "",
    )
    if starts_at != previous:
        absent = meeting.attendances.filter(status=Attendance.Status.ABSENT_WITH_NOTICE)
        user_ids = sorted(absent.values_list("user_id", flat=True))
        if user_ids:
            absent.update(status=Attendance.Status.EXPECTED, reason="")
            signals.send_on_commit(
                signals.absences_cleared,
                meeting_id=meeting.pk,
                user_ids=user_ids,
                previous_starts_at=previous.isoformat(),
            )
    _notify([meeting], "meeting_rescheduled")
    schedule_reminders(meeting)
    return meeting


def send_absence_resets(*, meeting_id: int, user_ids: list[int], previous_starts_at: str) -> int:
    """Tell those whose absence notice a move cleared, and ask whether they can come now."""
    meeting = (
        Meeting.objects.select_related("group__programme", "group__facilitator")
        .filter(pk=meeting_id, status=Meeting.Status.PLANNED)
        .first()
    )
    if meeting is None:
        return 0
    previous = datetime.fromisoformat(previous_starts_at)
    sent = 0
    for user in people_of(meeting):
        if user.pk not in user_ids:
            continue
        emails.send(
            "meeting_absence_reset",
            user.email,
            {
                "meeting": meeting,
                "user": user,
                "previous_starts_at": previous,
                "where": calendar.where(meeting),
            },
            language=user.language,
        )
        sent += 1
    return sent


@transaction.atomic
def cancel(*, meeting: Meeting, by) -> Meeting:
    if meeting.status != Meeting.Status.PLANNED:
        raise PlanningError(_("Only a planned meeting can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.ical_sequence += 1
    meeting.save(update_fields=["status", "ical_sequence"])
    _record(meeting, MeetingChange.Kind.CANCELLED, by)
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
    # Saved, not updated in bulk: the rota listens and gives back a role taken over.
    for attendance in Attendance.objects.filter(
        meeting=meeting, user=user, status=Attendance.Status.ABSENT_WITH_NOTICE
    ):
        attendance.status = Attendance.Status.EXPECTED
        attendance.reason = ""
        attendance.save(update_fields=["status", "reason"])


@transaction.atomic
def record_attendance(*, meeting: Meeting, statuses: dict[int, str], by) -> Meeting:
    """The facilitator records who was there; the meeting counts as held."""
    for user_id, status in statuses.items():
        Attendance.objects.update_or_create(
            meeting=meeting, user_id=user_id, defaults={"status": status}
        )
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
    _record(meeting, MeetingChange.Kind.HELD, by)
    signals.send_on_commit(signals.meeting_held, meeting_id=meeting.pk)
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


def default_poll_deadline(starts: list[datetime]) -> date:
    """A week from today, but at the latest the day before the first option."""
    today = timezone.localdate()
    first = min(timezone.localtime(s).date() for s in starts)
    return max(today, min(today + timedelta(days=POLL_DAYS), first - timedelta(days=1)))


@transaction.atomic
def create_poll(
    *, group, title: str, starts: list[datetime], by, closes_on: date | None = None
) -> DatePoll:
    """Open a date poll: its group's members and facilitator get a mail with a link to
    answer (signal `poll_opened`), and whoever has not answered a reminder before it closes.
    """
    poll = DatePoll.objects.create(
        group=group,
        title=title,
        created_by=by,
        closes_on=closes_on or default_poll_deadline(starts),
    )
    PollOption.objects.bulk_create(PollOption(poll=poll, starts_at=s) for s in sorted(set(starts)))
    signals.send_on_commit(signals.poll_opened, poll_id=poll.pk)
    remind_at = timezone.make_aware(
        datetime.combine(
            poll.closes_on - timedelta(days=POLL_REMINDER_DAYS_BEFORE), POLL_REMINDER_HOUR
        )
    )
    if remind_at > timezone.now():
        signals.send_on_commit(
            signals.poll_reminder_due,
            poll_id=poll.pk,
            closes_on=poll.closes_on.isoformat(),
            run_after=remind_at,
        )
    return poll


def poll_people(poll: DatePoll) -> list:
    """Who answers a poll: the group's current members and its facilitator."""
    return [
        user for user in people_of_group(poll.group) if policy.can(user, Action.ANSWER_POLL, poll)
    ]


def missing_answers(poll: DatePoll) -> list:
    """The people who have not answered every option yet."""
    options = poll.options.count()
    answered = Counter(
        PollAnswer.objects.filter(option__poll=poll).values_list("user_id", flat=True)
    )
    return [user for user in poll_people(poll) if answered[user.pk] < options]


def _poll_mail(poll: DatePoll, template: str, users) -> int:
    link = settings.SITE_URL + reverse("planning:poll", kwargs={"poll_id": poll.pk})
    for user in users:
        emails.send(
            template,
            user.email,
            {"poll": poll, "user": user, "link": link, "options": list(poll.options.all())},
            language=user.language,
        )
    return len(users)


def announce_poll(*, poll_id: int) -> int:
    """Mail each person who answers the poll a link to it (not its maker). Worker side."""
    poll = (
        DatePoll.objects.select_related("group__programme", "created_by").filter(pk=poll_id).first()
    )
    if poll is None or poll.is_closed:
        return 0
    users = [user for user in poll_people(poll) if user.pk != poll.created_by_id]
    return _poll_mail(poll, "poll_opened", users)


def remind_poll(*, poll_id: int, closes_on: str) -> int:
    """Remind whoever has not answered yet; nothing when the poll was confirmed, removed
    or given another deadline since the reminder was planned."""
    poll = DatePoll.objects.select_related("group__programme").filter(pk=poll_id).first()
    if poll is None or poll.is_closed or poll.closes_on is None:
        return 0
    if poll.closes_on.isoformat() != closes_on:
        return 0
    return _poll_mail(poll, "poll_reminder", missing_answers(poll))


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


def poll_warnings(*, option: PollOption, viewer) -> list[Conflict]:
    """What to know before a poll's option becomes a meeting: who has not answered yet,
    and every conflict the option meets (as for moving a meeting)."""
    poll = option.poll
    warnings = []
    missing = missing_answers(poll)
    if missing:
        total = len(poll_people(poll))
        warnings.append(
            Conflict(
                MISSING_ANSWERS,
                ngettext(
                    "%(answered)s of %(total)s people has answered this poll; not yet: %(names)s.",
                    "%(answered)s of %(total)s people have answered this poll; not yet: %(names)s.",
                    total - len(missing),
                )
                % {
                    "answered": total - len(missing),
                    "total": total,
                    "names": ", ".join(user.full_name for user in missing),
                },
            )
        )
    warnings.extend(
        find_conflicts(
            group=poll.group,
            starts_at=option.starts_at,
            duration_minutes=poll.group.programme.meeting_duration_minutes,
            viewer=viewer,
        )
    )
    return warnings


@transaction.atomic
def confirm_poll_option(
    *, option: PollOption, location: str, online_link: str, by, accept_warnings: bool = False
) -> Meeting:
    """Make a poll's option the meeting. With missing answers or conflicts this raises
    `ConflictsFound` until the person confirms explicitly (`accept_warnings`)."""
    option = PollOption.objects.select_related("poll__group__programme").get(pk=option.pk)
    poll = DatePoll.objects.select_for_update().get(pk=option.poll_id)
    if poll.is_closed:
        raise PlanningError(_("This poll is closed."))
    warnings = poll_warnings(option=option, viewer=by)
    if warnings and not accept_warnings:
        raise ConflictsFound(warnings)
    if warnings:  # kept in the history, worded for someone who sees no other group
        warnings = poll_warnings(option=option, viewer=None)
    programme = option.poll.group.programme
    meeting = plan_meeting(
        group=option.poll.group,
        starts_at=option.starts_at,
        duration_minutes=programme.meeting_duration_minutes,
        mode=Meeting.Mode.ONLINE if online_link else Meeting.Mode.ON_SITE,
        location=location,
        online_link=online_link,
        by=by,
        conflicts=warnings,
    )
    poll.is_closed = True
    poll.save(update_fields=["is_closed"])
    return meeting


@transaction.atomic
def add_room(*, organisation, name: str, location, capacity: int) -> Room:
    return Room.objects.create(
        organisation=organisation, name=name, location=location, capacity=capacity
    )


@transaction.atomic
def add_blackout(*, programme, starts_on: date, ends_on: date, reason: str, by) -> BlackoutPeriod:
    """Days without meetings: the planner skips them and moving a meeting there warns."""
    if ends_on < starts_on:
        raise PlanningError(_("The last day cannot come before the first."))
    return BlackoutPeriod.objects.create(
        programme=programme, starts_on=starts_on, ends_on=ends_on, reason=reason, created_by=by
    )


@transaction.atomic
def remove_blackout(*, period: BlackoutPeriod) -> None:
    period.delete()


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
    """The meetings of the groups the person is in or facilitates, by the policy's rules.
    A written round is no appointment: it is not in the calendar."""
    return (
        Meeting.objects.appointments()
        .filter(group__in=policy.groups_with_content_for(user).values("pk"))
        .select_related("group")
        .distinct()
        .order_by("starts_at")
    )
