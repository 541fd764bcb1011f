"""The one place that decides who may see and do what (mission.md, "Who uses Kring").

Every view, service and push asks `can(user, action, obj)` or `get_or_deny(...)`; content
is read only through the audited readers at the end of this module. Roles are per
programme:

- participant: their own current group (members, schedule, ground rules) and its content;
- facilitator: the content of the groups they are assigned to, while assigned; they lead
  the process and take no part in the content, so they do not bring cases;
- coordinator: everything organisational of their programmes, never content;
- sponsor: the plan and aggregated progress of the programme, and the decision on the plan;
- line manager: the participation status of their own direct reports only;
- organisation admin: the organisation's people and templates, never content;
- privacy officer: the organisation's audit log (after a second factor), never content;
- learning logs: their author only.

Anything that is not yours answers 404, so its existence does not leak; 403 only where the
person may see that the object exists anyway (a member on a facilitator's page of their own
group). Content answers 404 to everyone who may not read it, and the refusal is audited.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils import timezone

from kring.evaluation.models import CheckAnswer, CheckParticipation, CheckSettings, minimum_answers
from kring.evaluation.summary import CheckResults, summarise
from kring.groups.models import Group, GroupMembership, Proposal
from kring.kickoffs.models import Kickoff, KickoffInvitation, KickoffQuestion
from kring.live.models import LiveEvent, LivePresence, LiveSession, PhaseReady, RoomScreen
from kring.meetings.models import (
    Case,
    CaseBallot,
    CaseVote,
    LearningLogDismissal,
    LearningLogEntry,
    MeetingCase,
    PhaseOutStep,
    PresenterPreference,
    RoleAssignment,
    RoleSwap,
)
from kring.methods.models import Method, MethodVersion
from kring.notifications.models import CommunicationDispatch, Notice
from kring.organisations.models import ClientRelation, Membership, Organisation
from kring.planning.models import Attendance, DatePoll, Meeting, PlanningRun, PollOption, Room
from kring.programmes.models import (
    CommunicationMessage,
    PreparationAssignment,
    Programme,
    ProgrammeRole,
    Registration,
)
from kring.records.models import ActionPointFollowUp, MeetingRecord, RecordInput
from kring.reports.models import (
    Report,
    ReportApproval,
    ReportFormat,
    ReportFormatVersion,
    ReportSettings,
)

from . import audit
from .models import AuditEvent, TiesVersion

ProgrammeRoleName = ProgrammeRole.Role
OrgRole = Membership.Role
Capacity = AuditEvent.Capacity


class Action(StrEnum):
    VIEW_ORGANISATION = "organisation.view"
    MANAGE_PEOPLE = "organisation.manage_people"
    CREATE_PROGRAMME = "organisation.create_programme"
    VIEW_AUDIT_LOG = "organisation.view_audit_log"
    VIEW_PROGRAMME = "programme.view"
    VIEW_PLAN = "programme.view_plan"
    VIEW_PROGRESS = "programme.view_progress"
    MANAGE_PROGRAMME = "programme.manage"
    DECIDE_ON_PLAN = "programme.decide_on_plan"
    CHANGE_STATUS = "programme.change_status"
    REGISTER = "programme.register"
    COMPLETE_ASSIGNMENT = "programme.complete_assignment"
    MANAGE_REGISTRATION = "registration.manage"
    VIEW_GROUP = "group.view"
    VIEW_GROUP_CONTENT = "group.view_content"
    ADD_CASE = "group.add_case"
    ACCEPT_GROUND_RULES = "group.accept_ground_rules"
    MANAGE_MEETINGS = "group.manage_meetings"
    ANSWER_POLL = "poll.answer"
    VIEW_MEETING = "meeting.view"
    REPORT_ABSENCE = "meeting.report_absence"
    VIEW_ABSENCE_REASON = "attendance.view_reason"
    VIEW_CASE = "case.view"
    WITHDRAW_CASE = "case.withdraw"
    DELETE_CASE = "case.delete"
    VIEW_PARTICIPATION = "membership.view_participation"
    VIEW_LEARNING_LOG = "learning_log.view"
    MANAGE_KICKOFFS = "programme.manage_kickoffs"
    VIEW_KICKOFF = "kickoff.view"
    NOTE_KICKOFF_QUESTION = "kickoff.note_question"
    MANAGE_COMMUNICATION = "programme.manage_communication"
    VIEW_NOTICE = "notice.view"
    VIEW_METHOD = "method.view"
    COPY_METHOD = "organisation.copy_method"
    EDIT_METHOD = "method.edit"
    ANSWER_CHECK = "meeting.answer_check"
    VIEW_ROTA = "group.view_rota"
    PLAN_ROTA = "group.plan_rota"
    EDIT_PHASE_OUT = "group.edit_phase_out"
    CHANGE_ROLES = "meeting.change_roles"
    ASK_ROLE_SWAP = "meeting.ask_role_swap"
    ANSWER_ROLE_SWAP = "role_swap.answer"
    VIEW_CHECK_RESULTS = "meeting.view_check_results"
    VOLUNTEER_CASE = "meeting.volunteer_case"
    CHOOSE_CASES = "meeting.choose_cases"
    VOTE_ON_CASES = "meeting.vote_on_cases"
    VIEW_RECORD = "meeting.view_record"
    EDIT_RECORD = "meeting.edit_record"
    FOLLOW_UP_ACTION_POINT = "action_point.follow_up"
    VIEW_REPORT = "meeting.view_report"
    EDIT_REPORT = "meeting.edit_report"
    APPROVE_REPORT = "report.approve"
    MANAGE_REPORT_FORMAT = "organisation.manage_report_format"
    VIEW_LIVE_SESSION = "meeting.view_live_session"
    LEAD_LIVE_SESSION = "live_session.lead"
    KEEP_TIME = "live_session.keep_time"
    OPEN_ROOM_SCREEN = "live_session.open_room_screen"
    CONTRIBUTE_LIVE_INPUT = "meeting.contribute_live_input"
    PLAN_WRITTEN_ROUND = "group.plan_written_round"


# Content: readable only through the audited readers below, 404 to everyone else.
CONTENT_MODELS: tuple[type[Model], ...] = (
    Case,
    LearningLogEntry,
    CheckAnswer,
    MeetingRecord,
    RecordInput,
    Report,
    ReportApproval,
)


# The registry: for every model, the field that leads to the object the rules of its
# children are about (poll → group → programme → organisation), and which action lets a
# person know that the object exists (then a refusal is 403; otherwise 404). A model with
# `seen_with=None` is known only to those allowed to act on it.


@dataclass(frozen=True)
class Node:
    parent: str | None
    seen_with: Action | None = None
    seen_through_parent: bool = False


REGISTRY: dict[type[Model], Node] = {
    Organisation: Node(parent=None, seen_with=Action.VIEW_ORGANISATION),
    Membership: Node(parent="organisation"),
    Room: Node(parent="organisation"),
    Programme: Node(parent="organisation", seen_with=Action.VIEW_PROGRAMME),
    Registration: Node(parent="programme"),
    PreparationAssignment: Node(parent="programme", seen_through_parent=True),
    Proposal: Node(parent="programme"),
    PlanningRun: Node(parent="programme"),
    Group: Node(parent="programme", seen_with=Action.VIEW_GROUP),
    DatePoll: Node(parent="group", seen_through_parent=True),
    PollOption: Node(parent="poll", seen_through_parent=True),
    Meeting: Node(parent="group", seen_with=Action.VIEW_MEETING),
    Attendance: Node(parent="meeting"),
    Case: Node(parent="group"),
    LearningLogEntry: Node(parent=None),
    Kickoff: Node(parent="programme", seen_with=Action.VIEW_KICKOFF),
    KickoffInvitation: Node(parent="kickoff"),
    KickoffQuestion: Node(parent="kickoff"),
    CommunicationMessage: Node(parent="programme"),
    CommunicationDispatch: Node(parent="message"),
    Notice: Node(parent=None),
    # A built-in method belongs to no organisation; a copy is its organisation's.
    Method: Node(parent=None, seen_with=Action.VIEW_METHOD),
    MethodVersion: Node(parent="method", seen_through_parent=True),
    CheckParticipation: Node(parent="meeting"),
    CheckAnswer: Node(parent="meeting"),
    CheckSettings: Node(parent="programme"),
    RoleAssignment: Node(parent="meeting"),
    PhaseOutStep: Node(parent="meeting"),
    PresenterPreference: Node(parent="group"),
    RoleSwap: Node(parent="meeting"),
    MeetingCase: Node(parent="meeting"),
    CaseVote: Node(parent="meeting"),
    CaseBallot: Node(parent="vote"),
    LearningLogDismissal: Node(parent=None),
    MeetingRecord: Node(parent="meeting"),
    RecordInput: Node(parent="record"),
    ActionPointFollowUp: Node(parent="action_point"),
    Report: Node(parent="meeting"),
    ReportApproval: Node(parent="report"),
    # The built-in default format belongs to no organisation.
    ReportFormat: Node(parent=None),
    ReportFormatVersion: Node(parent="format"),
    ReportSettings: Node(parent="programme"),
    LiveSession: Node(parent="meeting"),
    LiveEvent: Node(parent="session"),
    PhaseReady: Node(parent="session"),
    LivePresence: Node(parent="session"),
    RoomScreen: Node(parent="session"),
}

# The object each action is decided on; a child object is resolved to it.
ABOUT: dict[Action, type[Model]] = {
    Action.VIEW_ORGANISATION: Organisation,
    Action.MANAGE_PEOPLE: Organisation,
    Action.CREATE_PROGRAMME: Organisation,
    Action.VIEW_AUDIT_LOG: Organisation,
    Action.VIEW_PROGRAMME: Programme,
    Action.VIEW_PLAN: Programme,
    Action.VIEW_PROGRESS: Programme,
    Action.MANAGE_PROGRAMME: Programme,
    Action.DECIDE_ON_PLAN: Programme,
    Action.CHANGE_STATUS: Programme,
    Action.REGISTER: Programme,
    Action.COMPLETE_ASSIGNMENT: Programme,
    Action.MANAGE_REGISTRATION: Registration,
    Action.VIEW_GROUP: Group,
    Action.VIEW_GROUP_CONTENT: Group,
    Action.ADD_CASE: Group,
    Action.ACCEPT_GROUND_RULES: Group,
    Action.MANAGE_MEETINGS: Group,
    Action.ANSWER_POLL: DatePoll,
    Action.VIEW_MEETING: Meeting,
    Action.REPORT_ABSENCE: Meeting,
    Action.VIEW_ABSENCE_REASON: Attendance,
    Action.VIEW_CASE: Case,
    Action.WITHDRAW_CASE: Case,
    Action.DELETE_CASE: Case,
    Action.VIEW_PARTICIPATION: Membership,
    Action.VIEW_LEARNING_LOG: LearningLogEntry,
    Action.MANAGE_KICKOFFS: Programme,
    Action.VIEW_KICKOFF: Kickoff,
    Action.NOTE_KICKOFF_QUESTION: Kickoff,
    Action.MANAGE_COMMUNICATION: Programme,
    Action.VIEW_NOTICE: Notice,
    Action.VIEW_METHOD: Method,
    Action.COPY_METHOD: Organisation,
    Action.EDIT_METHOD: Method,
    Action.ANSWER_CHECK: Meeting,
    Action.VIEW_CHECK_RESULTS: Meeting,
    Action.VIEW_ROTA: Group,
    Action.PLAN_ROTA: Group,
    Action.EDIT_PHASE_OUT: Group,
    Action.CHANGE_ROLES: Meeting,
    Action.ASK_ROLE_SWAP: Meeting,
    Action.ANSWER_ROLE_SWAP: RoleSwap,
    Action.VOLUNTEER_CASE: Meeting,
    Action.CHOOSE_CASES: Meeting,
    Action.VOTE_ON_CASES: Meeting,
    Action.VIEW_RECORD: Meeting,
    Action.EDIT_RECORD: Meeting,
    Action.FOLLOW_UP_ACTION_POINT: RecordInput,
    Action.VIEW_REPORT: Meeting,
    Action.EDIT_REPORT: Meeting,
    Action.APPROVE_REPORT: Report,
    Action.MANAGE_REPORT_FORMAT: Organisation,
    Action.VIEW_LIVE_SESSION: Meeting,
    Action.LEAD_LIVE_SESSION: LiveSession,
    Action.KEEP_TIME: LiveSession,
    Action.OPEN_ROOM_SCREEN: LiveSession,
    Action.CONTRIBUTE_LIVE_INPUT: Meeting,
    Action.PLAN_WRITTEN_ROUND: Group,
}


def _chain(model: type[Model]) -> list[str]:
    """The parent fields from `model` up to its root, e.g. ["meeting", "group", ...]."""
    fields = []
    while (parent := REGISTRY[model].parent) is not None:
        fields.append(parent)
        model = model._meta.get_field(parent).related_model
    return fields


def _resolve(obj: Model, target: type[Model]) -> Model:
    """Walk up the registry from `obj` to the object of type `target`."""
    while not isinstance(obj, target):
        parent = REGISTRY[type(obj)].parent
        if parent is None:
            raise TypeError(f"{type(obj).__name__} does not lead to {target.__name__}")
        obj = getattr(obj, parent)
    return obj


def organisation_of(obj: Model) -> Organisation | None:
    """The organisation whose data the object is, from the registry."""
    if type(obj) not in REGISTRY:
        return None
    try:
        return _resolve(obj, Organisation)
    except TypeError:
        return None


# The viewer: a person's ties, looked up once per request and shared by every decision.


@dataclass
class Viewer:
    user: object
    _org_roles: dict[int, str] | None = None
    _switched_off: set[int] | None = None
    _programme_roles: dict[int, set[str]] | None = None
    _current_groups: set[int] | None = None
    _client_of_firms: set[int] | None = field(default=None)
    _meeting_roles: dict[int, list[str]] | None = None

    @property
    def active(self) -> bool:
        user = self.user
        return bool(user is not None and user.is_authenticated and user.is_active)

    @property
    def org_roles(self) -> dict[int, str]:
        """The person's role in each organisation where their membership is active."""
        if self._org_roles is None:
            self._load_memberships()
        return self._org_roles

    @property
    def switched_off_in(self) -> set[int]:
        """Organisations that switched the person's membership off."""
        if self._switched_off is None:
            self._load_memberships()
        return self._switched_off

    def _load_memberships(self) -> None:
        rows = (
            Membership.objects.filter(user=self.user)
            .order_by()
            .values_list("organisation_id", "role", "is_active")
        )
        # Filled apart and then set: a viewer kept for the live sockets is shared by
        # their threads, none of which may see half of it.
        org_roles, switched_off = {}, set()
        for organisation_id, role, is_active in rows:
            if is_active:
                org_roles[organisation_id] = role
            else:
                switched_off.add(organisation_id)
        self._org_roles, self._switched_off = org_roles, switched_off

    def org_role(self, organisation_id: int | None) -> str | None:
        return self.org_roles.get(organisation_id) if organisation_id else None

    def programme_roles(self, programme_id: int) -> set[str]:
        if self._programme_roles is None:
            roles: dict[int, set[str]] = {}
            rows = ProgrammeRole.objects.filter(user=self.user).order_by()
            for pid, role in rows.values_list("programme_id", "role"):
                roles.setdefault(pid, set()).add(role)
            self._programme_roles = roles
        return self._programme_roles.get(programme_id, set())

    @property
    def current_groups(self) -> set[int]:
        """Groups the person is a current member of, except in an organisation that
        switched their membership off (people of open programmes have no membership)."""
        if self._current_groups is None:
            switched_off = self.switched_off_in
            self._current_groups = {
                group_id
                for group_id, organisation_id in GroupMembership.objects.current()
                .filter(user=self.user)
                .order_by()
                .values_list("group_id", "group__programme__organisation_id")
                if organisation_id not in switched_off
            }
        return self._current_groups

    def meeting_roles(self, meeting_id: int) -> list[str]:
        """The person's roles in one meeting (one query per meeting and request)."""
        if self._meeting_roles is None:
            self._meeting_roles = {}
        roles = self._meeting_roles.get(meeting_id)
        if roles is None:
            roles = self._meeting_roles[meeting_id] = list(
                RoleAssignment.objects.filter(meeting_id=meeting_id, user=self.user)
                .order_by("role")
                .values_list("role", flat=True)
            )
        return roles

    @property
    def clients_managed(self) -> set[int]:
        """Client organisations of the facilitation firms this person manages."""
        if self._client_of_firms is None:
            firms = [org for org, role in self.org_roles.items() if role in MANAGING_ROLES]
            self._client_of_firms = set(
                ClientRelation.objects.filter(firm_id__in=firms).values_list("client_id", flat=True)
            )
        return self._client_of_firms


