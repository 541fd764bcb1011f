"""Random small programmes: every plan keeps every hard rule, every refusal says why."""

from __future__ import annotations

import datetime as dt
from itertools import combinations, product

import holidays
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scheduling_checker import answer_of, violations

from engine.scheduling import (
    Answer,
    AvailabilityAnswer,
    Group,
    NoRule,
    Room,
    SchedulingProblem,
    solve,
)

TIMES = (dt.time(9, 0), dt.time(10, 0), dt.time(13, 30), dt.time(19, 0))
PEOPLE = tuple(f"p{k}" for k in range(8))
FACILITATORS = ("f0", "f1", "f2")
LOCATIONS = ("Assen", "Breda")


@st.composite
def programmes(draw) -> SchedulingProblem:
    # windows around King's Day, Ascension and Christmas on purpose
    start = draw(
        st.sampled_from([dt.date(2027, 4, 19), dt.date(2027, 4, 30), dt.date(2027, 12, 13)])
    ) + dt.timedelta(days=draw(st.integers(0, 10)))
    end = start + dt.timedelta(days=draw(st.integers(3, 60)))
    min_gap = draw(st.integers(1, 10))
    max_gap = draw(st.one_of(st.none(), st.integers(min_gap, min_gap + 20)))
    groups = []
    for k in range(draw(st.integers(1, 4))):
        members = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4, unique=True))
        groups.append(
            Group(
                id=f"g{k}",
                member_ids=tuple(members),
                facilitator_id=draw(st.one_of(st.none(), st.sampled_from(FACILITATORS))),
                location=draw(st.one_of(st.none(), st.sampled_from(LOCATIONS))),
                meeting_count=draw(st.one_of(st.none(), st.integers(1, 3))),
            )
        )
    rooms = tuple(
        Room(f"r{k}", draw(st.integers(1, 6)), draw(st.sampled_from(LOCATIONS)))
        for k in range(draw(st.integers(0, 3)))
    )
    days = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
    answers = tuple(
        AvailabilityAnswer(
            person_id=draw(st.sampled_from(PEOPLE + FACILITATORS)),
            date=draw(st.sampled_from(days)),
            answer=draw(st.sampled_from(list(Answer))),
            start=draw(st.one_of(st.none(), st.sampled_from(TIMES))),
        )
        for _ in range(draw(st.integers(0, 12)))
    )
    return SchedulingProblem(
        groups=tuple(groups),
        window_start=start,
        window_end=end,
        start_times=tuple(draw(st.lists(st.sampled_from(TIMES), min_size=1, max_size=3))),
        meeting_count=draw(st.integers(1, 3)),
        min_gap_days=min_gap,
        max_gap_days=max_gap,
        weekdays=tuple(draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True))),
        duration_minutes=draw(st.sampled_from([60, 90, 120, 180])),
        rooms=rooms,
        blackout_dates=tuple(draw(st.lists(st.sampled_from(days), max_size=3))),
        answers=answers,
        default_answer=draw(st.sampled_from([Answer.YES, Answer.YES, Answer.IF_NEED_BE])),
        facilitator_no=draw(st.sampled_from(list(NoRule))),
        member_no=draw(st.sampled_from(list(NoRule))),
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(programmes(), st.integers(0, 3))
def test_every_answer_keeps_the_hard_rules_or_explains_itself(problem, seed):
    result = solve(problem, time_limit_s=4, seed=seed)
    event(f"status {result.status}")
    if result.feasible:
        assert violations(problem, result) == []
        assert result.objective is not None and result.best_bound is not None
        assert result.best_bound <= result.objective
    else:
        assert result.plans == ()
        assert result.explanation, "a refusal must say why"
        assert all("\n" not in line for line in result.explanation)


