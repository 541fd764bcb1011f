"""Solving a ``GroupingProblem`` (people with attributes and hard rules)."""

from __future__ import annotations

import time

import numpy as np

from engine.grouping import _attr_search as ats
from engine.grouping import _cpsat
from engine.grouping._driver import run_chunks
from engine.grouping._encode import Encoded, encode, group_bounds, pair_matrices
from engine.grouping._exact import solve_exact
from engine.grouping._rng import new_state
from engine.grouping.feasibility import quick_problems, size_bound_problems, size_range_problem
from engine.grouping.model import (
    Explanation,
    GroupingProblem,
    GroupingResult,
    Progress,
    ProgressCallback,
)

EXACT_MAX_N = 12
GREEDY_TRIES = 8
SAMPLE_GROUPS = 24


class _State:
    """The arrays of one search, built around an assignment."""

    def __init__(self, enc: Encoded):
        n, m = enc.n, enc.m
        self.assign = -np.ones(n, dtype=np.int64)
        self.size = np.zeros(m, dtype=np.int64)
        self.members = -np.ones((m, max(1, int(enc.hi.max(initial=1)))), dtype=np.int64)
        self.mpos = np.zeros(n, dtype=np.int64)
        self.cat_cnt = np.zeros((m, max(1, enc.n_values)), dtype=np.int64)
        self.ord_cnt = np.zeros((m, enc.ord_rank.shape[1], enc.ord_val.shape[1]), dtype=np.int64)

    def load(self, enc: Encoded, assign: np.ndarray) -> None:
        ats.rebuild(
            assign,
            self.assign,
            self.size,
            self.members,
            self.mpos,
            enc.cat_codes,
            self.cat_cnt,
            enc.ord_rank,
            self.ord_cnt,
        )


def objective_of(enc: Encoded, assign: np.ndarray) -> float:
    return float(
        ats.objective(
            assign,
            enc.m,
            enc.cat_codes,
            enc.cat_w,
            enc.cat_same,
            enc.ord_rank,
            enc.ord_val,
            enc.ord_pen,
            enc.p_ptr,
            enc.p_idx,
            enc.p_w,
        )
    )


def violations(enc: Encoded, assign: np.ndarray) -> list[str]:
    """Every hard rule the assignment breaks (empty for a valid answer)."""
    found = []
    sizes = np.bincount(assign, minlength=enc.m)
    for g in range(enc.m):
        if not enc.lo[g] <= sizes[g] <= enc.hi[g]:
            found.append(f"group {g} has {sizes[g]} members")
    for i, j in enc.cannot:
        if assign[i] == assign[j]:
            found.append(f"{enc.ids[i]} and {enc.ids[j]} share a group")
    for i in np.flatnonzero(enc.lock >= 0):
        if assign[i] != enc.lock[i]:
            found.append(f"{enc.ids[i]} is not in their locked group")
    for o in range(enc.ord_rank.shape[1]):
        if enc.ord_spread[o] < 0:
            continue
        for g in range(enc.m):
            ranks = enc.ord_rank[(assign == g) & (enc.ord_rank[:, o] >= 0), o]
            if ranks.size and (
                enc.ord_val[o, ranks.max()] - enc.ord_val[o, ranks.min()] > enc.ord_spread[o] + 1e-9
            ):
                found.append(f"group {g} exceeds the {enc.ord_names[o]} spread")
    return found


def balanced_sizes(lo: np.ndarray, hi: np.ndarray, n: int) -> np.ndarray:
    """Group sizes within bounds that add up to n and differ as little as possible."""
    sizes = lo.copy()
    remaining = n - int(sizes.sum())
    while remaining > 0:
        open_groups = np.flatnonzero(sizes < hi)
        smallest = open_groups[np.argsort(sizes[open_groups], kind="stable")]
        for g in smallest[:remaining]:
            sizes[g] += 1
        remaining = n - int(sizes.sum())
    return sizes


def _construct(enc: Encoded, state: _State, rng, gen: np.random.Generator) -> bool:
    """Greedy placements, alternating (when levels have a maximum spread) between level
    order into bands of neighbouring levels and an order by constraint degree."""
    n = enc.n
    degree = np.diff(enc.c_ptr)
    no_target = -np.ones(1, dtype=np.int64)
    spread_attrs = [o for o in range(enc.ord_rank.shape[1]) if enc.ord_spread[o] >= 0]
    target = balanced_sizes(enc.lo, enc.hi, n)
    for attempt in range(GREEDY_TRIES):
        if spread_attrs and attempt % 2 == 0:
            keys = [gen.random(n), -degree] + [enc.ord_rank[:, o] for o in spread_attrs]
            order, sizes = np.lexsort(keys), target
        else:
            order, sizes = np.lexsort((gen.random(n), -degree)), no_target
        state.assign[:] = -1
        state.size[:] = 0
        state.cat_cnt[:] = 0
        state.ord_cnt[:] = 0
        if ats.greedy(
            order.astype(np.int64),
            enc.lock,
            enc.lo,
            enc.hi,
            state.assign,
            state.size,
            state.members,
            state.mpos,
            enc.cat_codes,
            state.cat_cnt,
            enc.ord_rank,
            enc.ord_val,
            enc.ord_spread,
            state.ord_cnt,
            enc.c_ptr,
            enc.c_idx,
            rng,
            sizes,
        ):
            return True
    return False


