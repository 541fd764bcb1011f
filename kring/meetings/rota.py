"""Roles at a group's meetings: the rota, swaps, and the facilitator's phase-out plan.

One function per user action (keyword-only, the acting user `by`, one transaction).
The fair proposal and the repair after an absence come from `engine.rota`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engine import rota as engine
from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core import emails
from kring.planning.models import Attendance, Meeting

from .models import (
    PhaseOutStage,
    PhaseOutStep,
    PresenterPreference,
    RoleAssignment,
    RoleSwap,
    RoleTakeover,
)

Role = RoleAssignment.Role
ROLE_ORDER = [Role.PROCESS_FACILITATOR, Role.PRESENTER, Role.TIMEKEEPER, Role.NOTE_TAKER]


STAGE_LABELS = dict(PhaseOutStage.choices)


class RotaError(Exception):
    """A rota action that cannot be done; the message is for the user."""


# Reading


def series(group) -> list[Meeting]:
    """The group's coming meetings: the ones a rota is planned for."""
    return list(
        Meeting.objects.filter(
            group=group, status=Meeting.Status.PLANNED, starts_at__gt=timezone.now()
        ).order_by("starts_at")
    )


def stages(group) -> dict[int, int]:
    """The stage of the phase-out plan at each of the group's meetings (by meeting id).

    A meeting without a stage of its own keeps the stage of the meeting before it; the
    plan starts with the facilitator leading.
    """
    steps = dict(
        PhaseOutStep.objects.filter(meeting__group=group).values_list("meeting_id", "stage")
    )
    result, current = {}, PhaseOutStage.FACILITATOR_LEADS
    for meeting_id in (
        Meeting.objects.filter(group=group)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
        .values_list("pk", flat=True)
    ):
        current = steps.get(meeting_id, current)
        result[meeting_id] = int(current)
    return result


def current_stage(group) -> int | None:
    """Where the group stands: the stage of its next meeting, else of its last."""
    by_meeting = stages(group)
    if not by_meeting:
        return None
    coming = series(group)
    if coming:
        return by_meeting[coming[0].pk]
    return list(by_meeting.values())[-1]


@dataclass
class MeetingRoles:
    meeting: Meeting
    stage: int
    holders: list[tuple[str, str, list]]  # (role value, label, users), roles held only
    questioners: list
    columns: list[dict]  # every role: {"value", "label", "users"}
    fixed: set[int] = field(default_factory=set)  # who holds a role a new proposal keeps


def roles_of(meetings: list[Meeting], group) -> list[MeetingRoles]:
    by_meeting = stages(group)
    members = _members(group)
    absent = _absences(meetings)
    assignments: dict[int, list[RoleAssignment]] = {}
    for a in RoleAssignment.objects.filter(meeting__in=meetings).select_related("user"):
        assignments.setdefault(a.meeting_id, []).append(a)
    result = []
    for meeting in meetings:
        held = assignments.get(meeting.pk, [])
        holders, columns = [], []
        for role in ROLE_ORDER:
            users = [a.user for a in held if a.role == role]
            columns.append({"value": role.value, "label": role.label, "users": users})
            if users:
                holders.append((role.value, role.label, users))
        busy = {a.user_id for a in held}
        questioners = [
            u for u in members if u.pk not in busy and u.pk not in absent.get(meeting.pk, set())
        ]
        result.append(
            MeetingRoles(
                meeting,
                by_meeting.get(meeting.pk, 1),
                holders,
                questioners if held else [],
                columns,
                {a.user_id for a in held if a.fixed},
            )
        )
    return result


def pending_swaps_for(user, group) -> list[RoleSwap]:
    return list(
        RoleSwap.objects.filter(
            meeting__group=group, asked=user, status=RoleSwap.Status.PENDING
        ).select_related("meeting", "asked_by")
    )


# Building the engine's problem


def _members(group) -> list:
    return [
        m.user
        for m in group.memberships.current().select_related("user").order_by("user__full_name")
    ]


