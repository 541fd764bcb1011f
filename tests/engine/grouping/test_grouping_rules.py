"""Every answer keeps every hard rule, and its objective is what it claims."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.grouping import evaluate, read_mdgplib, solve, violations
from engine.grouping._matrix import crossover, random_assignment
from engine.grouping.synthetic import organisation

from .strategies import people_problems
from .test_grouping_exact import MDGPLIB


@settings(max_examples=40, deadline=None)
@given(people_problems(min_people=13, max_people=40, max_groups=6))
def test_answers_to_generated_inputs_keep_every_hard_rule(problem):
    result = solve(problem, time_limit=30, seed=3, max_iterations=3000)
    if result.feasible:
        assert violations(problem, result.groups) == []
        assert evaluate(problem, result.groups) == pytest.approx(result.objective)
    else:
        assert result.groups == []
        assert result.explanation and all(e.message and e.rule for e in result.explanation)


def test_an_organisation_with_all_rules_gets_valid_groups():
    problem = organisation(300, group_size=(6, 10), seed=4)
    result = solve(problem, time_limit=30, seed=0, max_iterations=20_000)
    assert result.feasible
    assert violations(problem, result.groups) == []
    assert evaluate(problem, result.groups) == pytest.approx(result.objective)
    assert all(6 <= len(g) <= 10 for g in result.groups)


def test_search_improves_on_the_first_feasible_grouping():
    problem = organisation(200, seed=5)
    first = solve(problem, time_limit=30, seed=0, max_iterations=0)
    improved = solve(problem, time_limit=30, seed=0, max_iterations=20_000)
    assert improved.objective > first.objective


@pytest.mark.parametrize("name", ["RanReal_n030_ds_02", "Geo_n060_ss_03"])
def test_mdgplib_answer_respects_bounds_and_reports_its_objective(name):
    problem = read_mdgplib(MDGPLIB / f"{name}.txt")
    result = solve(problem, time_limit=30, seed=0, max_iterations=200)
    assert violations(problem, result.groups) == []
    assert evaluate(problem, result.groups) == pytest.approx(result.objective)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_crossover_children_keep_every_group_within_its_bounds(data):
    m = data.draw(st.integers(2, 6))
    bounds = [
        (lo, data.draw(st.integers(max(lo, 1), lo + 6)))
        for lo in data.draw(st.lists(st.integers(0, 6), min_size=m, max_size=m))
    ]
    lo = np.array([b[0] for b in bounds])
    hi = np.array([b[1] for b in bounds])
    n = data.draw(st.integers(max(1, int(lo.sum())), int(hi.sum())))
    gen = np.random.default_rng(data.draw(st.integers(0, 1000)))
    first = random_assignment(lo, hi, n, gen)
    second = random_assignment(lo, hi, n, gen)
    scores = gen.random((n, n))
    child = crossover(first, second, scores + scores.T, lo, hi, gen)
    sizes = np.bincount(child, minlength=m)
    assert np.all(sizes >= lo) and np.all(sizes <= hi)


def test_broken_rules_come_back_as_reasons_naming_people_and_group():
    from engine.grouping import CannotLink, GroupingProblem, Person

    staff = [Person(f"p{k}", manager="p0" if k == 1 else None) for k in range(8)]
    problem = GroupingProblem(
        staff,
        group_size=(4, 4),
        cannot_link=[CannotLink("p2", "p3", "not_with")],
        locks={"p4": 1},
    )
    found = violations(problem, [["p0", "p1", "p2", "p3"], ["p4", "p5", "p6", "p7"]])
    together = sorted((v.params["reason"], v.people, v.group) for v in found)
    assert together == [("manager", ("p0", "p1"), 0), ("not_with", ("p2", "p3"), 0)]
    moved = violations(problem, [["p0", "p2", "p4", "p5"], ["p1", "p3", "p6", "p7"]])
    assert [(v.code, v.people, v.group) for v in moved] == [("not_in_locked_group", ("p4",), 1)]
