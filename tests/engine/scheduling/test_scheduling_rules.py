"""Every plan keeps the hard rules; the objective prefers what people said."""

from __future__ import annotations

import datetime as dt

import pytest
from scheduling_checker import violations

from engine.scheduling import (
    Answer,
    AvailabilityAnswer,
    Group,
    NoRule,
    Room,
    SchedulingInputError,
    SchedulingProblem,
    Weights,
    solve,
)

NINE = dt.time(9, 0)
ONE = dt.time(13, 0)


def plan_of(result, group_id):
    return next(p for p in result.plans if p.group_id == group_id).meetings


def test_it_never_plans_on_kings_day_christmas_or_new_year():
    # every weekday from 20 April to 10 January, one meeting a day possible
    problem = SchedulingProblem(
        groups=tuple(Group(f"g{k}", (f"m{k}",)) for k in range(3)),
        window_start=dt.date(2027, 4, 20),
        window_end=dt.date(2028, 1, 10),
        start_times=(NINE,),
        weekdays=(0, 1, 2, 3, 4),
        meeting_count=120,
        min_gap_days=1,
        max_gap_days=4,
    )
    result = solve(problem, time_limit_s=20, seed=1)
    assert result.feasible, result.explanation
    used = {m.date for plan in result.plans for m in plan.meetings}
    for holiday in (
        dt.date(2027, 4, 27),  # King's Day (a Tuesday)
        dt.date(2027, 5, 6),  # Ascension Day
        dt.date(2027, 5, 17),  # Whit Monday
        dt.date(2028, 1, 1),  # New Year's Day
    ):
        assert holiday not in used
    assert not violations(problem, result)


def test_a_window_of_only_holidays_is_infeasible_and_says_so():
    problem = SchedulingProblem(
        groups=(Group("kerstgroep", ("ann",)),),
        window_start=dt.date(2027, 12, 25),
        window_end=dt.date(2027, 12, 26),
        start_times=(NINE,),
        weekdays=(5, 6),
        meeting_count=1,
    )
    result = solve(problem, time_limit_s=5)
    assert result.status == "infeasible"
    assert result.plans == ()
    assert any("kerstgroep" in line and "holidays" in line for line in result.explanation)


def test_holidays_can_be_switched_off_and_organisation_blackouts_added():
    problem = SchedulingProblem(
        groups=(Group("g", ("ann",)),),
        window_start=dt.date(2027, 4, 26),
        window_end=dt.date(2027, 4, 28),
        start_times=(NINE,),
        meeting_count=1,
        dutch_holidays=False,
        blackout_dates=(dt.date(2027, 4, 26), dt.date(2027, 4, 28)),
    )
    result = solve(problem, time_limit_s=5)
    assert [m.date for m in plan_of(result, "g")] == [dt.date(2027, 4, 27)]


def test_shared_facilitator_and_member_are_never_double_booked():
    problem = SchedulingProblem(
        groups=(
            Group("a", ("ann", "bob"), "fay"),
            Group("b", ("cas", "bob"), "fay"),
            Group("c", ("dirk",), "fay"),
        ),
        window_start=dt.date(2027, 3, 1),
        window_end=dt.date(2027, 3, 12),
        start_times=(NINE, ONE),
        meeting_count=3,
        min_gap_days=2,
        max_gap_days=5,
    )
    result = solve(problem, time_limit_s=10)
    assert result.feasible, result.explanation
    assert not violations(problem, result)


def test_overlapping_start_times_book_each_room_once():
    # 09:00 and 10:00 with two-hour meetings overlap; one room for two on-site groups
    problem = SchedulingProblem(
        groups=(Group("a", ("ann",), location="Zwolle"), Group("b", ("bob",), location="Zwolle")),
        window_start=dt.date(2027, 3, 1),
        window_end=dt.date(2027, 3, 1),
        start_times=(NINE, dt.time(10, 0), dt.time(11, 0)),
        meeting_count=1,
        rooms=(Room("zaal", 4, "Zwolle"),),
    )
    result = solve(problem, time_limit_s=5)
    assert result.feasible, result.explanation
    assert not violations(problem, result)
    starts = sorted(m.start for plan in result.plans for m in plan.meetings)
    assert starts == [NINE, dt.time(11, 0)]