def _absences(meetings, *, held: bool = False) -> dict[int, set[int]]:
    """Who said they cannot come; for held meetings: who was not there."""
    statuses = [Attendance.Status.ABSENT_WITH_NOTICE]
    if held:
        statuses.append(Attendance.Status.ABSENT_WITHOUT_NOTICE)
    absent: dict[int, set[int]] = {}
    for meeting_id, user_id in Attendance.objects.filter(
        meeting__in=meetings, status__in=statuses
    ).values_list("meeting_id", "user_id"):
        absent.setdefault(meeting_id, set()).add(user_id)
    return absent


def _history(group, leave_out) -> dict[str, dict[engine.Role, int]]:
    """How often each member held each role at the group's meetings, but `leave_out`."""
    counts: dict[str, Counter] = {}
    for user_id, role in (
        RoleAssignment.objects.filter(meeting__group=group)
        .exclude(meeting__in=leave_out)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .values_list("user_id", "role")
    ):
        counts.setdefault(str(user_id), Counter())[engine.Role(role)] += 1
    return {k: dict(v) for k, v in counts.items()}


def _problem(
    group,
    meetings,
    *,
    presenters: dict[int, int] | None = None,
    held: bool = False,
    fixed: dict[int, dict[int, str]] | None = None,
) -> engine.RotaProblem:
    members = _members(group)
    absent = _absences(meetings, held=held)
    by_meeting = stages(group)
    unwilling = set(
        PresenterPreference.objects.filter(group=group, wants_to_present=False).values_list(
            "user_id", flat=True
        )
    )
    presenters = presenters or {}
    fixed = fixed or {}
    return engine.RotaProblem(
        members=tuple(str(u.pk) for u in members),
        meetings=tuple(
            engine.MeetingSlot(
                key=str(m.pk),
                absent=frozenset(str(u) for u in absent.get(m.pk, ())),
                presenters=presenters.get(m.pk, 1),
                stage=engine.Stage(by_meeting.get(m.pk, 1)),
                fixed=tuple(
                    (str(user_id), engine.Role(role))
                    for user_id, role in sorted(fixed.get(m.pk, {}).items())
                ),
            )
            for m in meetings
        ),
        wants_to_present=frozenset(str(u.pk) for u in members if u.pk not in unwilling),
        history=_history(group, meetings),
    )


def _save(meeting_rota: engine.MeetingRota, *, keep_fixed: bool = False) -> None:
    """Store the meeting's roles; an assignment that stays keeps its row (and whether it
    is fixed). `keep_fixed`: the meeting could not be planned, its fixed roles stay."""
    meeting_id = int(meeting_rota.key)
    wanted = {(int(a.member), a.role.value) for a in meeting_rota.assignments()}
    rows = RoleAssignment.objects.filter(meeting_id=meeting_id)
    if keep_fixed:
        rows = rows.filter(fixed=False)
    stale = [row.pk for row in rows if (row.user_id, row.role) not in wanted]
    RoleAssignment.objects.filter(pk__in=stale).delete()
    have = set(RoleAssignment.objects.filter(meeting_id=meeting_id).values_list("user_id", "role"))
    RoleAssignment.objects.bulk_create(
        RoleAssignment(meeting_id=meeting_id, user_id=user_id, role=role)
        for user_id, role in sorted(wanted - have)
    )


def _current(meeting: Meeting) -> engine.MeetingRota:
    rota = engine.MeetingRota(
        key=str(meeting.pk), stage=engine.Stage(stages(meeting.group).get(meeting.pk, 1))
    )
    held = list(meeting.role_assignments.all())
    for a in held:
        if a.role == Role.PROCESS_FACILITATOR:
            rota.process_facilitator = str(a.user_id)
        elif a.role == Role.PRESENTER:
            rota.presenters = (*rota.presenters, str(a.user_id))
        elif a.role == Role.TIMEKEEPER:
            rota.timekeeper = str(a.user_id)
        else:
            rota.note_taker = str(a.user_id)
    absent = _absences([meeting]).get(meeting.pk, set())
    busy = {a.user_id for a in held}
    rota.questioners = tuple(
        str(u.pk) for u in _members(meeting.group) if u.pk not in busy and u.pk not in absent
    )
    return rota


def record_held_roles(group, meetings) -> None:
    """Roles at meetings already held, for loading data (the demo): fair among who came."""
    result = engine.propose(_problem(group, meetings, held=True), time_limit_s=10)
    for meeting_rota in result.meetings:
        _save(meeting_rota)


