"""What each role's start page shows: what needs the person now, and how it is going.

Every block starts from a list the policy gives (`programmes_for`, `groups_with_content_for`,
`direct_reports_of`, `managed_organisations`) and asks `policy.can` about each programme,
so the start page never shows more than the pages its links lead to. The numbers are
worked out for all of a person's programmes and groups at once: the number of queries does
not grow with the number of programmes, groups or meetings.

No block reads content: no cases, notes, reports, absence reasons or poll comments.
Coordinators and sponsors see organisational facts and aggregates; a line manager sees
only whether their own reports take part.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from kring.accounts.models import Invitation
from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.groups.models import (
    GroundRuleAcceptance,
    GroundRuleSet,
    Group,
    GroupMembership,
    Proposal,
)
from kring.kickoffs.models import Kickoff, KickoffInvitation
from kring.meetings.selectors import learning_log_prompts
from kring.notifications.models import CommunicationDispatch, Notice
from kring.organisations.models import Membership
from kring.planning.models import Attendance, DatePoll, Meeting, PollAnswer
from kring.planning.selectors import polls_awaiting_answer
from kring.programmes.models import (
    WAITING_FOR,
    AssignmentCompletion,
    CommunicationMessage,
    PreparationAssignment,
    Programme,
    ProgrammeRoleName,
    Registration,
)

Status = Programme.Status

# A member counts as repeatedly absent when absent from this many of their group's last
# `ABSENCE_WINDOW` held meetings (absent with or without notice).
ABSENCE_WINDOW = 3
ABSENCE_ALERT_AT = 2
ABSENT = {Attendance.Status.ABSENT_WITH_NOTICE, Attendance.Status.ABSENT_WITHOUT_NOTICE}
STAGES = [status.value for status in Status]
# Where a coordinator needs to act before the programme can run.
PLANNING_STAGES = {Status.GROUPS_FORMED, Status.RUNNING}


# Shared pieces


@dataclass
class Progress:
    """Aggregates only: never who, never what was said."""

    registered: int = 0
    groups: int = 0
    grouped: int = 0
    meetings_planned: int = 0
    meetings_held: int = 0
    present: int = 0
    attendance_recorded: int = 0

    @property
    def attendance_rate(self) -> int | None:
        """Share of recorded attendances at held meetings that were present."""
        if not self.attendance_recorded:
            return None
        return round(100 * self.present / self.attendance_recorded)


def _progress(programme_ids: list[int]) -> dict[int, Progress]:
    progress = {pk: Progress() for pk in programme_ids}
    if not programme_ids:
        return progress
    for row in (
        Registration.objects.taking_part()
        .filter(programme_id__in=programme_ids)
        .order_by()
        .values("programme_id")
        .annotate(n=Count("id"))
    ):
        progress[row["programme_id"]].registered = row["n"]
    for row in (
        Group.objects.filter(programme_id__in=programme_ids)
        .order_by()
        .values("programme_id")
        .annotate(
            n=Count("id", distinct=True),
            grouped=Count(
                "memberships__user",
                filter=Q(memberships__left_on__isnull=True),
                distinct=True,
            ),
        )
    ):
        progress[row["programme_id"]].groups = row["n"]
        progress[row["programme_id"]].grouped = row["grouped"]
    for row in (
        Meeting.objects.filter(group__programme_id__in=programme_ids)
        .order_by()
        .values("group__programme_id")
        .annotate(
            planned=Count("id", filter=~Q(status=Meeting.Status.CANCELLED)),
            held=Count("id", filter=Q(status=Meeting.Status.HELD)),
        )
    ):
        item = progress[row["group__programme_id"]]
        item.meetings_planned, item.meetings_held = row["planned"], row["held"]
    for row in (
        Attendance.objects.filter(
            meeting__group__programme_id__in=programme_ids, meeting__status=Meeting.Status.HELD
        )
        .exclude(status=Attendance.Status.EXPECTED)
        .order_by()
        .values("meeting__group__programme_id")
        .annotate(
            recorded=Count("id"), present=Count("id", filter=Q(status=Attendance.Status.PRESENT))
        )
    ):
        item = progress[row["meeting__group__programme_id"]]
        item.attendance_recorded, item.present = row["recorded"], row["present"]
    return progress


@dataclass
class PollStatus:
    poll: DatePoll
    members: int
    answered: int

    @property
    def missing(self) -> int:
        return self.members - self.answered


def _open_polls(groups: list[Group], members_of: dict[int, set[int]]) -> list[PollStatus]:
    """Open polls of these groups, with how many current members have not answered yet."""
    polls = list(
        DatePoll.objects.filter(group__in=groups, is_closed=False)
        .select_related("group")
        .order_by("created_at", "pk")
    )
    answered: dict[int, set[int]] = defaultdict(set)
    for poll_id, user_id in (
        PollAnswer.objects.filter(option__poll__in=polls)
        .order_by()
        .values_list("option__poll_id", "user_id")
        .distinct()
    ):
        answered[poll_id].add(user_id)
    statuses = []
    for poll in polls:
        members = members_of.get(poll.group_id, set())
        statuses.append(PollStatus(poll, len(members), len(members & answered[poll.pk])))
    return statuses


def _week_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Monday 00:00 to the next Monday 00:00 of the current week, in local time."""
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    tz = timezone.get_current_timezone()
    start = datetime.combine(monday, time.min, tzinfo=tz)
    return start, start + timedelta(days=7)