def _result_groups(enc: Encoded, assign: np.ndarray) -> list[list[str]]:
    groups: list[list[str]] = [[] for _ in range(enc.m)]
    for i, g in enumerate(assign):
        groups[int(g)].append(enc.ids[i])
    return groups


def _unmet(enc: Encoded, assign: np.ndarray) -> list[tuple[str, str]]:
    return [(enc.ids[i], enc.ids[j]) for i, j in enc.wishes if assign[i] != assign[j]]


def solve_people(
    problem: GroupingProblem,
    *,
    time_limit: float,
    seed: int,
    max_iterations: int | None,
    progress: ProgressCallback | None,
) -> GroupingResult:
    started = time.perf_counter()
    n = len(problem.people)

    def infeasible(reasons: list[Explanation]) -> GroupingResult:
        return GroupingResult(False, 0.0, [], time.perf_counter() - started, reasons)

    bounds = group_bounds(problem, n)
    if bounds is None:
        low, high = problem.group_size  # type: ignore[misc]
        return infeasible([size_range_problem(n, int(low), int(high))])
    if not bounds:
        return infeasible([Explanation("group_count", "no_groups")])
    problems = size_bound_problems(n, bounds)
    if problems:
        return infeasible(problems)
    enc = encode(problem, bounds)
    problems = quick_problems(enc)
    if problems:
        return infeasible(problems)

    if n <= EXACT_MAX_N:
        scores, forbid = pair_matrices(enc)
        best, assign = solve_exact(scores, forbid, bounds, enc.lock)
        if best is None:
            _, _, reasons = _cpsat.check(enc, time_limit, seed)
            return infeasible(reasons or [_no_grouping()])
        return GroupingResult(
            True,
            objective_of(enc, assign),
            _result_groups(enc, assign),
            time.perf_counter() - started,
            proven_optimal=True,
            unmet_wishes=_unmet(enc, assign),
        )

    gen = np.random.default_rng(seed)
    rng = new_state(seed)
    state = _State(enc)
    if not _construct(enc, state, rng, gen):
        if not _cpsat.fits(enc):
            return infeasible([_no_grouping()])
        verdict, assign, reasons = _cpsat.check(enc, max(1.0, time_limit / 2), seed)
        if verdict == "infeasible":
            return infeasible(reasons)
        if verdict == "unknown":
            return infeasible([_no_grouping()])
        state.load(enc, assign)

    value = objective_of(enc, state.assign)
    values = np.array([value, value])
    best_assign = state.assign.copy()
    if progress is not None:
        progress(Progress(time.perf_counter() - started, 0, value))
    movable = enc.lock < 0
    order = np.arange(n, dtype=np.int64)
    counters = np.zeros(3, dtype=np.int64)
    scratch = np.zeros(max(enc.m, SAMPLE_GROUPS), dtype=np.int64)
    strength = max(2, min(20, n // 20))

    def run(k: int) -> None:
        ats.run_chunk(
            k,
            SAMPLE_GROUPS,
            strength,
            enc.lo,
            enc.hi,
            movable,
            order,
            state.assign,
            state.size,
            state.members,
            state.mpos,
            best_assign,
            enc.cat_codes,
            enc.cat_w,
            enc.cat_same,
            state.cat_cnt,
            enc.ord_rank,
            enc.ord_val,
            enc.ord_pen,
            enc.ord_spread,
            state.ord_cnt,
            enc.p_ptr,
            enc.p_idx,
            enc.p_w,
            enc.c_ptr,
            enc.c_idx,
            rng,
            values,
            counters,
            scratch,
        )

    iterations = run_chunks(
        run,
        lambda: float(max(values)),
        started=started,
        time_limit=time_limit,
        max_iterations=max_iterations,
        progress=progress,
    )
    final = best_assign
    if values[0] > values[1]:
        final = state.assign.copy()
    broken = violations(enc, final)
    if broken:  # a bug, never an answer: say so instead of returning a violating grouping
        raise RuntimeError("grouping search broke a hard rule: " + "; ".join(broken[:3]))
    return GroupingResult(
        True,
        objective_of(enc, final),
        _result_groups(enc, final),
        time.perf_counter() - started,
        iterations=iterations,
        unmet_wishes=_unmet(enc, final),
    )


def _no_grouping() -> Explanation:
    return Explanation("search", "not_found")