def _brute_force_feasible(problem: SchedulingProblem) -> bool:
    """Try every combination of dates, times and rooms (tiny problems only)."""
    public = holidays.Netherlands(
        years=range(problem.window_start.year, problem.window_end.year + 1)
    )
    slots = []
    day = problem.window_start
    while day <= problem.window_end:
        if (
            day.weekday() in problem.weekdays
            and day not in public
            and day not in problem.blackout_dates
        ):
            slots.extend((day, t) for t in sorted(set(problem.start_times)))
        day += dt.timedelta(days=1)

    def span(day, start):
        begin = dt.datetime.combine(day, start)
        return begin, begin + dt.timedelta(minutes=problem.duration_minutes)

    options = []
    for group in problem.groups:
        people = set(group.person_ids)
        count = group.meeting_count or problem.meeting_count
        rooms = [
            r.id
            for r in problem.rooms
            if r.location == group.location and r.capacity >= len(people)
        ]
        series = []
        for combo in combinations(slots, count):
            dates = [d for d, _ in combo]
            gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
            if any(g < problem.min_gap_days for g in gaps):
                continue
            if problem.max_gap_days is not None and any(g > problem.max_gap_days for g in gaps):
                continue
            refused = False
            for d, t in combo:
                for person in people:
                    is_facilitator = person == group.facilitator_id
                    rule = problem.facilitator_no if is_facilitator else problem.member_no
                    if rule == NoRule.HARD and answer_of(problem, person, d, t) == Answer.NO:
                        refused = True
            if refused:
                continue
            room_choices = [[None]] * count if group.location is None else [rooms] * count
            for chosen_rooms in product(*room_choices):
                series.append(
                    [
                        (people, room, *span(d, t))
                        for (d, t), room in zip(combo, chosen_rooms, strict=True)
                    ]
                )
        options.append(series)

    def clash(a, b):
        (p1, r1, b1, e1), (p2, r2, b2, e2) = a, b
        return b1 < e2 and b2 < e1 and (p1 & p2 or (r1 is not None and r1 == r2))

    def search(k, placed):
        if k == len(options):
            return True
        for series in options[k]:
            if all(not clash(m, other) for m in series for other in placed):
                if search(k + 1, placed + series):
                    return True
        return False

    return search(0, [])


@st.composite
def tiny_programmes(draw) -> SchedulingProblem:
    start = dt.date(2027, 4, 24) + dt.timedelta(days=draw(st.integers(0, 14)))
    end = start + dt.timedelta(days=draw(st.integers(1, 7)))
    groups = tuple(
        Group(
            id=f"g{k}",
            member_ids=tuple(
                draw(st.lists(st.sampled_from(PEOPLE[:4]), min_size=1, max_size=2, unique=True))
            ),
            facilitator_id=draw(st.one_of(st.none(), st.sampled_from(FACILITATORS[:2]))),
            location=draw(st.one_of(st.none(), st.just("Assen"))),
        )
        for k in range(draw(st.integers(1, 3)))
    )
    days = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
    min_gap = draw(st.integers(1, 4))
    return SchedulingProblem(
        groups=groups,
        window_start=start,
        window_end=end,
        start_times=tuple(draw(st.lists(st.sampled_from(TIMES[:3]), min_size=1, max_size=2))),
        meeting_count=draw(st.integers(1, 2)),
        min_gap_days=min_gap,
        max_gap_days=draw(st.one_of(st.none(), st.integers(min_gap, min_gap + 3))),
        weekdays=tuple(range(7)),
        duration_minutes=draw(st.sampled_from([60, 120])),
        rooms=tuple(
            Room(f"r{k}", draw(st.integers(1, 4)), "Assen") for k in range(draw(st.integers(0, 2)))
        ),
        answers=tuple(
            AvailabilityAnswer(
                draw(st.sampled_from(PEOPLE[:4] + FACILITATORS[:2])),
                draw(st.sampled_from(days)),
                Answer.NO,
                draw(st.one_of(st.none(), st.sampled_from(TIMES[:3]))),
            )
            for _ in range(draw(st.integers(0, 4)))
        ),
        member_no=draw(st.sampled_from(list(NoRule))),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_programmes())
def test_it_finds_a_plan_exactly_when_one_exists(problem):
    result = solve(problem, time_limit_s=4, seed=0)
    event(f"status {result.status}")
    assert result.feasible == _brute_force_feasible(problem), result.explanation