# Coordinator


@dataclass
class Absence:
    membership: GroupMembership
    absent: int
    of: int


@dataclass
class CoordinatedProgramme:
    programme: Programme
    progress: Progress
    unconfirmed: int = 0
    manager_pending: int = 0
    waiting: int = 0
    has_published_groups: bool = False
    groups_without_meetings: list[Group] = field(default_factory=list)
    polls: list[PollStatus] = field(default_factory=list)
    small_groups: list[tuple[Group, int]] = field(default_factory=list)
    meetings_without_room: list[Meeting] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)

    @property
    def next_step(self) -> str:
        """The one thing that moves the programme on (the template words and links it)."""
        status = self.programme.status
        if status == Status.DRAFT:
            return "finish_plan"
        if status == Status.SUBMITTED:
            return "await_approval"
        if status == Status.APPROVED:
            return "open_registration"
        if status == Status.REGISTRATION_OPEN:
            if self.progress.registered < self.programme.group_size_min:
                return "gather_registrations"
            return "compose_groups"
        if status in PLANNING_STAGES and self.groups_without_meetings:
            return "plan_meetings"
        if status == Status.GROUPS_FORMED:
            return "start_programme"
        if status == Status.RUNNING:
            return "follow_meetings"
        if status == Status.EVALUATING:
            return "evaluate"
        return ""

    @property
    def polls_missing_answers(self) -> list[PollStatus]:
        return [poll for poll in self.polls if poll.missing]

    @property
    def alerts(self) -> int:
        return len(self.small_groups) + len(self.meetings_without_room) + len(self.absences)