def test_the_large_group_gets_the_large_room():
    problem = SchedulingProblem(
        groups=(
            Group("small", ("a", "b", "c")),
            Group("large", tuple("defghijk"), location="Delft"),
            Group("medium", ("l", "m", "n", "o"), location="Delft"),
        ),
        window_start=dt.date(2027, 3, 1),
        window_end=dt.date(2027, 3, 1),
        start_times=(NINE,),
        meeting_count=1,
        rooms=(Room("big", 10, "Delft"), Room("tiny", 5, "Delft")),
    )
    result = solve(problem, time_limit_s=5)
    assert plan_of(result, "large")[0].room_id == "big"
    assert plan_of(result, "medium")[0].room_id == "tiny"
    assert plan_of(result, "small")[0].room_id is None
    assert not violations(problem, result)


def test_it_prefers_yes_over_if_need_be():
    days = [dt.date(2027, 3, 1) + dt.timedelta(days=k) for k in range(5)]
    answers = [AvailabilityAnswer("ann", d, Answer.IF_NEED_BE) for d in days]
    answers.append(AvailabilityAnswer("ann", days[3], Answer.YES, start=ONE))
    problem = SchedulingProblem(
        groups=(Group("g", ("ann", "bob"), "fay"),),
        window_start=days[0],
        window_end=days[-1],
        start_times=(NINE, ONE),
        meeting_count=1,
        answers=tuple(answers),
    )
    result = solve(problem, time_limit_s=5)
    meeting = plan_of(result, "g")[0]
    assert (meeting.date, meeting.start) == (days[3], ONE)
    assert result.objective == 0
    assert result.status == "optimal"
    assert result.answer_counts.yes == 3


def test_a_facilitators_no_is_never_overruled():
    days = [dt.date(2027, 3, 1) + dt.timedelta(days=k) for k in range(3)]
    problem = SchedulingProblem(
        groups=(Group("g", ("ann",), "fay"),),
        window_start=days[0],
        window_end=days[-1],
        start_times=(NINE,),
        meeting_count=1,
        answers=(
            AvailabilityAnswer("fay", days[0], Answer.NO),
            AvailabilityAnswer("fay", days[1], Answer.NO),
            AvailabilityAnswer("ann", days[2], Answer.NO),
        ),
    )
    result = solve(problem, time_limit_s=5)
    assert [m.date for m in plan_of(result, "g")] == [days[2]]
    assert result.answer_counts.no == 1
    assert any("ann answered 'no'" in line for line in result.explanation)


def test_a_members_no_can_be_made_hard():
    day = dt.date(2027, 3, 1)
    problem = SchedulingProblem(
        groups=(Group("g", ("ann",), "fay"),),
        window_start=day,
        window_end=day,
        start_times=(NINE,),
        meeting_count=1,
        member_no=NoRule.HARD,
        answers=(AvailabilityAnswer("ann", day, Answer.NO),),
    )
    result = solve(problem, time_limit_s=5)
    assert result.status == "infeasible"
    assert any("group g" in line and "'no' answers" in line for line in result.explanation)


def test_a_start_time_answer_overrides_a_whole_day_answer():
    day = dt.date(2027, 3, 1)
    problem = SchedulingProblem(
        groups=(Group("g", ("ann",), "fay"),),
        window_start=day,
        window_end=day,
        start_times=(NINE, ONE),
        meeting_count=1,
        answers=(
            AvailabilityAnswer("fay", day, Answer.NO),
            AvailabilityAnswer("fay", day, Answer.YES, start=ONE),
        ),
    )
    result = solve(problem, time_limit_s=5)
    assert plan_of(result, "g")[0].start == ONE


def test_an_unanswered_slot_counts_as_the_default_answer():
    days = [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]
    problem = SchedulingProblem(
        groups=(Group("g", ("ann",), "fay"),),
        window_start=days[0],
        window_end=days[-1],
        start_times=(NINE,),
        meeting_count=1,
        default_answer=Answer.NO,
        answers=(
            AvailabilityAnswer("fay", days[1], Answer.YES),
            AvailabilityAnswer("ann", days[1], Answer.YES),
        ),
    )
    result = solve(problem, time_limit_s=5)
    assert [m.date for m in plan_of(result, "g")] == [days[1]]


