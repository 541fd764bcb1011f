"""An impossible request is answered with the group, person or location and the rule."""

from __future__ import annotations

import datetime as dt

from engine.scheduling import AvailabilityAnswer, Group, Room, SchedulingProblem, solve

NINE = dt.time(9, 0)


def problem(**overrides) -> SchedulingProblem:
    fields = {
        "groups": (Group("g1", ("ann", "bob"), "fay"),),
        "window_start": dt.date(2027, 1, 5),
        "window_end": dt.date(2027, 3, 1),
        "start_times": (NINE,),
        "meeting_count": 6,
        "min_gap_days": 14,
        "weekdays": (0, 1, 2, 3, 4),
    }
    fields.update(overrides)
    return SchedulingProblem(**fields)


def explain(p: SchedulingProblem) -> str:
    result = solve(p, time_limit_s=10, seed=3)
    assert result.status == "infeasible"
    assert not result.feasible and result.plans == ()
    assert result.explanation
    return "\n".join(result.explanation)


def test_too_many_meetings_for_the_spacing_names_group_and_rule():
    text = explain(problem())
    assert (
        "group g1: 6 meetings at least 14 days apart do not fit between "
        "2027-01-05 and 2027-03-01" in text
    )


def test_a_blackout_longer_than_the_maximum_gap_is_named():
    text = explain(
        problem(
            meeting_count=3,
            min_gap_days=7,
            max_gap_days=14,
            window_end=dt.date(2027, 4, 30),
            blackout_dates=tuple(dt.date(2027, 1, 10) + dt.timedelta(days=k) for k in range(100)),
        )
    )
    assert "group g1: 3 meetings 7 to 14 days apart do not fit" in text
    assert "no usable date for" in text


def test_an_overloaded_facilitator_is_named():
    groups = tuple(Group(f"g{k}", (f"m{k}",), "fay") for k in range(9))
    text = explain(
        problem(
            groups=groups,
            meeting_count=1,
            window_start=dt.date(2027, 3, 1),
            window_end=dt.date(2027, 3, 10),
        )
    )
    assert "facilitator fay leads 9 groups" in text
    assert "but only 8 non-overlapping slots are allowed" in text


def test_a_room_too_small_for_the_group_is_named():
    groups = (Group("big", tuple(f"m{k}" for k in range(8)), "fay", location="Gouda"),)
    text = explain(problem(groups=groups, meeting_count=1, rooms=(Room("hok", 6, "Gouda"),)))
    assert (
        "group big: needs a room for 9 people at Gouda, but the largest room there holds 6" in text
    )


def test_a_location_without_rooms_is_named():
    groups = (Group("g", ("ann",), location="Venlo"),)
    text = explain(problem(groups=groups, meeting_count=1, rooms=(Room("r", 6, "Gouda"),)))
    assert "group g: meets on site at Venlo, but there is no room there" in text


def test_too_few_rooms_at_a_location_is_named():
    groups = tuple(Group(f"g{k}", (f"m{k}",), location="Ede") for k in range(3))
    text = explain(
        problem(
            groups=groups,
            meeting_count=1,
            window_start=dt.date(2027, 3, 1),
            window_end=dt.date(2027, 3, 2),
            rooms=(Room("r", 6, "Ede"),),
        )
    )
    assert "location Ede: 3 meetings" in text


def test_a_facilitators_no_answers_leaving_no_date_are_named():
    days = [dt.date(2027, 3, 1) + dt.timedelta(days=k) for k in range(5)]
    text = explain(
        problem(
            meeting_count=1,
            window_start=days[0],
            window_end=days[-1],
            answers=tuple(AvailabilityAnswer("fay", d, "no") for d in days),
        )
    )
    assert "group g1" in text and "'no' answers" in text


def test_infeasibility_only_the_solver_finds_is_explained_by_relaxing_one_rule():
    # Each group needs 2 meetings at least 3 days apart in a 4-day window: only the
    # first and last day work, and both groups share facilitator fay. Every pre-check
    # passes (4 meetings, 4 slots), yet no plan exists.
    groups = (Group("a", ("ann",), "fay"), Group("b", ("bob",), "fay"))
    text = explain(
        problem(
            groups=groups,
            meeting_count=2,
            min_gap_days=3,
            window_start=dt.date(2027, 3, 1),
            window_end=dt.date(2027, 3, 4),
        )
    )
    assert "relaxing only the rule 'nobody in two places at once' would allow one" in text
    assert "facilitator fay cannot attend all meetings of groups a, b" in text
    assert "'minimum days between meetings'" in text
    assert "only 1 of 2 meetings fit" in text
