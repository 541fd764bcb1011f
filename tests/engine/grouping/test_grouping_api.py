"""The library contract: plain data, repeatable per seed, progress, no Django."""

import itertools
import subprocess
import sys
import time

import numpy as np
import pytest

from engine.grouping import (
    CategoricalAttribute,
    GroupingProblem,
    InputError,
    MatrixProblem,
    OrdinalAttribute,
    Person,
    Wish,
    balancing_pair_cost,
    evaluate,
    solve,
    violations,
)
from engine.grouping.jsonio import problem_from_json
from engine.grouping.synthetic import organisation


def test_the_engine_never_imports_django():
    code = (
        "import sys, engine.grouping, engine.grouping.__main__, engine.grouping._people, "
        "engine.grouping._matrix, engine.grouping._cpsat, engine.grouping.synthetic\n"
        "assert 'django' not in sys.modules, 'django was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_same_seed_and_budget_give_the_same_groups():
    problem = organisation(150, seed=7)
    first = solve(problem, time_limit=60, seed=11, max_iterations=5000)
    again = solve(problem, time_limit=60, seed=11, max_iterations=5000)
    assert first.groups == again.groups
    assert first.objective == again.objective


def test_progress_is_reported_and_can_stop_the_search():
    seen = []

    def stop_at_once(progress):
        seen.append(progress)
        return False

    result = solve(organisation(150, seed=8), time_limit=60, progress=stop_at_once)
    assert result.feasible
    assert seen and seen[0].best_objective <= result.objective
    assert result.elapsed_s < 60


def test_the_engine_picks_a_group_count_in_the_middle_of_the_range():
    problem = GroupingProblem([Person(f"p{k}") for k in range(40)], group_size=(4, 6))
    result = solve(problem, time_limit=5, max_iterations=100)
    assert len(result.groups) == 8


def test_unmet_wishes_are_listed():
    staff = [Person(f"p{k}") for k in range(4)]
    problem = GroupingProblem(
        staff,
        group_bounds=[(2, 2), (2, 2)],
        wishes=[Wish("p0", "p1"), Wish("p0", "p2", weight=0.5)],
    )
    result = solve(problem)
    assert result.proven_optimal
    assert result.unmet_wishes == [("p0", "p2")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"people": [{"id": "a"}, {"id": "a"}], "groups": {"size": [1, 2]}}, "more than once"),
        ({"people": [{"id": "a"}], "groups": {"size": [1, 2]}, "locks": {"b": 0}}, "unknown"),
        ({"people": [], "groups": {}}, "size"),
        ({"people": [{"id": "a", "age": 3}], "groups": {"size": [1, 2]}}, "unknown field"),
    ],
)
def test_malformed_input_is_refused_with_a_reason(data, message):
    with pytest.raises(InputError, match=message):
        solve(problem_from_json(data))


def test_matrix_problems_are_repeatable_and_answer_without_search():
    gen = np.random.default_rng(0)
    scores = gen.integers(0, 100, size=(30, 30)).astype(float)
    problem = MatrixProblem(np.triu(scores, 1) + np.triu(scores, 1).T, [(8, 12)] * 3)
    first = solve(problem, time_limit=60, seed=5, max_iterations=2000)
    again = solve(problem, time_limit=60, seed=5, max_iterations=2000)
    assert first.groups == again.groups
    unsearched = solve(problem, time_limit=60, seed=5, max_iterations=0)
    assert unsearched.feasible
    assert violations(problem, unsearched.groups) == []
    assert unsearched.objective <= first.objective


def test_the_balancing_pair_cost_is_the_average_reward_of_a_pair():
    staff = [
        Person(
            f"p{k}",
            {"dep": None if k % 5 == 0 else f"d{k % 3}", "site": f"s{k % 2}", "level": k % 4 or ""},
        )
        for k in range(13)
    ]
    problem = GroupingProblem(
        staff,
        categorical=[
            CategoricalAttribute("dep", weight=3.0),
            CategoricalAttribute("site", weight=1.0, prefer="same"),
        ],
        ordinal=[OrdinalAttribute("level", penalty_per_step=0.5)],
        group_size=(2, 13),
    )
    rewards = [evaluate(problem, [[a.id, b.id]]) for a, b in itertools.combinations(staff, 2)]
    assert balancing_pair_cost(problem) == pytest.approx(sum(rewards) / len(rewards))
    assert sum(rewards) > 0
    only_levels = GroupingProblem(staff, ordinal=problem.ordinal, group_size=(2, 13))
    assert balancing_pair_cost(only_levels) == 0.0  # a pure penalty needs no balancing


def test_a_pair_cost_keeps_group_sizes_balanced():
    staff = [Person(f"p{k}", {"dep": f"d{k % 6}"}) for k in range(36)]
    problem = GroupingProblem(
        staff,
        categorical=[CategoricalAttribute("dep")],
        group_size=(4, 8),
        group_count=6,
        pair_cost=1.0,
    )
    result = solve(problem, time_limit=60, seed=1, max_iterations=5000)
    assert [len(g) for g in result.groups] == [6] * 6


def test_compiling_the_search_never_counts_against_the_time_limit(monkeypatch):
    import engine.grouping

    compiled = []

    def slow_first_compile():  # what a fresh install's first solve used to spend
        if not compiled:
            time.sleep(1.5)
            compiled.append(True)

    monkeypatch.setattr(engine.grouping, "warm_up", slow_first_compile)
    staff = [Person(f"p{k}", {"dep": f"d{k % 4}"}) for k in range(24)]
    problem = GroupingProblem(staff, categorical=[CategoricalAttribute("dep")], group_size=(6, 8))
    result = solve(problem, time_limit=1.0, seed=1)
    assert compiled
    assert result.searched and result.iterations > 0


def test_an_answer_without_any_search_step_says_so():
    staff = [Person(f"p{k}", {"dep": f"d{k % 4}"}) for k in range(24)]
    problem = GroupingProblem(staff, categorical=[CategoricalAttribute("dep")], group_size=(6, 8))
    unsearched = solve(problem, time_limit=10, seed=1, max_iterations=0)
    assert unsearched.feasible and not unsearched.searched
    assert solve(problem, time_limit=10, seed=1, max_iterations=50).searched