def test_a_facilitator_avoids_two_locations_on_one_day():
    days = [dt.date(2027, 3, 1), dt.date(2027, 3, 2)]
    problem = SchedulingProblem(
        groups=(
            Group("utrecht", ("ann",), "fay", location="Utrecht"),
            Group("breda", ("bob",), "fay", location="Breda"),
        ),
        window_start=days[0],
        window_end=days[-1],
        start_times=(NINE, ONE),
        meeting_count=1,
        rooms=(Room("u", 4, "Utrecht"), Room("b", 4, "Breda")),
        # a small nudge towards the same day that travel must outweigh
        answers=(AvailabilityAnswer("ann", days[1], Answer.IF_NEED_BE),),
        weights=Weights(if_need_be=1, travel=5),
    )
    result = solve(problem, time_limit_s=5)
    dates = {plan_of(result, g)[0].date for g in ("utrecht", "breda")}
    assert len(dates) == 2
    assert result.travel_days == 0
    assert not violations(problem, result)


def test_meeting_count_per_group_overrides_the_default():
    problem = SchedulingProblem(
        groups=(Group("short", ("ann",), meeting_count=2), Group("long", ("bob",))),
        window_start=dt.date(2027, 3, 1),
        window_end=dt.date(2027, 3, 31),
        start_times=(NINE,),
        meeting_count=4,
        min_gap_days=3,
    )
    result = solve(problem, time_limit_s=5)
    assert len(plan_of(result, "short")) == 2
    assert len(plan_of(result, "long")) == 4
    assert [m.index for m in plan_of(result, "long")] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"min_gap_days": 0}, "min_gap_days"),
        ({"max_gap_days": 3, "min_gap_days": 7}, "max_gap_days 3 is smaller"),
        ({"start_times": ()}, "start_times is empty"),
        ({"start_times": (dt.time(23, 0),)}, "midnight"),
        ({"window_end": dt.date(2027, 1, 1)}, "is after window_end"),
        ({"groups": (Group("g", ("a",)), Group("g", ("b",)))}, "appears twice"),
        ({"groups": (Group("g", ("a", "a")),)}, "a person appears twice"),
        ({"rooms": (Room("r", 0, "X"),)}, "capacity"),
    ],
)
def test_malformed_input_raises_a_one_line_input_error(change, message):
    base = {
        "groups": (Group("g", ("a",)),),
        "window_start": dt.date(2027, 3, 1),
        "window_end": dt.date(2027, 3, 31),
        "start_times": (NINE,),
    }
    with pytest.raises(SchedulingInputError, match=message) as error:
        solve(SchedulingProblem(**{**base, **change}), time_limit_s=2)
    assert "\n" not in str(error.value)


def test_new_meetings_keep_the_gap_from_the_dates_a_group_already_meets_on():
    fixed = (dt.date(2027, 3, 1), dt.date(2027, 4, 12))
    problem = SchedulingProblem(
        groups=(Group("g1", ("ann", "bob"), "fay", meeting_count=2, fixed_dates=fixed),),
        window_start=dt.date(2027, 2, 1),
        window_end=dt.date(2027, 5, 31),
        start_times=(NINE,),
        min_gap_days=21,
    )
    result = solve(problem, time_limit_s=10, seed=0)
    assert result.feasible, result.explanation
    for meeting in plan_of(result, "g1"):
        assert all(abs((meeting.date - day).days) >= 21 for day in fixed)


def test_new_meetings_never_overlap_times_the_groups_people_are_booked_elsewhere():
    day = dt.date(2027, 2, 2)
    problem = SchedulingProblem(
        groups=(Group("g1", ("ann",), "fay", meeting_count=1, busy=((day, NINE, dt.time(11)),)),),
        window_start=day,
        window_end=day,
        start_times=(NINE, ONE),
        weekdays=(1,),
        min_gap_days=1,
        # left alone, 09:00 would win: 13:00 is only "if need be"
        answers=(AvailabilityAnswer("ann", day, Answer.IF_NEED_BE, ONE),),
    )
    result = solve(problem, time_limit_s=5, seed=0)
    assert result.feasible, result.explanation
    assert [m.start for m in plan_of(result, "g1")] == [ONE]