# Actions


REASON_TEXT = {
    engine.ReasonCode.TOO_FEW_PRESENT: _(
        "Too few members can come: {available} of the {needed} needed for the roles."
    ),
    engine.ReasonCode.NO_WILLING_PRESENTER: _("Nobody who can come wants to present."),
    engine.ReasonCode.FEWER_PRESENTERS: _("Only one presenter can come."),
    engine.ReasonCode.PRESENTER_AGAIN: _(
        "Presents again because someone who has not presented yet cannot come."
    ),
}


@dataclass
class Problem:
    meeting: Meeting | None
    text: str
    fatal: bool


def _problems(reasons, meetings_by_key) -> list[Problem]:
    out = []
    for r in reasons:
        template = REASON_TEXT.get(r.code)
        if template is None:
            continue
        out.append(
            Problem(
                meetings_by_key.get(r.meeting),
                str(template).format(needed=r.needed, available=r.available),
                r.fatal,
            )
        )
    return out


def fixed_roles(group, meetings) -> dict[int, dict[int, str]]:
    """Per meeting the roles a new proposal keeps (user id -> role): those given by an
    accepted swap or by hand, and the presenters of the cases chosen for it — of members
    who can come, and not the process role while the facilitator leads."""
    from .selectors import chosen_presenter_ids

    members = {u.pk for u in _members(group)}
    absent = _absences(meetings)
    by_meeting = stages(group)
    fixed: dict[int, dict[int, str]] = {m.pk: {} for m in meetings}
    for a in RoleAssignment.objects.filter(meeting__in=meetings, fixed=True).order_by("pk"):
        if a.user_id not in members or a.user_id in absent.get(a.meeting_id, set()):
            continue
        if (
            a.role == Role.PROCESS_FACILITATOR
            and by_meeting.get(a.meeting_id, 1) == PhaseOutStage.FACILITATOR_LEADS
        ):
            continue
        fixed[a.meeting_id][a.user_id] = a.role
    for meeting in meetings:
        roles = fixed[meeting.pk]
        chosen = [
            user_id
            for user_id in chosen_presenter_ids(meeting)
            if user_id in members and user_id not in absent.get(meeting.pk, set())
        ][:2]
        for user_id in chosen:
            roles[user_id] = Role.PRESENTER.value
        # At most two presenters: the presenters of chosen cases come first.
        by_hand = [u for u, r in roles.items() if r == Role.PRESENTER and u not in chosen]
        for user_id in by_hand[max(0, 2 - len(chosen)) :]:
            del roles[user_id]
    return fixed


@transaction.atomic
def plan_rota(*, group, by, presenters: dict[int, int] | None = None) -> list[Problem]:
    """Propose and save the roles of all the group's coming meetings. Roles given by an
    accepted swap or by hand, and the presenters of chosen cases, stay (`fixed_roles`);
    `presenters` says per meeting whether the group wants one presenter or two."""
    if not policy.can(by, Action.PLAN_ROTA, group):
        raise RotaError(_("Only the group's facilitator or a coordinator plans the rota."))
    meetings = series(group)
    if not meetings:
        raise RotaError(_("The group has no coming meetings to plan roles for."))
    if presenters is None:
        presenters = {
            m.pk: max(1, m.role_assignments.filter(role=Role.PRESENTER).count()) for m in meetings
        }
    presenters = {m.pk: min(2, max(1, presenters.get(m.pk, 1))) for m in meetings}
    problem = _problem(group, meetings, presenters=presenters, fixed=fixed_roles(group, meetings))
    result = engine.propose(problem, time_limit_s=10)
    unplanned = {r.meeting for r in result.reasons if r.fatal}
    for meeting_rota in result.meetings:
        _save(meeting_rota, keep_fixed=meeting_rota.key in unplanned)
    RoleSwap.objects.filter(meeting__in=meetings, status=RoleSwap.Status.PENDING).update(
        status=RoleSwap.Status.WITHDRAWN
    )
    return _problems(result.reasons, {str(m.pk): m for m in meetings})


