"""Exact branch and bound for small inputs (n <= 12), with every hard rule.

Hard rules arrive as a symmetric ``forbid`` matrix (cannot-link pairs and pairs whose
level difference exceeds a maximum spread; a group respects a spread exactly when all
of its pairs do), a ``lock`` per item (-1 = free) and size bounds per group. Groups with
equal bounds and no locked member are interchangeable, so only the first empty one of
them is tried. The bound is the current value plus, per unplaced item, its best positive
gain to any group, plus the positive scores among unplaced items.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def branch_and_bound(scores, forbid, lo, hi, lock, group_class, order):
    """Return (best objective, assignment); the objective is -inf when no grouping exists."""
    n = scores.shape[0]
    m = lo.shape[0]
    suffix = np.zeros(n + 1)
    for d in range(n - 1, -1, -1):
        extra = 0.0
        for e in range(d + 1, n):
            s = scores[order[d], order[e]]
            if s > 0:
                extra += s
        suffix[d] = suffix[d + 1] + extra
    assign = -np.ones(n, dtype=np.int64)
    size = np.zeros(m, dtype=np.int64)
    gain = np.zeros((n, m))
    choice = -np.ones(n, dtype=np.int64)
    best = -np.inf
    best_assign = -np.ones(n, dtype=np.int64)
    current = 0.0
    d = 0
    while d >= 0:
        i = order[d]
        if choice[d] >= 0:
            g = choice[d]
            current -= gain[i, g]
            assign[i] = -1
            size[g] -= 1
            for k in range(n):
                gain[k, g] -= scores[k, i]
        g = choice[d] + 1
        found = False
        while g < m:
            ok = size[g] < hi[g] and (lock[i] < 0 or lock[i] == g)
            if ok and size[g] == 0 and group_class[g] >= 0:
                for h in range(g):
                    if group_class[h] == group_class[g] and size[h] == 0:
                        ok = False
                        break
            if ok:
                for k in range(n):
                    if assign[k] == g and forbid[i, k]:
                        ok = False
                        break
            if ok:
                need = 0
                for h in range(m):
                    deficit = lo[h] - size[h] - (1 if h == g else 0)
                    if deficit > 0:
                        need += deficit
                if need > n - d - 1:
                    ok = False
            if ok:
                bound = current + gain[i, g] + suffix[d + 1]
                for e in range(d + 1, n):
                    k = order[e]
                    top = 0.0
                    for h in range(m):
                        v = gain[k, h] + (scores[k, i] if h == g else 0.0)
                        if v > top:
                            top = v
                    bound += top
                if bound <= best + 1e-9:
                    ok = False
            if ok:
                found = True
                break
            g += 1
        if not found:
            choice[d] = -1
            d -= 1
            continue
        choice[d] = g
        current += gain[i, g]
        assign[i] = g
        size[g] += 1
        for k in range(n):
            gain[k, g] += scores[k, i]
        if d == n - 1:
            if current > best + 1e-9:
                best = current
                best_assign[:] = assign
        else:
            d += 1
            choice[d] = -1
    return best, best_assign


def solve_exact(scores, forbid, bounds, lock):
    """Optimum of a small instance; returns (objective, assignment) or (None, None)."""
    n = scores.shape[0]
    lo = np.array([b[0] for b in bounds], dtype=np.int64)
    hi = np.array([b[1] for b in bounds], dtype=np.int64)
    lock = np.asarray(lock, dtype=np.int64)
    group_class = np.full(len(bounds), -1, dtype=np.int64)
    classes: dict[tuple[int, int], int] = {}
    locked_groups = set(int(g) for g in lock if g >= 0)
    for g, bound in enumerate(bounds):
        if g not in locked_groups:
            group_class[g] = classes.setdefault((int(bound[0]), int(bound[1])), len(classes))
    # place locked and heavily constrained items first: they prune the most
    degree = forbid.sum(axis=1)
    order = np.array(
        sorted(range(n), key=lambda i: (lock[i] < 0, -int(degree[i]), i)), dtype=np.int64
    )
    best, assign = branch_and_bound(
        np.ascontiguousarray(scores, dtype=np.float64),
        np.ascontiguousarray(forbid, dtype=np.bool_),
        lo,
        hi,
        lock,
        group_class,
        order,
    )
    if not np.isfinite(best):
        return None, None
    return float(best), assign
