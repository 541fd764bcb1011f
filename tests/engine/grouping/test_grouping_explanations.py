"""When the hard rules cannot all hold, the coordinator learns which rule and who."""

from engine.grouping import (
    CannotLink,
    CategoricalAttribute,
    GroupingProblem,
    OrdinalAttribute,
    Person,
    solve,
)


def people(n, levels=None):
    return [
        Person(f"p{k}", {"dep": f"d{k % 3}", "level": (levels[k] if levels else 2)})
        for k in range(n)
    ]


def rules(result):
    return {e.rule for e in result.explanation}


def test_group_sizes_that_cannot_add_up_are_explained():
    result = solve(GroupingProblem(people(11), group_size=(6, 10)))
    assert not result.feasible
    assert rules(result) == {"size_bounds"}
    assert "11 people" in result.explanation[0].message


def test_per_group_bounds_that_are_too_small_are_explained():
    result = solve(GroupingProblem(people(20), group_bounds=[(4, 6), (4, 6), (4, 6)]))
    assert rules(result) == {"size_bounds"}
    assert "2 more places" in result.explanation[0].suggestion


def test_people_who_must_all_be_apart_need_enough_groups():
    links = [CannotLink(a, b, "not_with") for a, b in [("p0", "p1"), ("p0", "p2"), ("p1", "p2")]]
    result = solve(GroupingProblem(people(14), group_size=(6, 8), cannot_link=links))
    assert not result.feasible
    assert rules(result) == {"cannot_link"}
    assert set(result.explanation[0].people) == {"p0", "p1", "p2"}


def test_a_manager_and_report_locked_together_are_explained():
    staff = people(16)
    staff[1] = Person("p1", staff[1].attributes, manager="p0")
    result = solve(
        GroupingProblem(staff, group_size=(4, 8), group_count=2, locks={"p0": 1, "p1": 1})
    )
    assert not result.feasible
    assert rules(result) == {"lock"}
    assert "manager" in result.explanation[0].message
    assert set(result.explanation[0].people) == {"p0", "p1"}


def test_a_lock_to_a_missing_group_is_explained():
    result = solve(GroupingProblem(people(16), group_size=(6, 10), locks={"p3": 5}))
    assert rules(result) == {"lock"}
    assert result.explanation[0].people == ("p3",)


def test_a_level_spread_that_leaves_someone_alone_is_explained():
    levels = [1] * 15 + [9]
    result = solve(
        GroupingProblem(
            people(16, levels),
            ordinal=[OrdinalAttribute("level", 0.0, max_spread=2)],
            group_size=(4, 8),
        )
    )
    assert not result.feasible
    assert rules(result) == {"level_spread"}
    assert "p15" in result.explanation[0].people
    assert "8" in result.explanation[0].suggestion  # allow a difference of 8


def test_rules_that_only_clash_in_combination_are_found_by_the_solver():
    # p2 may be with neither p0 (locked to group 1) nor p1 (locked to group 2):
    # each rule alone is fine, together they leave p2 no group
    links = [CannotLink("p2", "p0", "not_with"), CannotLink("p2", "p1", "not_with")]
    result = solve(
        GroupingProblem(
            people(20),
            categorical=[CategoricalAttribute("dep")],
            group_bounds=[(10, 10), (10, 10)],
            cannot_link=links,
            locks={"p0": 0, "p1": 1},
        ),
        time_limit=10,
    )
    assert not result.feasible
    mentioned = {p for e in result.explanation for p in e.people}
    assert {"p0", "p1", "p2"} <= mentioned
    assert {"cannot_link", "lock"} <= rules(result)


def test_a_size_range_that_fits_no_count_names_the_nearest_ranges_that_do():
    result = solve(GroupingProblem(people(31), group_size=(8, 8)))
    (reason,) = result.explanation
    assert (reason.rule, reason.code) == ("size_bounds", "size_range")
    # 31 = 8+8+8+7 (groups of 7-8); groups of 8-9 or 8-10 cannot hold 31, 8-11 can (3 groups)
    assert reason.params == {
        "people": 31,
        "min": 8,
        "max": 8,
        "smaller_minimum": 7,
        "larger_maximum": 11,
    }
    assert reason.suggestion == "make the group size range 7-8 or 8-11"


def test_too_few_people_for_the_asked_groups_says_what_would_fit():
    result = solve(GroupingProblem(people(20), group_size=(6, 8), group_count=4))
    (reason,) = result.explanation
    assert reason.code == "too_few_people"
    assert reason.params["needed"] == 24
    assert reason.params["minimum_that_fits"] == 5  # 4 groups of at least 5
    assert reason.params["groups_that_fit"] == 3  # or 3 groups of at least 6


def test_reasons_are_data_with_the_people_and_the_group_not_sentences():
    staff = people(16)
    staff[1] = Person("p1", staff[1].attributes, manager="p0")
    result = solve(
        GroupingProblem(staff, group_size=(4, 8), group_count=2, locks={"p0": 1, "p1": 1})
    )
    (reason,) = result.explanation
    assert (reason.code, reason.group, reason.params) == ("locked_apart", 1, {"reason": "manager"})
    assert set(reason.people) == {"p0", "p1"}
    assert reason.as_dict()["code"] == "locked_apart"
