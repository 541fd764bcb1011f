"""Solving a ``MatrixProblem`` (the MDGPLIB form): exact for n <= 12, else memetic search."""

from __future__ import annotations

import time

import numpy as np

from engine.grouping import _matrix_search as ms
from engine.grouping._driver import run_chunks
from engine.grouping._exact import solve_exact
from engine.grouping._rng import new_state
from engine.grouping.feasibility import size_bound_problems
from engine.grouping.mdgplib import InputError
from engine.grouping.model import GroupingResult, MatrixProblem, ProgressCallback

EXACT_MAX_N = 12


def random_sizes(lo: np.ndarray, hi: np.ndarray, n: int, gen: np.random.Generator) -> np.ndarray:
    """Random group sizes within bounds that add up to n (bounds must allow it)."""
    sizes = lo.copy()
    remaining = n - int(sizes.sum())
    while remaining > 0:
        open_groups = np.flatnonzero(sizes < hi)
        g = open_groups[gen.integers(open_groups.size)]
        room = int(hi[g] - sizes[g])
        add = min(room, remaining, 1 + int(gen.integers(max(1, remaining // open_groups.size))))
        sizes[g] += add
        remaining -= add
    return sizes


def random_assignment(
    lo: np.ndarray, hi: np.ndarray, n: int, gen: np.random.Generator
) -> np.ndarray:
    sizes = random_sizes(lo, hi, n, gen)
    perm = gen.permutation(n)
    assign = np.empty(n, dtype=np.int64)
    assign[perm] = np.repeat(np.arange(lo.size), sizes)
    return assign


def groups_from_assignment(assign: np.ndarray, m: int, ids) -> list[list]:
    groups: list[list] = [[] for _ in range(m)]
    for i, g in enumerate(assign):
        groups[int(g)].append(ids[i] if ids is not None else i)
    return groups


def check_matrix_problem(problem: MatrixProblem) -> np.ndarray:
    scores = np.asarray(problem.scores, dtype=np.float64)
    if scores.ndim != 2 or scores.shape[0] != scores.shape[1]:
        raise InputError("the score matrix must be square")
    if not np.allclose(scores, scores.T):
        raise InputError("the score matrix must be symmetric")
    if not np.all(np.isfinite(scores)):
        raise InputError("the score matrix holds a value that is not a finite number")
    if len(problem.bounds) == 0:
        raise InputError("at least one group is needed")
    if problem.ids is not None and len(problem.ids) != scores.shape[0]:
        raise InputError("ids must have one entry per row of the score matrix")
    return scores


def solve_matrix(
    problem: MatrixProblem,
    *,
    time_limit: float,
    seed: int,
    max_iterations: int | None,
    progress: ProgressCallback | None,
) -> GroupingResult:
    started = time.perf_counter()
    scores = check_matrix_problem(problem)
    n = scores.shape[0]
    np.fill_diagonal(scores, 0.0)
    lo = np.array([b[0] for b in problem.bounds], dtype=np.int64)
    hi = np.array([b[1] for b in problem.bounds], dtype=np.int64)
    m = lo.size
    ids = list(problem.ids) if problem.ids is not None else None
    problems = size_bound_problems(n, [tuple(map(int, b)) for b in problem.bounds])
    if problems:
        return GroupingResult(False, 0.0, [], time.perf_counter() - started, problems)

    if n <= EXACT_MAX_N:
        best, assign = solve_exact(scores, np.zeros((n, n), dtype=bool), problem.bounds, [-1] * n)
        return GroupingResult(
            True,
            best,
            groups_from_assignment(assign, m, ids),
            time.perf_counter() - started,
            proven_optimal=True,
        )

    gen = np.random.default_rng(seed)
    weak_min, weak_max, patience, strong = search_parameters(n, m)
    movable = np.ones(n, dtype=np.bool_)
    population: list[_Run] = []
    child: _Run | None = _Run(
        scores, lo, hi, movable, random_assignment(lo, hi, n, gen), int(gen.integers(2**62))
    )
    used = 0  # iterations spent on the run being built

    def run(k: int) -> None:
        """A memetic search: a small population of iterated local searches; each new
        member starts from a crossover of two members (whole groups inherited, so good
        size structures survive) and replaces the worst one when it ends up better."""
        nonlocal child, used
        while k > 0:
            if child is None:
                if len(population) < POPULATION:
                    start = random_assignment(lo, hi, n, gen)
                else:
                    first, second = gen.choice(len(population), size=2, replace=False)
                    start = crossover(
                        population[first].best_assign,
                        population[second].best_assign,
                        scores,
                        lo,
                        hi,
                        gen,
                    )
                child = _Run(scores, lo, hi, movable, start, int(gen.integers(2**62)))
                used = 0
            take = min(k, GENERATION - used)
            child.advance(take, weak_min, weak_max, patience, strong)
            used += take
            k -= take
            if used == GENERATION:
                if len(population) < POPULATION:
                    population.append(child)
                else:
                    worst = min(range(POPULATION), key=lambda r: population[r].values[2])
                    value = child.values[2]
                    duplicate = any(abs(r.values[2] - value) < 1e-6 for r in population)
                    if value > population[worst].values[2] and not duplicate:
                        population[worst] = child
                child = None

    def best_value() -> float:
        runs = population + ([child] if child is not None else [])
        return max(float(r.values[2]) for r in runs)

    iterations = run_chunks(
        run,
        best_value,
        started=started,
        time_limit=time_limit,
        max_iterations=max_iterations,
        progress=progress,
    )
    winner = max(population + ([child] if child else []), key=lambda r: r.values[2])
    objective = float(ms.objective(scores, winner.best_assign))
    return GroupingResult(
        True,
        objective,
        groups_from_assignment(winner.best_assign, m, ids),
        time.perf_counter() - started,
        iterations=iterations,
    )


WALK = 0.005
POPULATION = 6
GENERATION = 800


def crossover(first, second, scores, lo, hi, gen) -> np.ndarray:
    """Group-wise crossover: group g of the child comes from group g of the parent whose
    group g holds more score per member (the other parent with probability 1/4), minus
    items already placed; the rest fill groups below their minimum, then any with room;
    groups still below their minimum then take people from the groups with most to spare."""
    n, m = first.size, lo.size
    child = -np.ones(n, dtype=np.int64)
    size = np.zeros(m, dtype=np.int64)
    for g in gen.permutation(m):
        options = []
        for parent in (first, second):
            members = np.flatnonzero(parent == g)
            total = scores[np.ix_(members, members)].sum() / 2.0
            options.append((total / max(1, members.size), members))
        options.sort(key=lambda o: -o[0])
        members = options[1 if gen.random() < 0.25 else 0][1]
        members = members[child[members] < 0][: hi[g]]
        child[members] = g
        size[g] = members.size
    rest = np.flatnonzero(child < 0)
    gen.shuffle(rest)
    for i in rest:
        short = np.flatnonzero(size < lo)
        open_groups = short if short.size else np.flatnonzero(size < hi)
        g = open_groups[gen.integers(open_groups.size)]
        child[i] = g
        size[g] += 1
    # inherited groups may leave too few people for the others' minimum: move some over
    for g in np.flatnonzero(size < lo):
        while size[g] < lo[g]:
            donor = int(np.argmax(size - lo))
            movers = np.flatnonzero(child == donor)
            i = movers[gen.integers(movers.size)]
            child[i] = g
            size[donor] -= 1
            size[g] += 1
    return child


class _Run:
    """One iterated local search: its current, phase-best and best solutions."""

    def __init__(self, scores, lo, hi, movable, assign, seed):
        m = lo.size
        self.problem = (scores, lo, hi, movable)
        self.rng = new_state(seed)
        self.assign = assign
        self.size = np.bincount(assign, minlength=m).astype(np.int64)
        self.gain = ms.build_gain(scores, assign, m)
        self.dirty = np.ones(m, dtype=np.bool_)
        value = ms.objective(scores, assign)
        value += ms.descent(
            scores, self.gain, assign, self.size, lo, hi, movable, self.rng, self.dirty
        )
        self.values = np.array([value, value, value])
        self.phase = (assign.copy(), self.size.copy(), self.gain.copy())
        self.best_assign = assign.copy()
        self.counters = np.zeros(4, dtype=np.int64)

    def advance(self, k, weak_min, weak_max, patience, strong):
        scores, lo, hi, movable = self.problem
        ms.run_chunk(
            scores,
            lo,
            hi,
            movable,
            self.assign,
            self.size,
            self.gain,
            *self.phase,
            self.best_assign,
            self.values,
            self.counters,
            self.rng,
            k,
            weak_min,
            weak_max,
            patience,
            strong,
            self.dirty,
            WALK,
        )


def search_parameters(n: int, m: int) -> tuple[int, int, int, int]:
    """(weak perturbation min, max, rounds without improvement, strong perturbation);
    larger instances need stronger weak perturbations and longer phases (tuned on
    MDGPLIB n=120 and n=240)."""
    if n <= 150:
        return 1, 3, 40, max(6, n // 4)
    return 2, 5, 100, max(6, n // 4)