def coordinator_block(user, programmes: list[Programme], now: datetime) -> dict | None:
    coordinated = [
        programme
        for programme in programmes
        if programme.status != Status.CLOSED
        and policy.can(user, Action.MANAGE_PROGRAMME, programme)
    ]
    if not coordinated:
        return None
    ids = [programme.pk for programme in coordinated]
    progress = _progress(ids)
    items = {p.pk: CoordinatedProgramme(programme=p, progress=progress[p.pk]) for p in coordinated}

    for row in (
        Registration.objects.filter(programme_id__in=ids)
        .order_by()
        .values("programme_id")
        .annotate(**{name: Count("id", filter=q) for name, q in WAITING_FOR.items()})
    ):
        item = items[row["programme_id"]]
        item.unconfirmed = row["unconfirmed"]
        item.manager_pending = row["manager_pending"]
        item.waiting = row["waiting"]
    for programme_id in Proposal.objects.filter(
        programme_id__in=ids, status=Proposal.Status.PUBLISHED
    ).values_list("programme_id", flat=True):
        items[programme_id].has_published_groups = True

    groups = list(
        Group.objects.filter(programme_id__in=ids)
        .annotate(
            planned_meetings=Count(
                "meetings", filter=~Q(meetings__status=Meeting.Status.CANCELLED), distinct=True
            )
        )
        .order_by("programme_id", "name")
    )
    memberships = list(
        GroupMembership.objects.current()
        .filter(group__in=groups)
        .select_related("user")
        .order_by("group_id", "user__full_name")
    )
    members_of: dict[int, set[int]] = defaultdict(set)
    for membership in memberships:
        members_of[membership.group_id].add(membership.user_id)
    groups_by_id = {group.pk: group for group in groups}
    for membership in memberships:
        membership.group = groups_by_id[membership.group_id]
    for group in groups:
        item = items[group.programme_id]
        group.programme = item.programme
        if item.programme.status in PLANNING_STAGES and not group.planned_meetings:
            item.groups_without_meetings.append(group)
        size = len(members_of[group.pk])
        if item.programme.status in PLANNING_STAGES | {Status.EVALUATING} and (
            size < item.programme.group_size_min
        ):
            item.small_groups.append((group, size))

    for poll in _open_polls(groups, members_of):
        poll.poll.group = groups_by_id[poll.poll.group_id]
        items[poll.poll.group.programme_id].polls.append(poll)

    for meeting in Meeting.objects.filter(
        group__in=groups,
        status=Meeting.Status.PLANNED,
        mode=Meeting.Mode.ON_SITE,
        room__isnull=True,
        starts_at__gte=now,
    ).order_by("starts_at"):
        meeting.group = groups_by_id[meeting.group_id]
        items[meeting.group.programme_id].meetings_without_room.append(meeting)

    for absence in _repeated_absences(groups, memberships):
        items[groups_by_id[absence.membership.group_id].programme_id].absences.append(absence)

    week_start, week_end = _week_bounds(now)
    this_week = list(
        Meeting.objects.filter(
            group__in=groups,
            starts_at__gte=week_start,
            starts_at__lt=week_end,
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("room__location")
        .order_by("starts_at")
    )
    for meeting in this_week:
        meeting.group = groups_by_id[meeting.group_id]
    # The running programmes first: that is where this week's work is.
    ordered = sorted(items.values(), key=lambda item: -STAGES.index(item.programme.status))
    return {"programmes": ordered, "this_week": this_week}


def _repeated_absences(groups: list[Group], memberships: list[GroupMembership]) -> list[Absence]:
    """Current members absent from at least ABSENCE_ALERT_AT of their group's last
    ABSENCE_WINDOW held meetings. The status only: the reason stays with the facilitator."""
    held: dict[int, list[int]] = defaultdict(list)
    for meeting_id, group_id in (
        Meeting.objects.filter(group__in=groups, status=Meeting.Status.HELD)
        .order_by("group_id", "-starts_at")
        .values_list("pk", "group_id")
    ):
        if len(held[group_id]) < ABSENCE_WINDOW:
            held[group_id].append(meeting_id)
    recent = [meeting_id for ids in held.values() for meeting_id in ids]
    if not recent:
        return []
    absent = Counter(
        Attendance.objects.filter(meeting_id__in=recent, status__in=ABSENT)
        .order_by()
        .values_list("meeting__group_id", "user_id")
    )
    return [
        Absence(membership, absent[(membership.group_id, membership.user_id)], len(held[m_group]))
        for membership in memberships
        if (m_group := membership.group_id) in held
        and absent[(m_group, membership.user_id)] >= ABSENCE_ALERT_AT
    ]


# Sponsor


@dataclass
class SponsoredProgramme:
    programme: Programme
    progress: Progress

    @property
    def awaits_decision(self) -> bool:
        return self.programme.status == Status.SUBMITTED


def sponsor_block(user, programmes: list[Programme]) -> dict | None:
    viewer = policy.viewer_of(user)
    sponsored = [
        programme
        for programme in programmes
        if ProgrammeRoleName.SPONSOR in viewer.programme_roles(programme.pk)
        and policy.can(user, Action.VIEW_PROGRESS, programme)
    ]
    if not sponsored:
        return None
    sponsored.sort(key=lambda programme: -STAGES.index(programme.status))
    progress = _progress([programme.pk for programme in sponsored])
    items = [SponsoredProgramme(programme, progress[programme.pk]) for programme in sponsored]
    return {
        "awaiting": [
            item
            for item in items
            if item.awaits_decision and policy.can(user, Action.DECIDE_ON_PLAN, item.programme)
        ],
        "programmes": items,
    }


# Facilitator


@dataclass
class FacilitatedGroup:
    group: Group
    members: int
    next_meeting: Meeting | None = None
    absences_announced: int = 0
    attendance_to_record: list[Meeting] = field(default_factory=list)
    polls: list[PollStatus] = field(default_factory=list)


def facilitator_block(user, content_groups: list[Group], now: datetime) -> list | None:
    groups = [group for group in content_groups if group.facilitator_id == user.pk]
    groups = [group for group in groups if policy.can(user, Action.MANAGE_MEETINGS, group)]
    if not groups:
        return None
    members_of: dict[int, set[int]] = defaultdict(set)
    for group_id, user_id in (
        GroupMembership.objects.current()
        .filter(group__in=groups)
        .order_by()
        .values_list("group_id", "user_id")
    ):
        members_of[group_id].add(user_id)
    items = {g.pk: FacilitatedGroup(group=g, members=len(members_of[g.pk])) for g in groups}
    for meeting in (
        Meeting.objects.appointments()
        .filter(group__in=groups, status=Meeting.Status.PLANNED)
        .select_related("room__location")
        .annotate(
            absences=Count(
                "attendances", filter=Q(attendances__status=Attendance.Status.ABSENT_WITH_NOTICE)
            )
        )
        .order_by("starts_at")
    ):
        item = items[meeting.group_id]
        meeting.group = item.group
        if meeting.ends_at <= now:
            item.attendance_to_record.append(meeting)
        elif item.next_meeting is None:
            item.next_meeting, item.absences_announced = meeting, meeting.absences
    for poll in _open_polls(groups, members_of):
        poll.poll.group = items[poll.poll.group_id].group
        items[poll.poll.group_id].polls.append(poll)
    return sorted(
        items.values(),
        key=lambda item: (
            item.next_meeting is None,
            item.next_meeting and item.next_meeting.starts_at,
        ),
    )


# Participant


@dataclass
class MemberGroup:
    group: Group
    next_meeting: Meeting | None
    absence_announced: bool
    must_accept_ground_rules: bool


def participant_block(user, content_groups: list[Group], programmes: list[Programme], now):
    viewer = policy.viewer_of(user)
    groups = [group for group in content_groups if group.pk in viewer.current_groups]
    participating = [
        programme
        for programme in programmes
        if policy.can(user, Action.COMPLETE_ASSIGNMENT, programme)
    ]
    registrations = list(
        Registration.objects.filter(user=user, programme__in=programmes)
        .exclude(status=Registration.Status.WITHDRAWN)
        .exclude(programme__status=Status.CLOSED)
        .exclude(programme__groups__in=groups)
        .select_related("programme")
    )
    if not groups and not participating and not registrations:
        return None

    next_meetings: dict[int, Meeting] = {}
    for meeting in (
        Meeting.objects.appointments()
        .filter(group__in=groups, status=Meeting.Status.PLANNED, starts_at__gte=now)
        .select_related("room__location")
        .order_by("starts_at")
    ):
        next_meetings.setdefault(meeting.group_id, meeting)
    announced = set(
        Attendance.objects.filter(
            user=user,
            meeting__in=list(next_meetings.values()),
            status=Attendance.Status.ABSENT_WITH_NOTICE,
        ).values_list("meeting_id", flat=True)
    )
    accepted = {
        (rule_set_id, revision)
        for rule_set_id, revision in GroundRuleAcceptance.objects.filter(
            user=user, rule_set__group__in=groups
        ).values_list("rule_set_id", "revision")
    }
    rule_sets = {
        rule_set.pk: rule_set
        for rule_set in GroundRuleSet.objects.filter(pk__in=[g.ground_rule_set_id for g in groups])
    }
    member_groups = []
    for group in groups:
        meeting = next_meetings.get(group.pk)
        if meeting is not None:
            meeting.group = group
        rule_set = rule_sets.get(group.ground_rule_set_id)
        member_groups.append(
            MemberGroup(
                group=group,
                next_meeting=meeting,
                absence_announced=meeting is not None and meeting.pk in announced,
                must_accept_ground_rules=rule_set is not None
                and (rule_set.pk, rule_set.revision) not in accepted
                and policy.can(user, Action.ACCEPT_GROUND_RULES, group),
            )
        )
    member_groups.sort(
        key=lambda g: (g.next_meeting is None, g.next_meeting and g.next_meeting.starts_at)
    )

    assignments = list(
        PreparationAssignment.objects.filter(programme__in=participating, sent_at__isnull=False)
        .select_related("programme")
        .order_by("due_on", "pk")
    )
    done = set(
        AssignmentCompletion.objects.filter(user=user, assignment__in=assignments).values_list(
            "assignment_id", flat=True
        )
    )
    block = {
        "groups": member_groups,
        "assignments": [
            {"assignment": a, "done": a.pk in done, "overdue": a.due_on < timezone.localdate(now)}
            for a in assignments
        ],
        "polls": [
            poll for poll in polls_awaiting_answer(user) if poll.group_id in viewer.current_groups
        ],
        "registrations": registrations,
    }
    # A participant role with nothing in it yet (no group, assignment or registration)
    # shows as a programme in "My programmes", not as an empty block.
    return block if any(block.values()) else None


# Line manager


def line_manager_block(user) -> list | None:
    reports = list(policy.direct_reports_of(user).select_related("line_manager"))
    reports = [m for m in reports if policy.can(user, Action.VIEW_PARTICIPATION, m)]
    if not reports:
        return None
    # Only what happens in the organisation where this person is their line manager:
    # what the report does in open programmes elsewhere is none of the manager's business.
    manages_in = {membership.user_id: membership.organisation_id for membership in reports}
    report_ids = list(manages_in)
    in_group = {
        membership.user_id: membership
        for membership in GroupMembership.objects.current()
        .filter(user_id__in=report_ids)
        .select_related("group__programme")
        .order_by("joined_on")
        if membership.group.programme.organisation_id == manages_in[membership.user_id]
        and membership.group.programme.status != Status.CLOSED
    }
    registered = {
        registration.user_id: registration
        for registration in Registration.objects.filter(user_id__in=report_ids)
        .exclude(status=Registration.Status.WITHDRAWN)
        .exclude(programme__status=Status.CLOSED)
        .select_related("programme")
        .order_by("created_at")
        if registration.programme.organisation_id == manages_in[registration.user_id]
    }
    return [
        {
            "membership": membership,
            "group_membership": in_group.get(membership.user_id),
            "registration": registered.get(membership.user_id),
        }
        for membership in sorted(reports, key=lambda m: m.user.full_name)
    ]


# Organisation admin


def admin_block(user) -> list | None:
    organisations = list(policy.managed_organisations(user).order_by("name"))
    organisations = [o for o in organisations if policy.can(user, Action.MANAGE_PEOPLE, o)]
    if not organisations:
        return None
    ids = [organisation.pk for organisation in organisations]
    people = dict(
        Membership.objects.filter(organisation_id__in=ids, is_active=True)
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )
    now = timezone.now()
    invitations = defaultdict(dict)
    for row in (
        Invitation.objects.filter(organisation_id__in=ids, accepted_at__isnull=True)
        .order_by()
        .values("organisation_id")
        .annotate(
            open=Count("id", filter=Q(expires_at__gt=now)),
            expired=Count("id", filter=Q(expires_at__lte=now)),
        )
    ):
        invitations[row["organisation_id"]] = row
    templates = defaultdict(list)
    for rule_set in (
        GroundRuleSet.objects.filter(organisation_id__in=ids, group__isnull=True)
        .annotate(rules_count=Count("rules"))
        .order_by("name")
    ):
        templates[rule_set.organisation_id].append(rule_set)
    return [
        {
            "organisation": organisation,
            "people": people.get(organisation.pk, 0),
            "open_invitations": invitations[organisation.pk].get("open", 0),
            "expired_invitations": invitations[organisation.pk].get("expired", 0),
            "ground_rule_templates": templates[organisation.pk],
        }
        for organisation in organisations
    ]


# Nobody yet


def whom_to_ask(user) -> list[Membership]:
    """The coordinators (or else the admins) of the person's own organisations."""
    viewer = policy.viewer_of(user)
    organisations = list(viewer.org_roles)
    if not organisations:
        return []
    people = list(
        Membership.objects.filter(
            organisation_id__in=organisations,
            is_active=True,
            user__is_active=True,
            role__in=[Membership.Role.COORDINATOR, Membership.Role.ADMIN],
        )
        .exclude(user=user)
        .select_related("user", "organisation")
        .order_by("role", "user__full_name")
    )
    coordinators = [m for m in people if m.role == Membership.Role.COORDINATOR]
    return (coordinators or people)[:3]


# The whole page

BLOCKS = ("coordinator", "sponsor", "facilitator", "participant", "direct_reports", "admin")


def dashboard_for(user, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    programmes = list(policy.programmes_for(user))
    content_groups = list(policy.groups_with_content_for(user))
    context = {
        "coordinator": coordinator_block(user, programmes, now),
        "sponsor": sponsor_block(user, programmes),
        "facilitator": facilitator_block(user, content_groups, now),
        "participant": participant_block(user, content_groups, programmes, now),
        "direct_reports": line_manager_block(user),
        "admin": admin_block(user),
        "notices": notices_block(user),
        "kickoffs": kickoffs_block(user, programmes, now),
        "messages_to_confirm": communication_block(user, programmes, now),
        # "What do I take with me?" after the meetings the person was at (no content).
        "log_prompts": learning_log_prompts(user, now),
    }
    shown = set()
    for block in ("coordinator", "sponsor"):
        if context[block]:
            shown |= {item.programme.pk for item in context[block]["programmes"]}
    context["other_programmes"] = [p for p in programmes if p.pk not in shown]
    # Someone in a programme without a block of their own (a facilitator not yet given a
    # group) sees the programme; only a person in none gets the welcome.
    context["has_role"] = any(context[block] for block in BLOCKS) or bool(programmes)
    if not context["has_role"]:
        context["whom_to_ask"] = whom_to_ask(user)
    return context


# Notices, kick-offs and the communication plan


NOTICES_SHOWN = 5
# Planned messages of the communication plan are shown this many days before their date.
MESSAGES_AHEAD = timedelta(days=21)


def notices_block(user) -> dict | None:
    """The person's unread notices, newest first (a notice never holds content)."""
    unread = list(Notice.objects.filter(recipient=user, read_at__isnull=True)[: NOTICES_SHOWN + 1])
    if not unread:
        return None
    return {"notices": unread[:NOTICES_SHOWN], "more": len(unread) > NOTICES_SHOWN}


@dataclass
class ComingKickoff:
    kickoff: Kickoff
    organiser: bool  # a coordinator of its programme: sees the invitations and the agenda
    invited: bool


def kickoffs_block(user, programmes: list[Programme], now: datetime) -> list | None:
    """Coming kick-offs the person is invited to or organises."""
    organised = [p.pk for p in programmes if policy.can(user, Action.MANAGE_KICKOFFS, p)]
    coming = (
        Kickoff.objects.filter(
            status=Kickoff.Status.PLANNED, starts_at__gte=now - timedelta(hours=3)
        )
        .filter(Q(programme__in=organised) | Q(invitations__user=user))
        .select_related("programme")
        .distinct()
    )
    invited = set(
        KickoffInvitation.objects.filter(user=user, kickoff__in=coming).values_list(
            "kickoff_id", flat=True
        )
    )
    items = [
        ComingKickoff(kickoff, kickoff.programme_id in organised, kickoff.pk in invited)
        for kickoff in coming
        if kickoff.programme_id in organised or policy.can(user, Action.VIEW_KICKOFF, kickoff)
    ]
    return items or None


@dataclass
class MessageToConfirm:
    message: CommunicationMessage
    overdue: bool


def communication_block(user, programmes: list[Programme], now: datetime) -> list | None:
    """Planned messages of the communication plan that wait for the coordinator: due within
    three weeks (or overdue) and not yet confirmed or sent."""
    managed = [p.pk for p in programmes if policy.can(user, Action.MANAGE_COMMUNICATION, p)]
    if not managed:
        return None
    today = timezone.localdate(now)
    waiting = (
        CommunicationMessage.objects.filter(
            programme__in=managed, send_on__lte=today + MESSAGES_AHEAD
        )
        .filter(Q(dispatch__isnull=True) | Q(dispatch__status=CommunicationDispatch.Status.DRAFT))
        .exclude(programme__status__in=[Status.CLOSED])
        .select_related("programme")
    )
    items = [MessageToConfirm(message, message.send_on < today) for message in waiting]
    return items or None