MANAGING_ROLES = {OrgRole.ADMIN, OrgRole.COORDINATOR}
# Who copies, edits and imports the organisation's methods.
METHOD_EDITORS = {OrgRole.ADMIN, OrgRole.COORDINATOR, OrgRole.FACILITATOR}

# Inside a request the viewer of each user is kept for the whole request; a change of
# anyone's roles clears it, so a decision never rests on roles that just changed.
_viewers: ContextVar[dict[int, Viewer] | None] = ContextVar("kring_viewers", default=None)


def viewer_of(user) -> Viewer:
    cache = _viewers.get()
    if cache is None or user is None or not getattr(user, "pk", None):
        return Viewer(user)
    viewer = cache.get(user.pk)
    if viewer is None or viewer.user is not user:
        viewer = cache[user.pk] = Viewer(user)
    return viewer


@contextmanager
def viewer_scope():
    """One viewer per user across all policy questions asked inside (a request, or one
    view rendered for a socket); the person's ties are read again in the next scope."""
    token = _viewers.set({})
    try:
        yield
    finally:
        _viewers.reset(token)


# Across the live sockets' renders and heartbeats a person's viewer is kept while the ties
# version stays the same: triggers raise it, in the transaction of the change, with every
# change of a table the viewer reads (`TiesVersion`). A socket reads the version with the
# session it asks about, before the ties: ties read after it are at worst newer than the
# version they are kept under (and read again at the next), never older.
_KEPT = 10_000
_kept: dict[int, tuple[int, Viewer | None]] = {}


