"""The rota engine keeps its promises for any group (hypothesis property tests)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.rota import ROLES, MeetingSlot, ReasonCode, Role, RotaProblem, Stage, propose, repair

from .checker import hard_rule_violations, presenter_counts_before, spread, valid_meeting_rotas

NAMES = [f"p{i}" for i in range(9)]
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw, *, absences=True, everyone_present=False, all_willing=False):
    n = draw(st.integers(min_value=5, max_value=8))
    members = tuple(NAMES[:n])
    count = draw(st.integers(min_value=1, max_value=7))
    meetings = []
    stage = 1
    for i in range(count):
        stage = draw(st.integers(min_value=stage, max_value=min(stage + 1, 4)))
        absent = (
            frozenset()
            if everyone_present or not absences
            else frozenset(draw(st.sets(st.sampled_from(members), max_size=2)))
        )
        presenters = draw(st.sampled_from([1, 1, 2]))
        meetings.append(MeetingSlot(f"m{i}", absent, presenters, Stage(stage)))
    wants = (
        draw(st.sets(st.sampled_from(members), min_size=2))
        if not all_willing and draw(st.booleans())
        else None
    )
    return RotaProblem(members, tuple(meetings), None if wants is None else frozenset(wants))


def planned(problem, result):
    """The meetings the engine could plan; the others each have a fatal reason."""
    blocked = {r.meeting for r in result.reasons if r.fatal}
    return [
        (slot, rota)
        for slot, rota in zip(problem.meetings, result.meetings, strict=True)
        if slot.key not in blocked
    ]


def roles_needed_are_filled(problem, result):
    for slot, rota in planned(problem, result):
        holders = rota.holders()
        lead = 1 if Stage(slot.stage).member_leads else 0
        assert len(holders[Role.PROCESS_FACILITATOR]) == lead
        assert len(holders[Role.TIMEKEEPER]) == 1
        assert len(holders[Role.NOTE_TAKER]) == 1
        assert 1 <= len(holders[Role.PRESENTER]) <= slot.presenters


@FAST
@given(problems())
def test_nobody_absent_gets_a_role_nobody_holds_two_and_presenters_take_turns(problem):
    result = propose(problem, time_limit_s=5)
    for reason in result.reasons:
        if reason.fatal:
            slot = next(s for s in problem.meetings if s.key == reason.meeting)
            present = [m for m in problem.members if m not in slot.absent]
            if reason.code is ReasonCode.TOO_FEW_PRESENT:
                assert reason.available == len(present) < reason.needed
            else:
                assert reason.code is ReasonCode.NO_WILLING_PRESENTER
                assert not set(present) & problem.willing()
            assert result.meeting(slot.key).assignments() == []
    assert hard_rule_violations(problem, [rota for _slot, rota in planned(problem, result)]) == []
    roles_needed_are_filled(problem, result)


@FAST
@given(problems(everyone_present=True, all_willing=True))
def test_with_everyone_present_each_role_is_shared_within_one(problem):
    result = propose(problem, time_limit_s=5)
    counts = result.counts()
    for role in ROLES:
        people = sorted(problem.willing()) if role is Role.PRESENTER else problem.members
        if role is Role.PROCESS_FACILITATOR and not any(s.stage > 1 for s in problem.meetings):
            continue
        assert spread(problem, counts, role, people) <= 1, (role, counts)


@FAST
@given(problems(everyone_present=True))
def test_nobody_presents_twice_before_everyone_who_wants_to_has(problem):
    result = propose(problem, time_limit_s=5)
    for rota, before in presenter_counts_before(problem, result.meetings):
        waiting = [before[q] for q in problem.willing() - set(rota.presenters)]
        for p in rota.presenters:
            assert before[p] <= min(waiting, default=before[p])


def changes(old, new, absent):
    return sum(
        1
        for p in set(old.questioners) | {a.member for a in old.assignments()}
        if p != absent and old.role_of(p) != new.role_of(p)
    )


@FAST
@given(problems(), st.data())
def test_repair_changes_only_that_meeting_and_as_few_roles_as_possible(problem, data):
    result = propose(problem, time_limit_s=5)
    index = data.draw(st.integers(min_value=0, max_value=len(problem.meetings) - 1))
    current = result.meetings[index]
    people = [a.member for a in current.assignments()]
    if not people:
        return
    absent = data.draw(st.sampled_from(people))
    fixed = repair(problem, result, meeting=current.key, absent=absent)
    for i, (old, new) in enumerate(zip(result.meetings, fixed.rota.meetings, strict=True)):
        if i != index:
            assert old == new
    new = fixed.rota.meetings[index]
    assert absent not in [a.member for a in new.assignments()]
    assert absent not in new.questioners
    taken = {t.role for t in fixed.takeovers if t.previous == absent}
    assert taken == {current.role_of(absent)}
    if not fixed.ok:
        assert {r.code for r in fixed.reasons} & {
            ReasonCode.TOO_FEW_PRESENT,
            ReasonCode.NO_WILLING_PRESENTER,
        }
        return
    slot = problem.meetings[index]
    repaired = RotaProblem(
        problem.members,
        tuple(
            MeetingSlot(s.key, s.absent | {absent}, s.presenters, s.stage)
            if s.key == slot.key
            else s
            for s in problem.meetings
        ),
        problem.wants_to_present,
    )
    before = dict(list(presenter_counts_before(repaired, fixed.rota.meetings))[index][1])
    assert (
        hard_rule_violations(
            RotaProblem(
                repaired.members,
                (repaired.meetings[index],),
                repaired.wants_to_present,
                {p: {Role.PRESENTER: n} for p, n in before.items()},
            ),
            [new],
        )
        == []
    )
    presenters = len(new.presenters)
    best = min(
        changes(current, option, absent)
        for option in valid_meeting_rotas(repaired, slot.key, presenters, before)
    )
    assert changes(current, new, absent) == best
