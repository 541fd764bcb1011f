"""Reads about cases and learning logs that carry no content.

Titles, situations and entries are read only through the policy's audited readers; what
is here is organisational (which kinds, whose turn, how many waited) or the person's own
bookkeeping (which meetings they were at, for how long).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from kring.planning.models import Attendance, Meeting

from .models import Case, CaseBallot, LearningLogDismissal, MeetingCase

MAX_CASES_PER_MEETING = 2
# A held meeting asks "What do I take with me?" for this long (or until answered).
PROMPT_FOR = timedelta(days=90)


def chosen_case_kinds(meeting: Meeting) -> list[str]:
    """The kinds of the case(s) chosen for a meeting ("" for a presenter not sure)."""
    return list(
        MeetingCase.objects.filter(meeting=meeting)
        .exclude(case__status=Case.Status.WITHDRAWN)
        .order_by("created_at")
        .values_list("case__kind", flat=True)
    )


def chosen_presenter_ids(meeting: Meeting) -> list[int]:
    """Who presents a case chosen for the meeting: the rota keeps them as presenters."""
    return list(
        MeetingCase.objects.filter(meeting=meeting)
        .exclude(case__status=Case.Status.WITHDRAWN)
        .order_by("created_at")
        .values_list("case__presenter_id", flat=True)
    )


def coming_meetings(group) -> list[Meeting]:
    """The group's meetings a case can still be chosen for."""
    return list(group.meetings.filter(status=Meeting.Status.PLANNED).order_by("starts_at"))


def choices_by_case(group) -> dict[int, MeetingCase]:
    """Each case of the group that is chosen, with its choice and meeting."""
    return {
        choice.case_id: choice
        for choice in MeetingCase.objects.filter(meeting__group=group).select_related("meeting")
    }


def meetings_waited(group, cases: list[Case]) -> dict[int, int]:
    """For each open case: how many of the group's meetings were held since it came in."""
    held = list(
        group.meetings.filter(status=Meeting.Status.HELD).values_list("starts_at", flat=True)
    )
    return {case.pk: sum(1 for start in held if start >= case.created_at) for case in cases}


def is_choosable(case: Case) -> bool:
    """Open and not chosen for any meeting yet."""
    return case.status == Case.Status.OPEN and not MeetingCase.objects.filter(case=case).exists()


def tally(vote) -> list[tuple[int, int]]:
    """(case id, votes) of a vote, most votes first; a tie goes to the case brought in
    first. Only for a closed vote: a count that grows while it is open tells too much."""
    rows = list(CaseBallot.objects.filter(vote=vote).values_list("case_id", "case__created_at"))
    counts = Counter(case_id for case_id, _created in rows)
    created = dict(rows)
    return sorted(counts.items(), key=lambda item: (-item[1], created[item[0]], item[0]))


# The learning log's bookkeeping


def _was_present(user) -> Q:
    return Q(attendances__user=user, attendances__status=Attendance.Status.PRESENT)


def meetings_attended(user) -> list[Meeting]:
    """Held meetings the person was recorded present at, newest first."""
    return list(
        Meeting.objects.filter(_was_present(user), status=Meeting.Status.HELD)
        .select_related("group__programme__organisation")
        .order_by("-starts_at")
        .distinct()
    )


@dataclass
class ProgrammeHours:
    programme: object
    meetings: list[Meeting]

    @property
    def minutes(self) -> int:
        return sum(m.duration_minutes for m in self.meetings)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def hours_per_programme(user) -> list[ProgrammeHours]:
    """The meetings attended and their hours, per programme (for a portfolio)."""
    rows: dict[int, ProgrammeHours] = {}
    for meeting in sorted(meetings_attended(user), key=lambda m: m.starts_at):
        meeting.hours = round(meeting.duration_minutes / 60, 1)
        programme = meeting.group.programme
        rows.setdefault(programme.pk, ProgrammeHours(programme, [])).meetings.append(meeting)
    return sorted(rows.values(), key=lambda row: row.meetings[0].starts_at)


def learning_log_prompts(user, now=None) -> list[Meeting]:
    """Held meetings the person was at (the last 90 days) that still ask "What do I take
    with me?": no entry for them yet and the prompt not dismissed."""
    now = now or timezone.now()
    dismissed = LearningLogDismissal.objects.filter(author=user).values("meeting_id")
    return list(
        Meeting.objects.filter(
            _was_present(user),
            status=Meeting.Status.HELD,
            starts_at__gte=now - PROMPT_FOR,
            starts_at__lte=now,
            group__memberships__user=user,
        )
        .exclude(learning_log_entries__author=user)
        .exclude(pk__in=dismissed)
        .select_related("group")
        .order_by("-starts_at")
        .distinct()
    )


def prompts_for_meeting(user, meeting: Meeting) -> bool:
    return meeting.pk in {m.pk for m in learning_log_prompts(user)}