@transaction.atomic
def set_phase_out(*, group, stages_by_meeting: dict[int, int], by) -> None:
    """The facilitator sets the stage of the phase-out plan at the group's meetings."""
    if not policy.can(by, Action.EDIT_PHASE_OUT, group):
        raise RotaError(_("Only the group's facilitator sets the phase-out plan."))
    ids = set(Meeting.objects.filter(group=group).values_list("pk", flat=True))
    for meeting_id, stage in stages_by_meeting.items():
        if meeting_id not in ids:
            raise RotaError(_("That meeting is not one of this group's."))
        if stage not in PhaseOutStage.values:
            raise RotaError(_("Choose one of the four stages."))
    for meeting_id, stage in stages_by_meeting.items():
        PhaseOutStep.objects.update_or_create(
            meeting_id=meeting_id, defaults={"stage": stage, "set_by": by}
        )
        if stage == PhaseOutStage.FACILITATOR_LEADS:
            # The facilitator leads: no member is process facilitator then.
            RoleAssignment.objects.filter(
                meeting_id=meeting_id, role=Role.PROCESS_FACILITATOR
            ).delete()


@transaction.atomic
def set_presenter_preference(*, group, wants_to_present: bool, by) -> None:
    if not policy.can(by, Action.ADD_CASE, group):
        raise RotaError(_("Only the group's members present cases."))
    PresenterPreference.objects.update_or_create(
        group=group, user=by, defaults={"wants_to_present": wants_to_present}
    )


def _role_of(meeting, user) -> RoleAssignment | None:
    return meeting.role_assignments.filter(user=user).first()


def _is_absent(meeting, user) -> bool:
    return Attendance.objects.filter(
        meeting=meeting, user=user, status=Attendance.Status.ABSENT_WITH_NOTICE
    ).exists()


@transaction.atomic
def ask_swap(*, meeting: Meeting, asked, by) -> RoleSwap:
    """A member asks another member of the meeting to swap roles with them."""
    if not policy.can(by, Action.ASK_ROLE_SWAP, meeting):
        raise RotaError(_("Only members swap roles, before the meeting."))
    if asked.pk == by.pk or not meeting.group.memberships.current().filter(user=asked).exists():
        raise RotaError(_("Choose another member of the group."))
    mine, theirs = _role_of(meeting, by), _role_of(meeting, asked)
    if mine is None and theirs is None:
        raise RotaError(_("Neither of you has a role at this meeting to swap."))
    if _is_absent(meeting, asked):
        raise RotaError(_("That member has said they cannot come."))
    swap = RoleSwap.objects.create(meeting=meeting, asked_by=by, asked=asked)
    emails.send(
        "role_swap_asked",
        asked.email,
        {"meeting": meeting, "user": asked, "asker": by, "mine": mine, "theirs": theirs},
        language=asked.language,
    )
    return swap


@transaction.atomic
def answer_swap(*, swap: RoleSwap, accept: bool, by) -> RoleSwap:
    """The member asked accepts (the roles change hands) or declines."""
    swap = RoleSwap.objects.select_for_update().get(pk=swap.pk)
    if not policy.can(by, Action.ANSWER_ROLE_SWAP, swap):
        raise RotaError(_("This request can no longer be answered."))
    meeting = swap.meeting
    if accept:
        mine, theirs = _role_of(meeting, swap.asked_by), _role_of(meeting, swap.asked)
        roles = (mine.role if mine else None, theirs.role if theirs else None)
        RoleAssignment.objects.filter(
            meeting=meeting, user__in=[swap.asked_by, swap.asked]
        ).delete()
        # Swapped on purpose: proposing the rota again keeps these roles.
        if roles[0]:
            RoleAssignment.objects.create(
                meeting=meeting, user=swap.asked, role=roles[0], fixed=True
            )
        if roles[1]:
            RoleAssignment.objects.create(
                meeting=meeting, user=swap.asked_by, role=roles[1], fixed=True
            )
        RoleSwap.objects.filter(meeting=meeting, status=RoleSwap.Status.PENDING).exclude(
            pk=swap.pk
        ).filter(asked_by__in=[swap.asked_by, swap.asked]).update(status=RoleSwap.Status.WITHDRAWN)
    swap.status = RoleSwap.Status.ACCEPTED if accept else RoleSwap.Status.DECLINED
    swap.answered_at = timezone.now()
    swap.save(update_fields=["status", "answered_at"])
    emails.send(
        "role_swap_answered",
        swap.asked_by.email,
        {"meeting": meeting, "user": swap.asked_by, "asked": swap.asked, "accepted": accept},
        language=swap.asked_by.language,
    )
    return swap