def ties_version() -> Subquery:
    """The ties version, to read as an annotation of the object a socket asks about."""
    return Subquery(TiesVersion.objects.filter(pk=1).values("version")[:1])


def kept_user(user_id: int | None, version: int | None):
    """The active person `user_id` with the viewer kept for them at ties `version` (read
    now, and kept, when there is none at that version); None when there is no such active
    person. Inside a `viewer_scope`, whose questions then use that viewer. Without a
    version (no ties row, as after a test's flush) nothing is kept."""
    if not user_id:
        return None
    found = _kept.get(user_id) if version is not None else None
    if found is not None and found[0] == version:
        viewer = found[1]
    else:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        viewer = Viewer(user) if user is not None else None
        if version is not None:
            if len(_kept) >= _KEPT:
                _kept.clear()
            _kept[user_id] = (version, viewer)
    if viewer is None:
        return None
    scope = _viewers.get()
    if scope is not None:
        scope[user_id] = viewer
    return viewer.user


def forget_kept_viewers() -> None:
    """Drop every kept viewer (a test's database rolled back: versions and ids come again)."""
    _kept.clear()


def viewer_cache_middleware(get_response):
    """Share one viewer per user across all policy questions of a request."""

    def middleware(request):
        with viewer_scope():
            return get_response(request)

    return middleware


def _forget_viewers(**kwargs):
    cache = _viewers.get()
    if cache:
        cache.clear()


for _model in (Membership, ProgrammeRole, GroupMembership, ClientRelation, RoleAssignment):
    post_save.connect(_forget_viewers, sender=_model, dispatch_uid=f"policy-{_model.__name__}")
    post_delete.connect(_forget_viewers, sender=_model, dispatch_uid=f"policy-{_model.__name__}-d")


# The rules.


def _coordinates(viewer: Viewer, programme: Programme) -> bool:
    """Coordinators of the programme, the organisation's coordinators and admins, and
    those of the facilitation firm that runs the programme."""
    if ProgrammeRoleName.COORDINATOR in viewer.programme_roles(programme.pk):
        # Only while still an active member there: a deactivated membership ends it.
        if _org_roles_for(viewer, programme):
            return True
    if viewer.org_role(programme.organisation_id) in MANAGING_ROLES:
        return True
    return programme.run_by_id is not None and viewer.org_role(programme.run_by_id) in (
        MANAGING_ROLES
    )


def _is_current_member(viewer: Viewer, group: Group) -> bool:
    return group.pk in viewer.current_groups


def _org_roles_for(viewer: Viewer, programme: Programme) -> set[str]:
    """The person's active roles in the programme's organisation and in its firm."""
    return {
        role
        for role in (
            viewer.org_role(programme.organisation_id),
            viewer.org_role(programme.run_by_id),
        )
        if role is not None
    }


def holds_facilitator_role(user, programme: Programme) -> bool:
    """May this person lead groups of the programme: the facilitator role, active, in the
    programme's organisation or in the firm that runs it (checked on assignment and on
    every read of a facilitated group's content)."""
    viewer = viewer_of(user)
    return viewer.active and OrgRole.FACILITATOR in _org_roles_for(viewer, programme)


def _is_assigned_facilitator(viewer: Viewer, group: Group) -> bool:
    # Assigned, and still holding the facilitator role where they were assigned from
    # (`holds_facilitator_role`): a deactivated membership ends access to content.
    return (
        group.facilitator_id is not None
        and group.facilitator_id == viewer.user.pk
        and OrgRole.FACILITATOR in _org_roles_for(viewer, group.programme)
    )


def _reads_group_content(viewer: Viewer, group: Group) -> bool:
    return _is_assigned_facilitator(viewer, group) or _is_current_member(viewer, group)


def _is_sponsor(viewer: Viewer, programme: Programme) -> bool:
    # Only while still an active member there: a deactivated membership ends it.
    return ProgrammeRoleName.SPONSOR in viewer.programme_roles(programme.pk) and bool(
        _org_roles_for(viewer, programme)
    )


def _runs_kickoff(viewer: Viewer, kickoff: Kickoff) -> bool:
    """The programme's coordinators, and its facilitators (who present with them)."""
    programme = kickoff.programme
    return _coordinates(viewer, programme) or (
        ProgrammeRoleName.FACILITATOR in viewer.programme_roles(programme.pk)
        and OrgRole.FACILITATOR in _org_roles_for(viewer, programme)
    )


