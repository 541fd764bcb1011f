"""Every explanation is also a structured reason: a rule code, the ids, and right numbers."""

from __future__ import annotations

import datetime as dt

from engine.scheduling import (
    AvailabilityAnswer,
    Group,
    ReasonCode,
    Room,
    SchedulingProblem,
    result_to_json,
    solve,
)

NINE = dt.time(9, 0)


def problem(**overrides) -> SchedulingProblem:
    fields = {
        "groups": (Group("noord", ("ann", "bob"), "fay", meeting_count=12),),
        "window_start": dt.date(2027, 2, 1),
        "window_end": dt.date(2027, 11, 30),
        "start_times": (NINE,),
        "min_gap_days": 28,
        "weekdays": (0, 1, 2, 3),
    }
    fields.update(overrides)
    return SchedulingProblem(**fields)


def only_reason(p: SchedulingProblem):
    result = solve(p, time_limit_s=10, seed=1)
    assert not result.feasible
    (reason,) = result.reasons
    return reason


def test_a_spacing_that_does_not_fit_carries_the_asked_count_and_a_gap_that_would_fit():
    reason = only_reason(problem())
    assert reason.code == ReasonCode.MIN_GAP_DOES_NOT_FIT
    assert reason.group_id == "noord"
    params = reason.params
    assert params["meeting_count"] == 12
    assert params["min_gap_days"] == 28
    assert params["window_start"] == dt.date(2027, 2, 1)
    assert params["window_end"] == dt.date(2027, 11, 30)
    fitting, gap = params["meetings_that_fit"], params["min_gap_that_fits"]
    assert 0 < fitting < 12 and 0 < gap < 28
    # The numbers are true: the suggested gap plans all 12, one day more does not,
    # and the count that fits at 28 days does fit.
    assert solve(problem(min_gap_days=gap), time_limit_s=10).feasible
    assert not solve(problem(min_gap_days=gap + 1), time_limit_s=10).feasible
    single = Group("noord", ("ann", "bob"), "fay", meeting_count=fitting)
    assert solve(problem(groups=(single,)), time_limit_s=10).feasible


def test_too_few_dates_counts_the_usable_ones():
    reason = only_reason(problem(window_end=dt.date(2027, 2, 10), min_gap_days=1, weekdays=(0,)))
    assert reason.code == ReasonCode.TOO_FEW_DATES
    assert reason.params["usable_dates"] == 2  # Mondays 1 and 8 February
    assert reason.params["meeting_count"] == 12


def test_a_facilitator_in_too_many_groups_is_named_as_the_person_involved():
    groups = tuple(Group(f"g{k}", (f"m{k}",), "fay", meeting_count=3) for k in range(1, 4))
    reason = only_reason(
        problem(
            groups=groups,
            window_end=dt.date(2027, 2, 28),
            min_gap_days=1,
            weekdays=(0,),
        )
    )
    assert reason.code == ReasonCode.PERSON_OVERBOOKED
    assert reason.person_ids == ("fay",) and reason.facilitator_id == "fay"
    assert set(reason.group_ids) == {"g1", "g2", "g3"}
    assert reason.params["meetings_needed"] == 9
    assert reason.params["slots_available"] == 4


def test_a_room_too_small_names_group_location_and_sizes():
    groups = (Group("g1", ("a", "b", "c"), "fay", location="Utrecht", meeting_count=2),)
    reason = only_reason(
        problem(groups=groups, rooms=(Room("kamer", 2, "Utrecht"),), min_gap_days=7)
    )
    assert reason.code == ReasonCode.ROOM_TOO_SMALL
    assert reason.location == "Utrecht" and reason.room_ids == ("kamer",)
    assert reason.params == {"size": 4, "largest": 2}


def test_a_plan_with_a_no_names_the_member_and_the_date_and_json_keeps_it_plain():
    groups = (Group("g1", ("ann",), None, meeting_count=1),)
    no = [
        AvailabilityAnswer("ann", dt.date(2027, 2, 1) + dt.timedelta(days=d), "no")
        for d in range(3)
    ]
    result = solve(
        problem(groups=groups, window_end=dt.date(2027, 2, 3), min_gap_days=1, answers=no),
        time_limit_s=5,
    )
    assert result.feasible
    (reason,) = result.reasons
    assert reason.code == ReasonCode.MEMBER_ANSWERED_NO
    assert reason.person_ids == ("ann",) and reason.group_id == "g1"
    (as_json,) = result_to_json(result)["reasons"]
    assert as_json["code"] == "member_answered_no"
    assert as_json["params"]["date"].startswith("2027-02-0")
    assert as_json["params"]["start"] == "09:00"