@transaction.atomic
def change_role(
    *, meeting: Meeting, user, role: str | None, by, second_presenter: bool = False
) -> None:
    """The facilitator, a coordinator or the meeting's process facilitator gives `user`
    a role (None: questions). Whoever held that role then questions; `second_presenter`
    makes `user` a presenter beside the one there is (at most two). The new role is
    fixed: proposing the rota again keeps it."""
    if not policy.can(by, Action.CHANGE_ROLES, meeting):
        raise RotaError(_("Only the facilitator or the process facilitator changes roles."))
    if not meeting.group.memberships.current().filter(user=user).exists():
        raise RotaError(_("Choose a member of the group."))
    if role is not None and role not in Role.values:
        raise RotaError(_("Choose one of the roles."))
    if role and _is_absent(meeting, user):
        raise RotaError(_("That member has said they cannot come."))
    stage = stages(meeting.group).get(meeting.pk, 1)
    if role == Role.PROCESS_FACILITATOR and stage == PhaseOutStage.FACILITATOR_LEADS:
        raise RotaError(
            _("At this meeting the facilitator leads: no member is process facilitator.")
        )
    if second_presenter and role != Role.PRESENTER:
        raise RotaError(_("Only a presenter can be a second presenter."))
    RoleAssignment.objects.filter(meeting=meeting, user=user).delete()
    if role is None:
        return
    if role == Role.PRESENTER and second_presenter:
        if meeting.role_assignments.filter(role=Role.PRESENTER).count() >= 2:
            raise RotaError(_("A meeting has at most two presenters."))
    else:
        RoleAssignment.objects.filter(meeting=meeting, role=role).delete()
    RoleAssignment.objects.create(meeting=meeting, user=user, role=role, fixed=True)


def repair_after_absence(*, meeting: Meeting, user) -> list[engine.Takeover]:
    """Someone said they cannot come: the rota of that meeting mends itself, and whoever
    takes over a role (and the facilitator) hears so. Runs inside the absence's
    transaction; the mails go once it commits."""
    if not meeting.role_assignments.exists() or _role_of(meeting, user) is None:
        return []
    group = meeting.group
    this_and_later = list(Meeting.objects.filter(group=group, starts_at__gte=meeting.starts_at))
    problem = _problem(
        group,
        [meeting],
        presenters={
            meeting.pk: max(1, meeting.role_assignments.filter(role=Role.PRESENTER).count())
        },
    )
    problem = engine.RotaProblem(
        problem.members,
        tuple(
            engine.MeetingSlot(s.key, s.absent - {str(user.pk)}, s.presenters, s.stage)
            for s in problem.meetings
        ),
        problem.wants_to_present,
        _history(group, this_and_later),
    )
    current = _current(meeting)
    fixed = engine.repair(
        problem,
        engine.RotaResult(meetings=[current]),
        meeting=str(meeting.pk),
        absent=str(user.pk),
    )
    _save(fixed.rota.meeting(str(meeting.pk)))
    _record_takeovers(meeting, user, fixed.takeovers)
    people = {str(u.pk): u for u in _members(group)}
    for takeover in fixed.takeovers:
        taker = people.get(takeover.member) if takeover.member else None
        if taker is not None:
            emails.send(
                "role_takeover",
                taker.email,
                {"meeting": meeting, "user": taker, "role": Role(takeover.role.value).label},
                language=taker.language,
            )
    facilitator = group.facilitator
    if facilitator is not None and fixed.takeovers:
        emails.send(
            "role_takeover_facilitator",
            facilitator.email,
            {
                "meeting": meeting,
                "user": facilitator,
                "takeovers": [
                    (
                        Role(t.role.value).label,
                        people.get(t.member) if t.member else None,
                    )
                    for t in fixed.takeovers
                ],
            },
            language=facilitator.language,
        )
    return fixed.takeovers