# How long after a meeting's end its one-minute check takes answers. Its results are shown
# only after that (or once everyone asked has answered): results that grew answer by answer
# would tell whoever saw them before and after what the last person answered.
CHECK_OPEN_FOR = timedelta(days=3)


def check_is_open(meeting: Meeting) -> bool:
    """The meeting is held or over, so its check exists (it may have closed since)."""
    if meeting.status == Meeting.Status.CANCELLED:
        return False
    return meeting.status == Meeting.Status.HELD or meeting.ends_at <= timezone.now()


def check_closes_at(meeting: Meeting):
    return meeting.ends_at + CHECK_OPEN_FOR


def check_takes_answers(meeting: Meeting) -> bool:
    return check_is_open(meeting) and timezone.now() < check_closes_at(meeting)


def _absent_ids(meeting: Meeting) -> tuple[bool, set[int], set[int]]:
    """Whether attendance was recorded, who was present, who was reported absent."""
    rows = list(Attendance.objects.filter(meeting=meeting).values_list("user_id", "status"))
    present = {user_id for user_id, status in rows if status == Attendance.Status.PRESENT}
    absent = {
        user_id
        for user_id, status in rows
        if status in {Attendance.Status.ABSENT_WITH_NOTICE, Attendance.Status.ABSENT_WITHOUT_NOTICE}
    }
    recorded = bool(present) or any(s == Attendance.Status.ABSENT_WITHOUT_NOTICE for _u, s in rows)
    return recorded, present, absent


def _at_meeting(user, meeting: Meeting) -> bool:
    """Present when attendance was recorded; otherwise not reported absent."""
    recorded, present, absent = _absent_ids(meeting)
    return user.pk in present if recorded else user.pk not in absent


def _was_there(user, meeting: Meeting) -> bool:
    """At the meeting, once it is held or over."""
    return check_is_open(meeting) and _at_meeting(user, meeting)


def present_members(meeting: Meeting) -> list:
    """The current members who were at the held or past meeting (present when attendance
    was recorded, otherwise not reported absent): they approve its report."""
    if not check_is_open(meeting):
        return []
    recorded, present, absent = _absent_ids(meeting)
    members = [m.user for m in meeting.group.memberships.current().select_related("user")]
    was_there = present if recorded else {user.pk for user in members} - absent
    return [user for user in members if user.pk in was_there]


def check_respondents(meeting: Meeting) -> list:
    """Everyone asked for the one-minute check of a meeting: its current members who were
    there (present, or not reported absent when attendance was not recorded)."""
    if not check_is_open(meeting):
        return []
    members = [m.user for m in meeting.group.memberships.current().select_related("user")]
    return [user for user in members if can(user, Action.ANSWER_CHECK, meeting)]


