"""Group composition for intervision: the Maximally Diverse Grouping Problem with hard rules.

Call :func:`solve` with a :class:`GroupingProblem` (people, attributes, wishes, history,
hard rules) or a :class:`MatrixProblem` (an explicit score matrix, as in MDGPLIB). The
answer is a :class:`GroupingResult`; when the hard rules cannot all hold it has
``feasible=False`` and an ``explanation`` instead of groups. No Django here.
"""

from __future__ import annotations

import threading
import time

from engine.grouping.mdgplib import InputError, parse_mdgplib, read_mdgplib
from engine.grouping.model import (
    CannotLink,
    CategoricalAttribute,
    Explanation,
    GroupingProblem,
    GroupingResult,
    MatrixProblem,
    OrdinalAttribute,
    PastPair,
    Person,
    Progress,
    ProgressCallback,
    Wish,
)

__all__ = [
    "CannotLink",
    "CategoricalAttribute",
    "Explanation",
    "GroupingProblem",
    "GroupingResult",
    "InputError",
    "MatrixProblem",
    "OrdinalAttribute",
    "PastPair",
    "Person",
    "Progress",
    "ProgressCallback",
    "Wish",
    "balancing_pair_cost",
    "evaluate",
    "parse_mdgplib",
    "read_mdgplib",
    "solve",
    "violations",
    "warm_up",
]

_warm = threading.Lock()
_warmed = False


def warm_up() -> None:
    """Compile every numba kernel of the search now (once per process; numba caches the
    machine code on disk, so later processes mostly load it).

    :func:`solve` calls it before it starts its clock, so compiling never eats into a
    time limit; a worker calls it at start-up so the first solve is as fast as any.
    """
    global _warmed
    with _warm:
        if _warmed:
            return
        import numpy as np

        from engine.grouping._matrix import solve_matrix
        from engine.grouping._people import solve_people

        for size in (8, 16):  # the exact search and the local search
            people = [
                Person(f"p{k}", {"dep": f"d{k % 3}", "level": k % 3}, f"p{k - 1}" if k else None)
                for k in range(size)
            ]
            problem = GroupingProblem(
                people,
                categorical=[CategoricalAttribute("dep")],
                ordinal=[OrdinalAttribute("level", 0.5, max_spread=2)],
                group_size=(4, 4),
                wishes=[Wish("p0", "p2")],
                history=[PastPair("p0", "p3")],
                locks={"p0": 0},
            )
            solve_people(problem, time_limit=60, seed=0, max_iterations=8, progress=None)
            scores = np.add.outer(np.arange(size), np.arange(size)) % 5.0
            np.fill_diagonal(scores, 0.0)
            matrix = MatrixProblem(scores, [(4, 4)] * (size // 4))
            solve_matrix(matrix, time_limit=60, seed=0, max_iterations=8, progress=None)
        _warmed = True


def solve(
    problem: GroupingProblem | MatrixProblem,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    max_iterations: int | None = None,
    progress: ProgressCallback | None = None,
) -> GroupingResult:
    """Compose groups.

    The search stops at ``time_limit`` seconds or after ``max_iterations`` search steps,
    whichever comes first; with the same seed and an iteration budget that is reached
    before the time limit, the answer is the same on every run. ``progress`` is called
    with a :class:`Progress` whenever the best objective improves; returning ``False``
    from it stops the search. Inputs with at most 12 people are solved to proven
    optimality. Raises :class:`InputError` for malformed input (unknown ids, duplicate
    ids, non-numeric levels, ...). The clock starts after :func:`warm_up`.
    """
    warm_up()
    started = time.perf_counter()
    if isinstance(problem, MatrixProblem):
        from engine.grouping._matrix import solve_matrix

        result = solve_matrix(
            problem,
            time_limit=time_limit,
            seed=seed,
            max_iterations=max_iterations,
            progress=progress,
        )
    elif isinstance(problem, GroupingProblem):
        from engine.grouping._people import solve_people

        result = solve_people(
            problem,
            time_limit=time_limit,
            seed=seed,
            max_iterations=max_iterations,
            progress=progress,
        )
    else:
        raise InputError("solve() takes a GroupingProblem or a MatrixProblem")
    result.elapsed_s = time.perf_counter() - started
    return result


def evaluate(problem: GroupingProblem | MatrixProblem, groups: list[list]) -> float:
    """The objective of given groups (ids as in the result), recomputed from scratch."""
    from engine.grouping._evaluate import evaluate_groups

    return evaluate_groups(problem, groups)


def balancing_pair_cost(problem: GroupingProblem) -> float:
    """A ``pair_cost`` that keeps group sizes balanced: the average reward of a pair."""
    from engine.grouping._evaluate import average_pair_reward

    return average_pair_reward(problem)


def violations(problem: GroupingProblem | MatrixProblem, groups: list[list]) -> list[Explanation]:
    """Every hard rule that given groups break, as reasons; empty when all of them hold."""
    from engine.grouping._evaluate import group_violations

    return group_violations(problem, groups)
