"""Propose a fair rota for a series of meetings, and repair it after an absence.

One CP-SAT model over the whole series:

- hard: nobody absent holds a role; each meeting has its roles (no member process
  facilitator while the facilitator leads, stage 1); nobody holds two roles in one
  meeting; only those who want to present present; nobody presents while a present,
  willing member who presents less often (history included) does not present at that
  meeting — so no one presents twice before everyone who wants to and could has;
- soft, in this order: per role the spread (most minus fewest, history included) over
  the members who may hold it, then the spread of all roles together;
- fixed roles (a swap accepted, a change by hand) stay as they are; they count for the
  spreads and the turns of the meetings after, but take no presenter's turn at their own.

Repair changes one meeting only: as few members as possible get another role than they
had, under the same hard rules; among equally small changes the least loaded member
takes over.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from .model import (
    ROLES,
    MeetingRota,
    MeetingSlot,
    Reason,
    ReasonCode,
    RepairResult,
    Role,
    RotaInputError,
    RotaProblem,
    RotaResult,
    Stage,
    Takeover,
)


def _validate(problem: RotaProblem) -> list[Reason]:
    if len(set(problem.members)) != len(problem.members):
        raise RotaInputError("members must be unique")
    keys = [m.key for m in problem.meetings]
    if len(set(keys)) != len(keys):
        raise RotaInputError("meeting keys must be unique")
    members = set(problem.members)
    reasons = []
    for slot in problem.meetings:
        if slot.presenters not in (1, 2):
            raise RotaInputError("a meeting has 1 or 2 presenters")
        Stage(slot.stage)
        for person in sorted(set(slot.absent) - members):
            reasons.append(
                Reason(ReasonCode.UNKNOWN_MEMBER, meeting=slot.key, member=person, fatal=False)
            )
        _validate_fixed(slot, members)
    for person in sorted(set(problem.wants_to_present or ()) - members):
        reasons.append(Reason(ReasonCode.UNKNOWN_MEMBER, member=person, fatal=False))
    return reasons


def _validate_fixed(slot: MeetingSlot, members: set[str]) -> None:
    held: dict[Role, int] = {}
    seen = set()
    for member, role in slot.fixed:
        role = Role(role)
        if member not in members or member in slot.absent:
            raise RotaInputError("a fixed role is held by a member who is there")
        if member in seen:
            raise RotaInputError("a member has one fixed role in a meeting at most")
        seen.add(member)
        held[role] = held.get(role, 0) + 1
        if role is Role.PROCESS_FACILITATOR and not Stage(slot.stage).member_leads:
            raise RotaInputError("no member is process facilitator while the facilitator leads")
    for role, count in held.items():
        if count > (2 if role is Role.PRESENTER else 1):
            raise RotaInputError(f"too many fixed holders of {role}")


def _present(problem: RotaProblem, slot: MeetingSlot) -> list[str]:
    return [m for m in problem.members if m not in slot.absent]


def _check_slot(problem: RotaProblem, slot: MeetingSlot) -> tuple[int, list[Reason]]:
    """How many presenters this meeting can have, and why not (fatal) or fewer (warning)."""
    present = _present(problem, slot)
    willing = [m for m in present if m in _willing_at(problem, slot)]
    reasons = []
    presenters = min(slot.wanted_presenters(), len(willing))
    if not willing:
        reasons.append(
            Reason(ReasonCode.NO_WILLING_PRESENTER, meeting=slot.key, needed=1, available=0)
        )
    elif presenters < slot.wanted_presenters():
        reasons.append(
            Reason(
                ReasonCode.FEWER_PRESENTERS,
                meeting=slot.key,
                needed=slot.wanted_presenters(),
                available=presenters,
                fatal=False,
            )
        )
    needed = MeetingSlot(slot.key, slot.absent, max(presenters, 1), slot.stage).roles_needed()
    if len(present) < needed:
        reasons.append(
            Reason(
                ReasonCode.TOO_FEW_PRESENT, meeting=slot.key, needed=needed, available=len(present)
            )
        )
    return presenters, reasons


def _willing_at(problem: RotaProblem, slot: MeetingSlot) -> frozenset[str]:
    """Who may present at this meeting: the willing without another fixed role there, and
    whoever presents there fixed."""
    other_fixed = {member for member, role in slot.fixed if Role(role) is not Role.PRESENTER}
    return (problem.willing() - other_fixed) | frozenset(slot.fixed_presenters())


def _history(problem: RotaProblem, member: str, role: Role) -> int:
    return int(
        problem.history.get(member, {}).get(role, 0)
        or problem.history.get(member, {}).get(role.value, 0)
    )


class _Model:
    def __init__(self, problem: RotaProblem, slots: list[tuple[MeetingSlot, int]]):
        self.problem = problem
        self.model = cp_model.CpModel()
        self.x: dict[tuple[str, str, Role], cp_model.IntVar] = {}
        for slot, presenters in slots:
            present = _present(problem, slot)
            willing = _willing_at(problem, slot)
            for member in present:
                for role in ROLES:
                    if role is Role.PROCESS_FACILITATOR and not Stage(slot.stage).member_leads:
                        continue
                    if role is Role.PRESENTER and member not in willing:
                        continue
                    self.x[member, slot.key, role] = self.model.new_bool_var(
                        f"x_{member}_{slot.key}_{role}"
                    )
            for member, role in slot.fixed:
                self.model.add(self.var(member, slot.key, Role(role)) == 1)
            for role in ROLES:
                wanted = {
                    Role.PROCESS_FACILITATOR: 1 if Stage(slot.stage).member_leads else 0,
                    Role.PRESENTER: presenters,
                }.get(role, 1)
                self.model.add(sum(self.var(m, slot.key, role) for m in present) == wanted)
            for member in present:
                self.model.add(sum(self.var(member, slot.key, r) for r in ROLES) <= 1)

    def var(self, member, key, role):
        return self.x.get((member, key, role), 0)

    def solve(self, seed: int, time_limit_s: float) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = time_limit_s
        status = solver.solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # pragma: no cover - prechecked
            raise RuntimeError("the rota model has no solution although the precheck passed")
        return solver


def _presenter_order(
    m: _Model, problem: RotaProblem, slot: MeetingSlot, before: dict[str, object]
) -> None:
    """Presenting at this meeting: nobody present and willing who does not present has
    presented fewer times before it. A fixed role is outside this turn: whoever holds
    one neither takes nor blocks a turn here."""
    fixed = {member for member, _role in slot.fixed}
    willing = [p for p in _present(problem, slot) if p in problem.willing() and p not in fixed]
    big = (
        len(problem.meetings)
        + 1
        + max((_history(problem, p, Role.PRESENTER) for p in willing), default=0)
    )
    for a in willing:
        for b in willing:
            if a == b:
                continue
            xa = m.var(a, slot.key, Role.PRESENTER)
            xb = m.var(b, slot.key, Role.PRESENTER)
            m.model.add(before[a] - before[b] <= big * (1 - xa + xb))


def _read(m: _Model, solver, problem: RotaProblem, slot: MeetingSlot) -> MeetingRota:
    rota = MeetingRota(key=slot.key, stage=Stage(slot.stage))
    holders: dict[Role, list[str]] = {r: [] for r in ROLES}
    for member in _present(problem, slot):
        for role in ROLES:
            v = m.x.get((member, slot.key, role))
            if v is not None and solver.value(v):
                holders[role].append(member)
    rota.process_facilitator = (holders[Role.PROCESS_FACILITATOR] or [None])[0]
    rota.presenters = tuple(holders[Role.PRESENTER])
    rota.timekeeper = (holders[Role.TIMEKEEPER] or [None])[0]
    rota.note_taker = (holders[Role.NOTE_TAKER] or [None])[0]
    busy = {p for ps in holders.values() for p in ps}
    rota.questioners = tuple(p for p in _present(problem, slot) if p not in busy)
    return rota


def _again_warnings(
    problem: RotaProblem, rotas: list[MeetingRota], fixed: dict[str, set[str]]
) -> list[Reason]:
    """Presenting again while a willing member (absent then) has not caught up yet (a
    fixed presenter was chosen so on purpose: no warning)."""
    willing = sorted(problem.willing())
    counts = {p: _history(problem, p, Role.PRESENTER) for p in willing}
    reasons = []
    for rota in rotas:
        low = min(counts.values(), default=0)
        for p in rota.presenters:
            if p in counts and counts[p] > low and p not in fixed.get(rota.key, set()):
                reasons.append(
                    Reason(ReasonCode.PRESENTER_AGAIN, meeting=rota.key, member=p, fatal=False)
                )
        for p in rota.presenters:
            if p in counts:
                counts[p] += 1
    return reasons


def propose(problem: RotaProblem, *, seed: int = 0, time_limit_s: float = 10.0) -> RotaResult:
    reasons = _validate(problem)
    slots: list[tuple[MeetingSlot, int]] = []
    for slot in problem.meetings:
        presenters, slot_reasons = _check_slot(problem, slot)
        reasons.extend(slot_reasons)
        if not any(r.fatal for r in slot_reasons):
            slots.append((slot, presenters))
    m = _Model(problem, slots)
    willing = sorted(problem.willing())
    before = {p: _history(problem, p, Role.PRESENTER) for p in willing}
    for slot, _presenters in slots:
        _presenter_order(m, problem, slot, before)
        before = {p: before[p] + m.var(p, slot.key, Role.PRESENTER) for p in willing}
    horizon = (
        len(problem.meetings)
        + 1
        + max((sum(roles.values()) for roles in problem.history.values()), default=0)
    )
    spreads = []
    for role in ROLES:
        eligible = willing if role is Role.PRESENTER else list(problem.members)
        if role is Role.PROCESS_FACILITATOR and not any(
            Stage(s.stage).member_leads for s, _ in slots
        ):
            continue
        if not eligible:
            continue
        totals = [
            _history(problem, p, role) + sum(m.var(p, s.key, role) for s, _ in slots)
            for p in eligible
        ]
        high = m.model.new_int_var(0, horizon, f"high_{role}")
        low = m.model.new_int_var(0, horizon, f"low_{role}")
        for total in totals:
            m.model.add(high >= total)
            m.model.add(low <= total)
        spreads.append(high - low)
    load_high = m.model.new_int_var(0, horizon, "load_high")
    load_low = m.model.new_int_var(0, horizon, "load_low")
    for p in problem.members:
        load = sum(_history(problem, p, r) for r in ROLES) + sum(
            m.var(p, s.key, r) for s, _ in slots for r in ROLES
        )
        m.model.add(load_high >= load)
        m.model.add(load_low <= load)
    m.model.minimize(100 * sum(spreads) + (load_high - load_low))
    solver = m.solve(seed, time_limit_s)
    planned = {slot.key: _read(m, solver, problem, slot) for slot, _ in slots}
    rotas = [
        planned.get(slot.key) or MeetingRota(key=slot.key, stage=Stage(slot.stage))
        for slot in problem.meetings
    ]
    fixed = {slot.key: set(slot.fixed_presenters()) for slot in problem.meetings}
    reasons.extend(_again_warnings(problem, [planned[s.key] for s, _ in slots], fixed))
    return RotaResult(meetings=rotas, reasons=reasons)


def _counts_before(problem: RotaProblem, rota: RotaResult, key: str) -> dict[str, dict[Role, int]]:
    counts = {p: {r: _history(problem, p, r) for r in ROLES} for p in problem.members}
    for meeting in rota.meetings:
        if meeting.key == key:
            break
        for a in meeting.assignments():
            if a.member in counts:
                counts[a.member][a.role] += 1
    return counts


def repair(
    problem: RotaProblem,
    rota: RotaResult,
    *,
    meeting: str,
    absent: str,
    seed: int = 0,
    time_limit_s: float = 5.0,
) -> RepairResult:
    """Someone reported absence for one meeting: change as few roles as possible there.

    `problem` is the problem the rota was made for (its absences, stages, volunteers);
    the new absence is added to it. Returns the repaired rota, who takes over which role,
    and why a role could not be filled.
    """
    index = next((i for i, s in enumerate(problem.meetings) if s.key == meeting), None)
    current = rota.meeting(meeting)
    if index is None or current is None:
        return RepairResult(
            rota=rota, takeovers=[], reasons=[Reason(ReasonCode.NOT_IN_ROTA, meeting=meeting)]
        )
    old_slot = problem.meetings[index]
    slot = MeetingSlot(
        old_slot.key, frozenset(old_slot.absent) | {absent}, old_slot.presenters, old_slot.stage
    )
    meetings = list(problem.meetings)
    meetings[index] = slot
    new_problem = RotaProblem(
        problem.members, tuple(meetings), problem.wants_to_present, problem.history
    )
    if (
        absent not in {a.member for a in current.assignments()}
        and absent not in current.questioners
    ):
        return RepairResult(
            rota=_replace(rota, _without(current, absent)), takeovers=[], reasons=[]
        )
    had = current.role_of(absent)
    if had is None:
        return RepairResult(
            rota=_replace(rota, _without(current, absent)), takeovers=[], reasons=[]
        )

    presenters, reasons = _check_slot(
        new_problem, MeetingSlot(slot.key, slot.absent, max(len(current.presenters), 1), slot.stage)
    )
    if any(r.fatal for r in reasons):
        emptied = _without(current, absent)
        takeovers = [Takeover(meeting, had, absent, None)]
        return RepairResult(rota=_replace(rota, emptied), takeovers=takeovers, reasons=reasons)

    m = _Model(new_problem, [(slot, presenters)])
    counts = _counts_before(new_problem, rota, meeting)
    willing = sorted(new_problem.willing())
    _presenter_order(m, new_problem, slot, {p: counts[p][Role.PRESENTER] for p in willing})
    changed = []
    for p in _present(new_problem, slot):
        role = current.role_of(p)
        if role is None:
            changed.append(sum(m.var(p, meeting, r) for r in ROLES))
        else:
            changed.append(1 - m.var(p, meeting, role))
    effort = sum(
        (counts[p][role] * 10 + sum(counts[p].values())) * m.var(p, meeting, role)
        for p in _present(new_problem, slot)
        for role in ROLES
    )
    m.model.minimize(100_000 * sum(changed) + effort)
    solver = m.solve(seed, time_limit_s)
    fixed = _read(m, solver, new_problem, slot)
    takeovers = []
    before, after = current.holders(), fixed.holders()
    for role in ROLES:
        lost = [p for p in before[role] if p not in after[role]]
        gained = [p for p in after[role] if p not in before[role]]
        for i, previous in enumerate(lost):
            takeovers.append(
                Takeover(meeting, role, previous, gained[i] if i < len(gained) else None)
            )
    return RepairResult(rota=_replace(rota, fixed), takeovers=takeovers, reasons=reasons)


def _without(current: MeetingRota, absent: str) -> MeetingRota:
    return MeetingRota(
        key=current.key,
        stage=current.stage,
        process_facilitator=None
        if current.process_facilitator == absent
        else current.process_facilitator,
        presenters=tuple(p for p in current.presenters if p != absent),
        timekeeper=None if current.timekeeper == absent else current.timekeeper,
        note_taker=None if current.note_taker == absent else current.note_taker,
        questioners=tuple(p for p in current.questioners if p != absent),
    )


def _replace(rota: RotaResult, meeting: MeetingRota) -> RotaResult:
    return RotaResult(
        meetings=[meeting if m.key == meeting.key else m for m in rota.meetings],
        reasons=list(rota.reasons),
    )