def _decide(viewer: Viewer, action: Action, obj: Model) -> bool:  # noqa: C901 - one table
    if action is Action.REGISTER:
        # The programme page: open programmes are public, internal ones are for members.
        if obj.visibility == Programme.Visibility.OPEN:
            return True
        return viewer.active and (
            viewer.org_role(obj.organisation_id) is not None or _coordinates(viewer, obj)
        )
    if not viewer.active:
        return False
    user = viewer.user

    # Organisation
    if action is Action.CREATE_PROGRAMME:
        return viewer.org_role(obj.pk) in MANAGING_ROLES or obj.pk in viewer.clients_managed
    if action is Action.VIEW_ORGANISATION:
        return viewer.org_role(obj.pk) is not None
    if action is Action.MANAGE_PEOPLE:
        return viewer.org_role(obj.pk) == OrgRole.ADMIN
    if action is Action.VIEW_AUDIT_LOG:
        # The privacy officer only; the view also demands a verified second factor.
        return viewer.org_role(obj.pk) == OrgRole.PRIVACY_OFFICER

    # Programme
    if action is Action.VIEW_PROGRAMME:
        return bool(viewer.programme_roles(obj.pk)) or _coordinates(viewer, obj)
    if action in {Action.VIEW_PLAN, Action.VIEW_PROGRESS}:
        return _is_sponsor(viewer, obj) or _coordinates(viewer, obj)
    if action is Action.MANAGE_PROGRAMME:
        return _coordinates(viewer, obj)
    if action is Action.DECIDE_ON_PLAN:
        return _is_sponsor(viewer, obj)
    if action is Action.CHANGE_STATUS:
        # Which move is allowed is decided per move: DECIDE_ON_PLAN or MANAGE_PROGRAMME.
        return _is_sponsor(viewer, obj) or _coordinates(viewer, obj)
    if action is Action.COMPLETE_ASSIGNMENT:
        return ProgrammeRoleName.PARTICIPANT in viewer.programme_roles(obj.pk)
    if action is Action.MANAGE_REGISTRATION:
        return obj.user_id == user.pk or _coordinates(viewer, obj.programme)

    # Group
    if action is Action.VIEW_GROUP:
        return _reads_group_content(viewer, obj) or _coordinates(viewer, obj.programme)
    if action is Action.VIEW_GROUP_CONTENT:
        return _reads_group_content(viewer, obj)
    if action in {Action.ADD_CASE, Action.ACCEPT_GROUND_RULES}:
        # Cases are the members' own: the facilitator takes no part in the content.
        return _is_current_member(viewer, obj)
    if action is Action.MANAGE_MEETINGS:
        # Its facilitator plans, moves, cancels and records attendance.
        return _is_assigned_facilitator(viewer, obj) or _coordinates(viewer, obj.programme)
    if action is Action.ANSWER_POLL:
        group = obj.group
        return not obj.is_closed and (
            _is_current_member(viewer, group) or _is_assigned_facilitator(viewer, group)
        )

    # Roles and the phase-out plan: organisational, but only for the group, its
    # facilitator and the programme's coordinators (not sponsor, line manager, others).
    if action is Action.VIEW_ROTA:
        return _decide(viewer, Action.VIEW_GROUP, obj)
    if action is Action.PLAN_ROTA:
        return _decide(viewer, Action.MANAGE_MEETINGS, obj)
    if action is Action.EDIT_PHASE_OUT:
        return _is_assigned_facilitator(viewer, obj)
    if action is Action.CHANGE_ROLES:
        # The facilitator, a coordinator, or the member who is its process facilitator.
        return obj.status == Meeting.Status.PLANNED and (
            _decide(viewer, Action.MANAGE_MEETINGS, obj.group)
            or (
                _is_current_member(viewer, obj.group)
                and obj.role_assignments.filter(
                    user=user, role=RoleAssignment.Role.PROCESS_FACILITATOR
                ).exists()
            )
        )
    if action is Action.ASK_ROLE_SWAP:
        return (
            obj.status == Meeting.Status.PLANNED
            and obj.starts_at > timezone.now()
            and _is_current_member(viewer, obj.group)
        )
    if action is Action.ANSWER_ROLE_SWAP:
        return (
            obj.asked_id == user.pk
            and obj.status == RoleSwap.Status.PENDING
            and _decide(viewer, Action.ASK_ROLE_SWAP, obj.meeting)
        )

    # Meeting
    if action is Action.VIEW_MEETING:
        return _decide(viewer, Action.VIEW_GROUP, obj.group)
    if action is Action.REPORT_ABSENCE:
        return _is_current_member(viewer, obj.group)
    if action is Action.VIEW_ABSENCE_REASON:
        # The person themselves and the group's own facilitator; coordinators see the status.
        return obj.user_id == user.pk or _is_assigned_facilitator(viewer, obj.meeting.group)
    if action is Action.ANSWER_CHECK:
        # The members who were there, once the meeting is held or over.
        return (
            check_takes_answers(obj)
            and _is_current_member(viewer, obj.group)
            and _was_there(user, obj)
        )
    if action is Action.VIEW_CHECK_RESULTS:
        # The group and its facilitator, as aggregates only (`read_check_results`).
        return _reads_group_content(viewer, obj.group)

    # Content
    if action is Action.VIEW_CASE:
        if obj.status == Case.Status.WITHDRAWN:
            return obj.presenter_id == user.pk
        return _reads_group_content(viewer, obj.group)
    if action is Action.WITHDRAW_CASE:
        return (
            obj.presenter_id == user.pk
            and obj.status == Case.Status.OPEN
            and _is_current_member(viewer, obj.group)
        )
    if action is Action.DELETE_CASE:
        return obj.presenter_id == user.pk and obj.status == Case.Status.WITHDRAWN
    if action is Action.VIEW_LEARNING_LOG:
        return obj.author_id == user.pk
    # Choosing the case(s) of a planned meeting: the presenter volunteers their own (a
    # current member), the meeting's process facilitator or the group's facilitator
    # chooses, or lets the members vote.
    if action is Action.VOLUNTEER_CASE:
        return obj.status == Meeting.Status.PLANNED and _is_current_member(viewer, obj.group)
    if action is Action.CHOOSE_CASES:
        return obj.status == Meeting.Status.PLANNED and (
            _is_assigned_facilitator(viewer, obj.group)
            or (
                _is_current_member(viewer, obj.group)
                and obj.role_assignments.filter(
                    user=user, role=RoleAssignment.Role.PROCESS_FACILITATOR
                ).exists()
            )
        )
    if action is Action.VOTE_ON_CASES:
        return obj.status == Meeting.Status.PLANNED and _is_current_member(viewer, obj.group)
    if action is Action.VIEW_RECORD:
        # The meeting record: the group's current members and its facilitator.
        return _reads_group_content(viewer, obj.group)
    if action is Action.EDIT_RECORD:
        # The meeting's note taker and process facilitator (current members), and the
        # group's facilitator; never a coordinator.
        return obj.status != Meeting.Status.CANCELLED and (
            _is_assigned_facilitator(viewer, obj.group)
            or (
                _is_current_member(viewer, obj.group)
                and obj.role_assignments.filter(user=user, role__in=RECORD_KEEPING_ROLES).exists()
            )
        )
    if action is Action.FOLLOW_UP_ACTION_POINT:
        # The presenter whose action point it is, while a member of the group.
        return (
            obj.kind == "action_points"
            and obj.author_id == user.pk
            and _is_current_member(viewer, obj.group)
        )
    if action is Action.VIEW_REPORT:
        # The report: the group's current members and its facilitator; never a
        # coordinator, sponsor, line manager or admin.
        return _reads_group_content(viewer, obj.group)
    if action is Action.EDIT_REPORT:
        # The meeting's note taker (a current member) and the group's facilitator, once
        # the meeting is held or over, until the report is final.
        return (
            check_is_open(obj)
            and (
                _is_assigned_facilitator(viewer, obj.group)
                or (
                    _is_current_member(viewer, obj.group)
                    and obj.role_assignments.filter(
                        user=user, role=RoleAssignment.Role.NOTE_TAKER
                    ).exists()
                )
            )
            and not Report.objects.filter(meeting=obj, status=Report.Status.FINAL).exists()
        )
    if action is Action.APPROVE_REPORT:
        # Each current member who was at the meeting, while the report awaits approval.
        return (
            obj.status == Report.Status.AWAITING_APPROVAL
            and _is_current_member(viewer, obj.meeting.group)
            and _was_there(user, obj.meeting)
        )
    if action is Action.MANAGE_REPORT_FORMAT:
        # The organisation admin edits the organisation's report format (no content).
        return viewer.org_role(obj.pk) == OrgRole.ADMIN

    # The live session: organisational (phase, timer, who is ready), for the group only.
    if action is Action.VIEW_LIVE_SESSION:
        return _reads_group_content(viewer, obj.group)
    if action is Action.LEAD_LIVE_SESSION:
        return _leads_live_session(viewer, obj)
    if action is Action.KEEP_TIME:
        # In writing the presenter too may pause the round (and give it more time).
        keepers = {RoleAssignment.Role.TIMEKEEPER}
        if obj.pacing == LiveSession.Pacing.WRITTEN:
            keepers.add(RoleAssignment.Role.PRESENTER)
        return _leads_live_session(viewer, obj) or (
            obj.state != LiveSession.State.CLOSED
            and _is_current_member(viewer, obj.meeting.group)
            and not keepers.isdisjoint(viewer.meeting_roles(obj.meeting_id))
        )
    if action is Action.PLAN_WRITTEN_ROUND:
        # A written round is the group's own: its facilitator and its members plan one.
        return _reads_group_content(viewer, obj)
    if action is Action.OPEN_ROOM_SCREEN:
        # The room's projector, for a meeting on site: opened by whoever leads.
        return obj.meeting.mode == Meeting.Mode.ON_SITE and _leads_live_session(viewer, obj)

    if action is Action.CONTRIBUTE_LIVE_INPUT:
        # Each current member at the meeting writes their own inputs on their own device
        # (the facilitator takes no part in the content; the note taker types for a member
        # without a device under EDIT_RECORD).
        return (
            obj.status != Meeting.Status.CANCELLED
            and _is_current_member(viewer, obj.group)
            and _at_meeting(user, obj)
        )

    # Kick-offs and the communication plan: organisational, never content.
    if action in {Action.MANAGE_KICKOFFS, Action.MANAGE_COMMUNICATION}:
        return _coordinates(viewer, obj)
    if action is Action.VIEW_KICKOFF:
        # Its coordinators and the programme's facilitators; the audience its own invitation,
        # while they still hold a role in the programme (not after withdrawing).
        return _runs_kickoff(viewer, obj) or (
            obj.programme.organisation_id not in viewer.switched_off_in
            and bool(viewer.programme_roles(obj.programme_id))
            and obj.invitations.filter(user=user).exists()
        )
    if action is Action.NOTE_KICKOFF_QUESTION:
        return _runs_kickoff(viewer, obj)
    if action is Action.VIEW_NOTICE:
        return obj.recipient_id == user.pk

    # Methods: organisational, not content. Built-ins are for everyone signed in; an
    # organisation's copies for its people and for the firm that manages it.
    if action is Action.VIEW_METHOD:
        return obj.organisation_id is None or (
            viewer.org_role(obj.organisation_id) is not None
            or obj.organisation_id in viewer.clients_managed
            # a facilitation firm's methods, for the people of the clients it works for
            or ClientRelation.objects.filter(
                firm_id=obj.organisation_id, client_id__in=viewer.org_roles
            ).exists()
        )
    if action is Action.COPY_METHOD:
        # obj is the organisation the copy is for.
        return viewer.org_role(obj.pk) in METHOD_EDITORS or obj.pk in viewer.clients_managed
    if action is Action.EDIT_METHOD:
        return obj.organisation_id is not None and _decide(
            viewer, Action.COPY_METHOD, obj.organisation
        )

    if action is Action.VIEW_PARTICIPATION:
        # obj is the Membership of the person whose participation is asked about.
        if obj.user_id == user.pk:
            return True
        manager = obj.line_manager if obj.line_manager_id is not None else None
        if manager is not None and manager.user_id == user.pk and manager.is_active:
            return True  # a line manager whose own membership ended manages nobody here
        return viewer.org_role(obj.organisation_id) in MANAGING_ROLES

    raise AssertionError(f"unhandled action {action}")  # pragma: no cover - enum is closed


