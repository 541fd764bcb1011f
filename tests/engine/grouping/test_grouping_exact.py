"""Inputs of at most 12 people are answered with the proven optimum."""

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.grouping import MatrixProblem, evaluate, read_mdgplib, solve, violations

from .strategies import people_problems

# A few MDGPLIB instances, copied into the repository (see data/README.md).
MDGPLIB = Path(__file__).parent / "data"


def brute_force(problem, n, m):
    """Best objective over every assignment that breaks no rule (None: none exists)."""
    ids = [p.id for p in problem.people] if hasattr(problem, "people") else list(range(n))
    best = None
    for labels in itertools.product(range(m), repeat=n):
        groups = [[ids[i] for i in range(n) if labels[i] == g] for g in range(m)]
        if violations(problem, groups):
            continue
        value = evaluate(problem, groups)
        if best is None or value > best:
            best = value
    return best


@st.composite
def matrix_problems(draw):
    n = draw(st.integers(2, 8))
    m = draw(st.integers(1, 3))
    values = draw(st.lists(st.integers(-5, 20), min_size=n * n, max_size=n * n))
    scores = np.array(values, dtype=float).reshape(n, n)
    scores = np.triu(scores, 1) + np.triu(scores, 1).T
    bounds = []
    for _ in range(m):
        lo = draw(st.integers(0, n // m))
        bounds.append((lo, draw(st.integers(max(lo, 1), n))))
    return MatrixProblem(scores=scores, bounds=bounds)


@settings(max_examples=40, deadline=None)
@given(matrix_problems())
def test_small_matrix_problem_matches_brute_force(problem):
    n, m = problem.scores.shape[0], len(problem.bounds)
    result = solve(problem, time_limit=5, seed=1)
    best = brute_force(problem, n, m)
    if best is None:
        assert not result.feasible
        assert result.explanation
    else:
        assert result.feasible and result.proven_optimal
        assert result.objective == pytest.approx(best)
        assert evaluate(problem, result.groups) == pytest.approx(result.objective)


@settings(max_examples=40, deadline=None)
@given(people_problems(max_people=7, max_groups=3))
def test_small_people_problem_matches_brute_force_with_all_rules(problem):
    m = problem.group_count if problem.group_bounds is None else len(problem.group_bounds)
    result = solve(problem, time_limit=5, seed=2)
    best = brute_force(problem, len(problem.people), m)
    if best is None:
        assert not result.feasible
        assert result.explanation and all(e.message for e in result.explanation)
    else:
        assert result.feasible, result.explanation
        assert violations(problem, result.groups) == []
        assert result.objective == pytest.approx(best)
        assert evaluate(problem, result.groups) == pytest.approx(result.objective)


@pytest.mark.parametrize(
    "name",
    ["RanReal_n010_ds_01", "RanInt_n010_ss_04", "Geo_n012_ds_07", "RanReal_n012_ss_10"],
)
def test_mdgplib_small_instances_reach_the_proven_optimum(name):
    best = {}
    for line in (MDGPLIB / "best-known.tsv").read_text().splitlines()[1:]:
        instance, value, _ = line.split("\t")
        best[instance] = float(value)
    result = solve(read_mdgplib(MDGPLIB / f"{name}.txt"), time_limit=1)
    assert result.proven_optimal
    assert result.objective == pytest.approx(best[name], abs=1e-3)
