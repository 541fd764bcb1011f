from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kring.confidentiality import policy
from kring.confidentiality.models import AuditEvent
from kring.confidentiality.policy import Action
from kring.planning.models import Attendance, Meeting

from . import rota, selectors
from .models import Case, CaseBallot, CaseVote, LearningLogDismissal, LearningLogEntry, MeetingCase


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
    """The presenter may withdraw an open case at any time, also once it is chosen for a
    coming meeting (then that choice goes); afterwards only they can still see it."""
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
    MeetingCase.objects.filter(case=case).delete()
    CaseBallot.objects.filter(case=case, vote__closed_at__isnull=True).delete()
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


# Choosing the case(s) of a meeting


def _lock_meeting(meeting: Meeting) -> Meeting:
    """Lock the meeting: two choices at the same moment cannot both take its last place."""
    return Meeting.objects.select_for_update().select_related("group").get(pk=meeting.pk)


def _choose(*, meeting: Meeting, case: Case, how: str, by) -> MeetingCase:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.group_id != meeting.group_id:
        raise CaseError(_("This case belongs to another group."))
    if case.status != Case.Status.OPEN:
        raise CaseError(_("Only an open case from the backlog can be chosen."))
    if MeetingCase.objects.filter(case=case).exists():
        raise CaseError(_("This case has already been chosen for a meeting."))
    if MeetingCase.objects.filter(meeting=meeting).count() >= selectors.MAX_CASES_PER_MEETING:
        raise CaseError(_("A meeting takes at most two cases."))
    if Attendance.objects.filter(
        meeting=meeting, user_id=case.presenter_id, status=Attendance.Status.ABSENT_WITH_NOTICE
    ).exists():
        raise CaseError(_("The presenter of this case has said they cannot come to this meeting."))
    choice = MeetingCase.objects.create(meeting=meeting, case=case, how=how, chosen_by=by)
    rota.make_presenter(meeting=meeting, user=case.presenter)
    policy.record_content_change(AuditEvent.Event.CHANGE, by, case, f"case {how} for a meeting")
    return choice


@transaction.atomic
def volunteer_case(*, case: Case, meeting: Meeting, by) -> MeetingCase:
    """The presenter offers their own open case for a coming meeting of the group."""
    meeting = _lock_meeting(meeting)
    if case.presenter_id != by.pk:
        raise CaseError(_("Only the person who brought in a case can volunteer it."))
    if not policy.can(by, Action.VOLUNTEER_CASE, meeting):
        raise CaseError(_("You can volunteer a case for a planned meeting of your own group."))
    return _choose(meeting=meeting, case=case, how=MeetingCase.How.VOLUNTEERED, by=by)


@transaction.atomic
def choose_case(*, case: Case, meeting: Meeting, by) -> MeetingCase:
    """The meeting's process facilitator (or the group's facilitator) chooses a case."""
    meeting = _lock_meeting(meeting)
    if not policy.can(by, Action.CHOOSE_CASES, meeting):
        raise CaseError(_("Only the process facilitator of this meeting chooses its cases."))
    return _choose(meeting=meeting, case=case, how=MeetingCase.How.CHOSEN, by=by)


@transaction.atomic
def remove_choice(*, choice: MeetingCase, by) -> Case:
    """The case goes back to the backlog: its presenter or whoever chooses may do so."""
    meeting = _lock_meeting(choice.meeting)
    case = choice.case
    if meeting.status != Meeting.Status.PLANNED:
        raise CaseError(_("The cases of a held or cancelled meeting stay as they are."))
    if case.presenter_id != by.pk and not policy.can(by, Action.CHOOSE_CASES, meeting):
        raise CaseError(_("Only the presenter or the process facilitator can undo this choice."))
    choice.delete()
    policy.record_content_change(AuditEvent.Event.CHANGE, by, case, "case back to the backlog")
    return case


def free_places(meeting: Meeting) -> int:
    taken = MeetingCase.objects.filter(meeting=meeting).count()
    return max(0, selectors.MAX_CASES_PER_MEETING - taken)


def votable_cases(meeting: Meeting) -> list[Case]:
    """The open cases of the group's backlog that are not chosen for a meeting yet."""
    return list(
        Case.objects.filter(group=meeting.group, status=Case.Status.OPEN)
        .exclude(meeting_choices__isnull=False)
        .order_by("created_at")
    )


@transaction.atomic
def open_vote(*, meeting: Meeting, places: int, by) -> CaseVote:
    """A short vote of the members on the backlog; a closed vote of before is replaced."""
    meeting = _lock_meeting(meeting)
    if not policy.can(by, Action.CHOOSE_CASES, meeting):
        raise CaseError(_("Only the process facilitator of this meeting opens a vote."))
    existing = CaseVote.objects.filter(meeting=meeting).first()
    if existing is not None and existing.is_open:
        raise CaseError(_("A vote is already open for this meeting."))
    if places not in (1, 2) or places > free_places(meeting):
        raise CaseError(_("The meeting has no room for that many more cases."))
    if len(votable_cases(meeting)) < 2:
        raise CaseError(_("A vote needs at least two open cases in the backlog."))
    if existing is not None:
        existing.delete()
    return CaseVote.objects.create(meeting=meeting, places=places, opened_by=by)