def _leads_live_session(viewer: Viewer, session: LiveSession) -> bool:
    """Whoever holds the lead; the meeting's process facilitator (a current member) may
    always lead, the role is theirs; the group's facilitator while nobody else leads."""
    group = session.meeting.group
    if session.state == LiveSession.State.CLOSED or not _reads_group_content(viewer, group):
        return False
    user = viewer.user
    if session.led_by_id is not None and session.led_by_id == user.pk:
        return True
    if _is_current_member(viewer, group) and (
        RoleAssignment.Role.PROCESS_FACILITATOR in viewer.meeting_roles(session.meeting_id)
    ):
        return True
    return session.led_by_id is None and _is_assigned_facilitator(viewer, group)


# Who keeps a meeting's record besides the group's facilitator.
RECORD_KEEPING_ROLES = (RoleAssignment.Role.NOTE_TAKER, RoleAssignment.Role.PROCESS_FACILITATOR)


def meeting_roles(user, meeting: Meeting) -> list[str]:
    """The person's roles in a meeting (organisational), read once per request."""
    return viewer_of(user).meeting_roles(meeting.pk) if getattr(user, "pk", None) else []


def is_current_member(user, group: Group) -> bool:
    """Is the person a current member of the group (read once per request)?"""
    return _is_current_member(viewer_of(user), group)


def can(user, action: Action | str, obj: Model) -> bool:
    """May `user` perform `action` on `obj` (or on the object `obj` belongs to)?"""
    action = Action(action)
    return _decide(viewer_of(user), action, _resolve(obj, ABOUT[action]))


def _may_know_of(user, obj: Model) -> bool:
    """May the person know that `obj` exists (so that a refusal is a 403, not a 404)?"""
    while True:
        node = REGISTRY[type(obj)]
        if node.seen_with is not None:
            return can(user, node.seen_with, obj)
        if not node.seen_through_parent:
            return False
        obj = getattr(obj, node.parent)


def get_or_deny(user, action: Action | str, queryset: QuerySet | type[Model], **lookup) -> Model:
    """Fetch one object for a view and check `action` on it (or on what it belongs to).

    Not found, or not the person's to know of: 404. Known but not allowed: 403. A refused
    attempt at content is recorded in the audit log.
    """
    action = Action(action)
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    related = "__".join(_chain(queryset.model))
    if related:
        queryset = queryset.select_related(related)
    try:
        obj = queryset.filter(**lookup).first()
    except (OverflowError, ValueError, ValidationError):
        obj = None  # an id no database can hold: it exists for nobody
    if obj is None:
        raise Http404
    if can(user, action, obj):
        return obj
    if isinstance(obj, CONTENT_MODELS):
        _record(AuditEvent.Event.REFUSED, user, [obj], Capacity.NONE, f"refused: {action}")
        raise Http404
    if _may_know_of(user, obj):
        raise PermissionDenied
    raise Http404


# Lists: the same rules, as querysets.


def programmes_for(user) -> QuerySet[Programme]:
    viewer = viewer_of(user)
    if not viewer.active:
        return Programme.objects.none()
    managed_orgs = [org for org, role in viewer.org_roles.items() if role in MANAGING_ROLES]
    return (
        Programme.objects.filter(
            Q(roles__user=user) | Q(organisation__in=managed_orgs) | Q(run_by__in=managed_orgs)
        )
        .distinct()
        .select_related("organisation")
    )


def groups_with_content_for(user) -> QuerySet[Group]:
    """Groups whose content the user may read: current member or assigned facilitator."""
    viewer = viewer_of(user)
    if not viewer.active:
        return Group.objects.none()
    # As `_is_assigned_facilitator`: only while holding the facilitator role there.
    facilitating = [org for org, role in viewer.org_roles.items() if role == OrgRole.FACILITATOR]
    facilitated = Q(facilitator=user) & (
        Q(programme__organisation__in=facilitating) | Q(programme__run_by__in=facilitating)
    )
    return (
        Group.objects.filter(Q(pk__in=viewer.current_groups) | facilitated)
        .select_related("programme", "programme__organisation")
        .distinct()
    )


def groups_for(user, programme: Programme) -> QuerySet[Group]:
    """Groups of a programme the user may open."""
    if _coordinates(viewer_of(user), programme):
        return programme.groups.all()
    return groups_with_content_for(user).filter(programme=programme)


def direct_reports_of(user) -> QuerySet[Membership]:
    """Memberships whose line manager is this user: the line manager's whole view."""
    if not viewer_of(user).active:
        return Membership.objects.none()
    return Membership.objects.filter(
        line_manager__user=user, line_manager__is_active=True, is_active=True
    ).select_related("user", "organisation")


def organisations_for_new_programmes(user) -> QuerySet[Organisation]:
    """Organisations the user may start a programme for: their own, or a firm's clients."""
    viewer = viewer_of(user)
    if not viewer.active:
        return Organisation.objects.none()
    own = [org for org, role in viewer.org_roles.items() if role in MANAGING_ROLES]
    return Organisation.objects.filter(Q(pk__in=own) | Q(pk__in=viewer.clients_managed))


def managed_organisations(user) -> QuerySet[Organisation]:
    viewer = viewer_of(user)
    if not viewer.active:
        return Organisation.objects.none()
    admin_of = [org for org, role in viewer.org_roles.items() if role == OrgRole.ADMIN]
    return Organisation.objects.filter(pk__in=admin_of)


def audit_log_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose audit log this person may read (after a second factor)."""
    viewer = viewer_of(user)
    if not viewer.active:
        return Organisation.objects.none()
    officer_of = [org for org, r in viewer.org_roles.items() if r == OrgRole.PRIVACY_OFFICER]
    return Organisation.objects.filter(pk__in=officer_of)


# The audited readers: the only way content leaves the database for display or export.
# Each checks the policy and records the read in the same call.


def _capacity(viewer: Viewer, obj: Model) -> str:
    if isinstance(obj, LearningLogEntry) or getattr(obj, "presenter_id", None) == viewer.user.pk:
        return Capacity.AUTHOR
    group = obj.group
    if _is_assigned_facilitator(viewer, group):
        return Capacity.FACILITATOR
    return Capacity.MEMBER


def _subject_id(obj: Model) -> int | None:
    if isinstance(obj, LearningLogEntry):
        return obj.author_id
    return getattr(obj, "presenter_id", None)


def _record(event, user, objects: Iterable[Model], capacity, description="") -> None:
    audit.record(
        event,
        actor=user,
        capacity=capacity,
        targets=[
            audit.Target(
                obj=obj,
                subject_id=_subject_id(obj),
                organisation_id=getattr(organisation_of(obj), "pk", None),
            )
            for obj in objects
        ],
        description=description,
    )


def record_content_change(event, user, obj: Model, description: str = "") -> None:
    """A create, change or delete of content, for the audit log (the writing services
    call this in their transaction, so the entry stands or falls with the change)."""
    _record(event, user, [obj], _capacity(viewer_of(user), obj), description)


def _record_reads(user, objects: list[Model], description: str) -> None:
    viewer = viewer_of(user)
    by_capacity: dict[str, list[Model]] = {}
    for obj in objects:
        by_capacity.setdefault(_capacity(viewer, obj), []).append(obj)
    for capacity, items in by_capacity.items():
        _record(AuditEvent.Event.READ, user, items, capacity, description)


def read_case(user, action: Action | str = Action.VIEW_CASE, **lookup) -> Case:
    """One case, for a person who may read it (and then act on it); the read is audited."""
    case = get_or_deny(user, Action.VIEW_CASE, Case.objects.select_related("presenter"), **lookup)
    if Action(action) is not Action.VIEW_CASE and not can(user, action, case):
        raise PermissionDenied  # they may read it, so they know it exists
    _record_reads(user, [case], "case")
    return case


def read_backlog(user, group: Group) -> list[Case]:
    """The group's cases (open and discussed) for its members and facilitator, and the
    person's own withdrawn cases, which nobody else sees any more."""
    if not can(user, Action.VIEW_GROUP_CONTENT, group):
        return []
    cases = list(
        Case.objects.filter(group=group)
        .filter(~Q(status=Case.Status.WITHDRAWN) | Q(presenter=user))
        # The audit entry of each read names the organisation: load it with the cases.
        .select_related("presenter", "group__programme__organisation")
    )
    _record_reads(user, cases, "case list")
    return cases