def _record_takeovers(meeting: Meeting, absent, takeovers: list[engine.Takeover]) -> None:
    """Who stands in for whom, with the stand-in's assignment: if that assignment is still
    there when the absence is withdrawn, the role goes back."""
    for takeover in takeovers:
        if takeover.member is None:
            continue
        assignment = RoleAssignment.objects.filter(
            meeting=meeting, user_id=int(takeover.member), role=takeover.role.value
        ).first()
        RoleTakeover.objects.create(
            meeting=meeting,
            role=takeover.role.value,
            absent=absent,
            previous_id=int(takeover.previous),
            stand_in_id=int(takeover.member),
            assignment=assignment,
        )


def _still_standing_in(takeover: RoleTakeover) -> bool:
    """The stand-in still holds the very assignment they took over: not changed since."""
    return (
        takeover.assignment_id is not None
        and RoleAssignment.objects.filter(
            pk=takeover.assignment_id, user_id=takeover.stand_in_id, role=takeover.role
        ).exists()
    )


def give_back_after_withdrawal(*, meeting: Meeting, user) -> list[RoleTakeover]:
    """`user` can come after all: the roles taken over after their absence notice go back,
    along the chain (the member who moved into their role gets their own back), as long
    as each stand-in's role has not been changed since and `user` has no other role now.
    Both hear so. Runs inside the withdrawal's transaction; the mails go once it commits."""
    standing_in = {
        t.previous_id: t
        for t in RoleTakeover.objects.filter(
            meeting=meeting, absent=user, status=RoleTakeover.Status.STANDING_IN
        ).select_related("previous", "stand_in")
    }
    if user.pk not in standing_in or meeting.role_assignments.filter(user=user).exists():
        return []
    # A member has one role per meeting, so each link of the chain is the next one's own.
    given_back, holder = [], user.pk
    while (takeover := standing_in.pop(holder, None)) is not None:
        if not _still_standing_in(takeover):
            break  # changed since: from here on the rota stays as it is
        given_back.append(takeover)
        holder = takeover.stand_in_id
    if not given_back:
        return []
    RoleAssignment.objects.filter(pk__in=[t.assignment_id for t in given_back]).delete()
    for takeover in given_back:
        RoleAssignment.objects.create(
            meeting=meeting, user_id=takeover.previous_id, role=takeover.role
        )
    RoleTakeover.objects.filter(pk__in=[t.pk for t in given_back]).update(
        status=RoleTakeover.Status.GIVEN_BACK
    )
    back = given_back[0]
    emails.send(
        "role_given_back",
        user.email,
        {"meeting": meeting, "user": user, "role": str(Role(back.role).label).lower()},
        language=user.language,
    )
    now = dict(meeting.role_assignments.values_list("user_id", "role"))
    for takeover in given_back:
        stand_in = takeover.stand_in
        if stand_in.pk == user.pk:
            continue
        emails.send(
            "role_stand_in_ended",
            stand_in.email,
            {
                "meeting": meeting,
                "user": stand_in,
                "returning": user,
                "role": str(Role(takeover.role).label).lower(),
                "now": str(Role(now[stand_in.pk]).label).lower() if stand_in.pk in now else None,
            },
            language=stand_in.language,
        )
    return given_back


def make_presenter(*, meeting: Meeting, user) -> None:
    """A case of `user` is chosen for the meeting: they present (called by the case
    services, in their transaction). Their other role there goes to the presenter it
    displaces, if any: a meeting has at most two presenters, and a presenter of a chosen
    case is never displaced."""
    from .models import MeetingCase

    if meeting.role_assignments.filter(user=user, role=Role.PRESENTER).exists():
        return
    previous = meeting.role_assignments.filter(user=user).first()
    presenters = list(meeting.role_assignments.filter(role=Role.PRESENTER))
    displaced = None
    if len(presenters) >= 2:
        with_case = set(
            MeetingCase.objects.filter(meeting=meeting).values_list("case__presenter_id", flat=True)
        )
        displaced = next((p for p in presenters if p.user_id not in with_case), None)
        if displaced is None:
            raise RotaError(_("A meeting has at most two presenters."))
        displaced.delete()
    if previous is not None:
        previous.delete()
        if displaced is not None:
            RoleAssignment.objects.create(meeting=meeting, user=displaced.user, role=previous.role)
    RoleAssignment.objects.create(meeting=meeting, user=user, role=Role.PRESENTER)