@transaction.atomic
def cast_ballot(*, vote: CaseVote, case: Case, by) -> CaseBallot:
    """Each current member has one vote; voting again changes it while the vote is open."""
    vote = CaseVote.objects.select_for_update().select_related("meeting__group").get(pk=vote.pk)
    if not vote.is_open:
        raise CaseError(_("This vote has been closed."))
    if not policy.can(by, Action.VOTE_ON_CASES, vote.meeting):
        raise CaseError(_("Only the members of the group vote."))
    if case.pk not in {c.pk for c in votable_cases(vote.meeting)}:
        raise CaseError(_("Choose one of the open cases of the backlog."))
    ballot, _created = CaseBallot.objects.update_or_create(
        vote=vote, voter=by, defaults={"case": case}
    )
    return ballot


@transaction.atomic
def close_vote(*, vote: CaseVote, by) -> list[MeetingCase]:
    """Close the vote: the case(s) with the most votes are chosen (a tie goes to the case
    brought in first); a case nobody voted for is not chosen."""
    meeting = _lock_meeting(vote.meeting)
    vote = CaseVote.objects.select_for_update().get(pk=vote.pk)
    if not vote.is_open:
        raise CaseError(_("This vote has already been closed."))
    if not policy.can(by, Action.CHOOSE_CASES, meeting):
        raise CaseError(_("Only the process facilitator of this meeting closes the vote."))
    vote.closed_at = timezone.now()
    vote.save(update_fields=["closed_at"])
    still_open = {c.pk: c for c in votable_cases(meeting)}
    room = min(vote.places, free_places(meeting))
    chosen = []
    for case_id, _votes in selectors.tally(vote):
        if len(chosen) >= room:
            break
        if case_id in still_open:
            chosen.append(
                _choose(meeting=meeting, case=still_open[case_id], how=MeetingCase.How.VOTED, by=by)
            )
    return chosen


def mark_discussed(*, meeting_id: int) -> int:
    """A meeting was held: its chosen cases are discussed there. A case whose presenter
    was not there goes back to the backlog. Returns how many were discussed."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        if meeting.status != Meeting.Status.HELD:
            return 0
        absent = set(
            Attendance.objects.filter(
                meeting=meeting,
                status__in=[
                    Attendance.Status.ABSENT_WITH_NOTICE,
                    Attendance.Status.ABSENT_WITHOUT_NOTICE,
                ],
            ).values_list("user_id", flat=True)
        )
        discussed = 0
        for choice in MeetingCase.objects.filter(meeting=meeting).select_related("case"):
            case = choice.case
            if case.status != Case.Status.OPEN:
                continue
            if case.presenter_id in absent:
                choice.delete()
                continue
            case.status = Case.Status.DISCUSSED
            case.discussed_at = meeting
            case.save(update_fields=["status", "discussed_at"])
            discussed += 1
        CaseVote.objects.filter(meeting=meeting, closed_at__isnull=True).delete()
        return discussed


def free_cases_of_cancelled(meeting: Meeting) -> int:
    """A cancelled meeting gives its cases back to the backlog (its vote goes too)."""
    with transaction.atomic():
        freed, _ = MeetingCase.objects.filter(meeting=meeting).delete()
        CaseVote.objects.filter(meeting=meeting).delete()
        return freed


# The learning log


def linkable_meetings(author) -> list[Meeting]:
    """Meetings an entry may refer to: those the author was at."""
    return selectors.meetings_attended(author)


def linkable_cases(author) -> list[Case]:
    """Cases an entry may refer to: discussed in or brought to a group the author is a
    member of (titles, read through the policy, so the read is audited)."""
    member_of = policy.viewer_of(author).current_groups
    cases = []
    for group in policy.groups_with_content_for(author).filter(pk__in=member_of):
        cases += [
            c for c in policy.read_backlog(author, group) if c.status != Case.Status.WITHDRAWN
        ]
    return cases


@transaction.atomic
def add_learning_log_entry(
    *, author, text: str, meeting: Meeting | None = None, case: Case | None = None
) -> LearningLogEntry:
    if meeting is not None and meeting.pk not in {m.pk for m in linkable_meetings(author)}:
        raise CaseError(_("Choose a meeting you were at."))
    if case is not None and case.pk not in {c.pk for c in linkable_cases(author)}:
        raise CaseError(_("Choose a case of your own group."))
    entry = LearningLogEntry.objects.create(author=author, text=text, meeting=meeting, case=case)
    policy.record_content_change(AuditEvent.Event.CREATE, author, entry, "learning-log entry")
    return entry


@transaction.atomic
def dismiss_prompt(*, author, meeting: Meeting) -> None:
    """The member writes nothing for this meeting: its prompt stops asking."""
    if meeting.pk not in {m.pk for m in linkable_meetings(author)}:
        raise CaseError(_("Choose a meeting you were at."))
    LearningLogDismissal.objects.get_or_create(author=author, meeting=meeting)