def read_learning_log(user) -> list[LearningLogEntry]:
    """A person's own learning log: there is no way to read anyone else's."""
    if not viewer_of(user).active:
        return []
    entries = list(LearningLogEntry.objects.filter(author=user))
    _record_reads(user, entries, "own learning log")
    return entries


def read_check_results(user, meeting: Meeting) -> CheckResults:
    """The aggregate of a meeting's check, for its group's members and facilitator only
    (everyone else: 404, audited). The answers are loaded, and their read recorded, only
    once at least the programme's minimum answered; below it only their number is known."""
    if not can(user, Action.VIEW_CHECK_RESULTS, meeting):
        _record(AuditEvent.Event.REFUSED, user, [meeting], Capacity.NONE, "refused: check")
        raise Http404
    minimum = minimum_answers(meeting.group.programme)
    answers = CheckAnswer.objects.filter(meeting=meeting)
    answered = answers.count()
    released = not check_takes_answers(meeting) or answered >= len(check_respondents(meeting))
    closes_at = check_closes_at(meeting)
    if answered < minimum or not released:
        return summarise([None] * answered, minimum, released=released, closes_at=closes_at)
    loaded = list(answers.select_related("meeting__group__programme__organisation"))
    _record_reads(user, loaded, "check results")
    return summarise(loaded, minimum, released=True, closes_at=closes_at)


def read_meeting_cases(user, meeting: Meeting) -> list[Case]:
    """The case(s) chosen for a meeting, for its group's members and facilitator (the
    meeting page, the record and the report); the read is audited. Everyone else: []."""
    if not can(user, Action.VIEW_GROUP_CONTENT, meeting.group):
        return []
    cases = [
        choice.case
        for choice in MeetingCase.objects.filter(meeting=meeting)
        .exclude(case__status=Case.Status.WITHDRAWN)
        .select_related("case__presenter", "case__group__programme__organisation")
        .order_by("created_at")
    ]
    _record_reads(user, cases, "cases of a meeting")
    return cases


def read_report(user, meeting: Meeting) -> Report | None:
    """A meeting's report (None before it is drafted) with its reactions of every revision
    as `report.reactions`, for the group's current members and its facilitator; everyone
    else 404, audited. The report and each comment shown are recorded as read."""
    if not can(user, Action.VIEW_REPORT, meeting):
        _record(AuditEvent.Event.REFUSED, user, [meeting], Capacity.NONE, "refused: report")
        raise Http404
    report = (
        Report.objects.filter(meeting=meeting)
        .select_related("meeting__group__programme__organisation", "format_version")
        .first()
    )
    if report is None:
        return None
    report.reactions = list(
        ReportApproval.objects.filter(report=report)
        .select_related("user", "report__meeting__group__programme__organisation")
        .order_by("-revision", "created_at", "pk")
    )
    comments = [reaction for reaction in report.reactions if reaction.comment]
    _record_reads(user, [report, *comments], "report")
    return report


def report_statuses(user, group: Group) -> dict[int, str]:
    """The status of each report of a group, by meeting id, for the group's page. Only the
    status column is read (no content), for those who may read the group's content."""
    if not can(user, Action.VIEW_GROUP_CONTENT, group):
        return {}
    return dict(Report.objects.filter(meeting__group=group).values_list("meeting_id", "status"))


def read_own_cases(user) -> list[Case]:
    """Every case a person brought in, in any group and state, also after they left the
    group: for their page "Wie las mijn inbreng?" (who read my case)."""
    if not viewer_of(user).active:
        return []
    cases = list(
        Case.objects.filter(presenter=user)
        .select_related("group__programme__organisation")
        .order_by("-created_at")
    )
    _record_reads(user, cases, "own cases")
    return cases


def read_record(user, meeting: Meeting):
    """The meeting record per phase of its method (`kring.records.selectors.RecordView`),
    for the group's current members and its facilitator; everyone else 404, audited.
    Inputs of a phase shown only when revealed stay hidden from those who do not keep the
    record until revealed or the meeting is held; what is shown is recorded as read."""
    from kring.records.selectors import record_view

    if not can(user, Action.VIEW_RECORD, meeting):
        _record(AuditEvent.Event.REFUSED, user, [meeting], Capacity.NONE, "refused: record")
        raise Http404
    record = MeetingRecord.objects.filter(meeting=meeting).select_related("method_version").first()
    rows = []
    if record is not None:
        record.meeting = meeting
        rows = list(RecordInput.objects.filter(record=record).select_related("author"))
        record.loaded_inputs = rows  # for `kring.records.selectors.record_digest`
    view = record_view(meeting, record, rows, editor=can(user, Action.EDIT_RECORD, meeting))
    read = view.shown_inputs
    if view.record is not None and view.agreements:
        read.append(view.record)
    _record_reads(user, read, "meeting record")
    return view


def read_own_live_inputs(user, meeting: Meeting) -> list[RecordInput]:
    """The inputs a person typed (or that are theirs) in a meeting's record, their drafts
    included, for the live session's panel: drafts are their writer's only, and one's own
    input of a phase shown on reveal is one's own to see before it is revealed. For those
    who may write there (CONTRIBUTE_LIVE_INPUT, EDIT_RECORD); everyone else 404, audited."""
    if not (
        can(user, Action.CONTRIBUTE_LIVE_INPUT, meeting) or can(user, Action.EDIT_RECORD, meeting)
    ):
        _record(AuditEvent.Event.REFUSED, user, [meeting], Capacity.NONE, "refused: own inputs")
        raise Http404
    record = MeetingRecord.objects.filter(meeting=meeting).first()
    if record is None:
        return []
    record.meeting = meeting
    rows = list(
        RecordInput.objects.current()
        .filter(record=record)
        .filter(Q(entered_by=user) | (Q(author=user) & ~Q(state=RecordInput.State.DRAFT)))
        .select_related("author")
    )
    for row in rows:
        row.record = record
    _record_reads(user, rows, "own live inputs")
    return rows


def read_record_phase(user, meeting: Meeting, number: int):
    """One phase of the meeting record (`kring.records.selectors.PhaseView`, or None), as a
    live session's device shows it: inputs of a phase shown on reveal stay hidden from
    everyone until revealed or the meeting is held (those who keep the record too: they
    write their own). For the group and its facilitator; everyone else 404, audited; only
    what the phase shows is recorded as read."""
    from kring.records.selectors import record_view

    if not can(user, Action.VIEW_RECORD, meeting):
        _record(AuditEvent.Event.REFUSED, user, [meeting], Capacity.NONE, "refused: record")
        raise Http404
    record = MeetingRecord.objects.filter(meeting=meeting).select_related("method_version").first()
    rows = []
    if record is not None:
        record.meeting = meeting
        rows = list(RecordInput.objects.filter(record=record).select_related("author"))
    view = record_view(meeting, record, rows, editor=False)
    phase = next((p for p in view.phases if p.number == number), None)
    if phase is None:
        return None
    shown = list(phase.entries) + list(phase.statements)
    shown += [item.question for item in phase.rated]
    shown += [item.rating for item in phase.rated if item.rating is not None]
    shown += [statement for _presenter, statement in phase.choices if statement]
    shown += list(phase.answers.values())
    _record_reads(user, list({item.pk: item for item in shown}.values()), "meeting record phase")
    return phase


def read_open_action_points(user, meeting: Meeting) -> list:
    """The action points of the group's earlier meetings still open at this meeting
    (`kring.records.selectors.OpenActionPoint`), for the group and its facilitator; an
    empty list for everyone else (as `read_backlog`)."""
    from kring.records.selectors import open_action_points

    if not can(user, Action.VIEW_RECORD, meeting):
        return []
    rows = (
        RecordInput.objects.current()
        .filter(
            kind="action_points",
            record__meeting__group_id=meeting.group_id,
            record__meeting__starts_at__lt=meeting.starts_at,
        )
        .exclude(state=RecordInput.State.DRAFT)
        .exclude(record__meeting__status=Meeting.Status.CANCELLED)
        .select_related("author", "record__meeting__group__programme__organisation")
        .prefetch_related("follow_ups__at_meeting")
        .order_by("record__meeting__starts_at", "pk")
    )
    points = open_action_points(meeting, rows)
    _record_reads(user, [point.action_point for point in points], "open action points")
    return points


def record_size(user, meeting: Meeting) -> tuple[int, bool] | None:
    """How many inputs a meeting's record holds and whether it has agreements (no content,
    so no read to record), for the group and its facilitator; None for everyone else."""
    if not can(user, Action.VIEW_RECORD, meeting):
        return None
    record = MeetingRecord.objects.filter(meeting=meeting).first()
    if record is None:
        return 0, False
    count = (
        RecordInput.objects.current()
        .filter(record=record)
        .exclude(state=RecordInput.State.DRAFT)
        .count()
    )
    return count, bool(record.agreements)


def record_change_count(user, meeting: Meeting, counted: int | None = None) -> int:
    """How often a meeting's record has changed (a counter, no content), for the group and
    its facilitator: a live device refreshes its inputs when it moves; 0 for everyone else.
    `counted`: the counter as read already with the meeting (`record_change_counter`)."""
    if not can(user, Action.VIEW_RECORD, meeting):
        return 0
    if counted is None:
        version = MeetingRecord.objects.filter(meeting=meeting).values_list("version", flat=True)
        counted = version.first()
    return counted or 0


def record_change_counter() -> Subquery:
    """The record's change counter, to read as an annotation of an object with a
    `meeting_id` (given out only by `record_change_count`)."""
    records = MeetingRecord.objects.filter(meeting_id=OuterRef("meeting_id"))
    return Subquery(records.values("version")[:1])


def record_input_to_change(user, input_id) -> RecordInput:
    """An input of a record, for a change by those who keep the record (see
    `check_record_access`); not found: 404."""
    item = (
        RecordInput.objects.select_related("record__meeting__group__programme__organisation")
        .filter(pk=input_id)
        .first()
        if input_id is not None
        else None
    )
    if item is None:
        raise Http404
    check_record_access(user, Action.EDIT_RECORD, item.record.meeting)
    return item


def check_record_access(user, action: Action | str, meeting: Meeting) -> None:
    """For a change to a meeting's record: nothing when allowed; 403 for a reader of the
    record who may not make this change; 404 for everyone else, and the refusal audited."""
    action = Action(action)
    if can(user, action, meeting):
        return
    if can(user, Action.VIEW_RECORD, meeting):
        raise PermissionDenied
    _record(AuditEvent.Event.REFUSED, user, [meeting], Capacity.NONE, f"refused: {action}")
    raise Http404


# The room screen (`kring.live.models.RoomScreen`): a viewer of its own kind, signed in as
# nobody. What it shows is read under the person who opened it (their capacity in the
# audit log, "room screen" in its description), and it shows no name, draft or input not
# revealed, and none of the presenter's own take-aways or action points.

# The inputs a room screen shows of the current phase (texts, never their authors).
ROOM_SCREEN_KINDS = ("questions", "problem_statements", "analysis", "advice", "gossip")


def room_screen_open(screen: RoomScreen, now=None) -> bool:
    """A paired screen shows its session until the lead closes it, the session closes or
    its time is up, while the meeting is on site and its opener may still see the session."""
    now = now or timezone.now()
    session = screen.session
    return (
        screen.paired_at is not None
        and screen.closed_at is None
        and now < screen.expires_at
        and session.state != LiveSession.State.CLOSED
        and session.meeting.mode == Meeting.Mode.ON_SITE
        and screen.created_by_id is not None
        and can(screen.created_by, Action.VIEW_LIVE_SESSION, session)
    )


@dataclass
class RoomScreenView:
    items: list = field(default_factory=list)  # texts of the phase's inputs
    statements: list = field(default_factory=list)  # revealed, to choose among
    chosen: list = field(default_factory=list)  # the statement(s) the presenter chose
    rated: list = field(default_factory=list)  # [(question, rating label or "")]
    hidden: int = 0  # written and not revealed yet: a number, nothing else
    chosen_cases: list = field(default_factory=list)  # [(title, question)] of the chosen cases


def read_room_screen(screen: RoomScreen, now=None) -> RoomScreenView:
    """What the room's screen shows of its session's current phase, as plain texts; a
    screen that is not open (any more): 404. The texts shown are recorded as read."""
    from kring.records.selectors import record_view

    if not room_screen_open(screen, now):
        raise Http404
    session = screen.session
    meeting = session.meeting
    shown: list[Model] = []
    result = RoomScreenView()
    if session.state != LiveSession.State.RUNNING:
        return result  # waiting for the start: nothing of the content yet
    choices = (
        MeetingCase.objects.filter(meeting=meeting)
        .exclude(case__status=Case.Status.WITHDRAWN)
        .select_related("case__group__programme__organisation")
        .order_by("created_at")
    )
    for choice in choices:
        shown.append(choice.case)
        result.chosen_cases.append((choice.case.title, choice.case.question))
    record = MeetingRecord.objects.filter(meeting=meeting).select_related("method_version").first()
    if record is not None:
        record.meeting = meeting
        rows = list(RecordInput.objects.filter(record=record))
        view = record_view(meeting, record, rows, editor=False)
        on_reveal = {phase.number for phase in view.phases if phase.on_reveal}

        def visible(row) -> bool:
            # Not even a meeting recorded as held meanwhile shows what was not revealed.
            return row.phase not in on_reveal or row.state == RecordInput.State.REVEALED

        phase = next((p for p in view.phases if p.number == session.phase), None)
        if phase is not None:
            result.hidden = phase.hidden + sum(1 for row in phase.entries if not visible(row))
            for row in phase.entries:
                if row.kind in ROOM_SCREEN_KINDS and visible(row):
                    shown.append(row)
                    result.items.append(row.text)
            if phase.input == "presenter_choice":
                statements = [row for row in phase.statements if visible(row)]
                chosen = {
                    statement.pk
                    for _presenter, statement in phase.choices
                    if statement is not None and visible(statement)
                }
                for row in statements:
                    shown.append(row)
                    if row.pk in chosen:
                        result.chosen.append(row.text)
                    else:
                        result.statements.append(row.text)
            for item in phase.rated:
                if not visible(item.question):
                    continue
                rating = item.rating if item.rating is not None and visible(item.rating) else None
                shown += [item.question] + ([rating] if rating is not None else [])
                label = str(RecordInput.Rating(rating.rating).label) if rating else ""
                result.rated.append((item.question.text, label))
    for row in shown:
        if isinstance(row, RecordInput):
            row.record = record
    _record_reads(
        screen.created_by,
        list({(type(obj), obj.pk): obj for obj in shown}.values()),
        f"room screen #{screen.pk}",
    )
    return result
