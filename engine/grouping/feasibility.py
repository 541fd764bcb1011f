"""Checks that tell a coordinator why the hard rules cannot all hold."""

from __future__ import annotations

import numpy as np

from engine.grouping._encode import choose_group_count
from engine.grouping.model import Explanation


def apart_reason(enc, i: int, j: int) -> str:
    """Why two people must be apart: ``manager``, ``not_with`` or ``rule``."""
    return enc.cannot.get((min(i, j), max(i, j)), "rule")


def _uniform(bounds: list[tuple[int, int]]) -> tuple[int, int] | None:
    return bounds[0] if len(set(bounds)) == 1 else None


def size_range_problem(n: int, low: int, high: int) -> Explanation:
    """``n`` people fit no number of groups of ``low``-``high``: the nearest ranges that do."""
    smaller = next((lo for lo in range(low - 1, 0, -1) if choose_group_count(n, lo, high)), None)
    larger = next((hi for hi in range(high + 1, n + 1) if choose_group_count(n, low, hi)), None)
    return Explanation(
        "size_bounds",
        "size_range",
        {
            "people": n,
            "min": low,
            "max": high,
            "smaller_minimum": smaller,
            "larger_maximum": larger,
        },
    )


def size_bound_problems(n: int, bounds: list[tuple[int, int]]) -> list[Explanation]:
    problems = [
        Explanation("size_bounds", "invalid_bounds", {"min": lo, "max": hi}, group=g)
        for g, (lo, hi) in enumerate(bounds)
        if lo < 0 or hi < lo
    ]
    if problems:
        return problems
    m = len(bounds)
    low = sum(b[0] for b in bounds)
    high = sum(b[1] for b in bounds)
    same = _uniform(bounds)
    if low > n:
        problems.append(
            Explanation(
                "size_bounds",
                "too_few_people",
                {
                    "people": n,
                    "groups": m,
                    "needed": low,
                    "short": low - n,
                    "minimum_that_fits": n // m if same else None,
                    "groups_that_fit": n // same[0] if same and same[0] > 0 else None,
                },
            )
        )
    if high < n:
        problems.append(
            Explanation(
                "size_bounds",
                "too_many_people",
                {
                    "people": n,
                    "groups": m,
                    "capacity": high,
                    "extra": n - high,
                    "maximum_that_fits": -(-n // m) if same else None,
                    "groups_needed": -(-n // same[1]) if same and same[1] > 0 else None,
                },
            )
        )
    return problems


def lock_problems(enc) -> list[Explanation]:
    problems = []
    for i in np.flatnonzero(enc.lock >= 0):
        g = int(enc.lock[i])
        if g >= enc.m:
            problems.append(
                Explanation("lock", "lock_missing_group", {"groups": enc.m}, (enc.ids[i],), group=g)
            )
    if problems:
        return problems
    for g in range(enc.m):
        members = [int(i) for i in np.flatnonzero(enc.lock == g)]
        if len(members) > enc.hi[g]:
            problems.append(
                Explanation(
                    "lock",
                    "too_many_locked",
                    {
                        "locked": len(members),
                        "maximum": int(enc.hi[g]),
                        "release": len(members) - int(enc.hi[g]),
                    },
                    tuple(enc.ids[i] for i in members),
                    group=g,
                )
            )
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if (min(i, j), max(i, j)) in enc.cannot:
                    problems.append(
                        Explanation(
                            "lock",
                            "locked_apart",
                            {"reason": apart_reason(enc, i, j)},
                            (enc.ids[i], enc.ids[j]),
                            group=g,
                        )
                    )
        for o in range(enc.ord_rank.shape[1]):
            if enc.ord_spread[o] < 0:
                continue
            ranks = [(enc.ord_rank[i, o], i) for i in members if enc.ord_rank[i, o] >= 0]
            if len(ranks) < 2:
                continue
            (rlow, ilow), (rhigh, ihigh) = min(ranks), max(ranks)
            spread = float(enc.ord_val[o, rhigh] - enc.ord_val[o, rlow])
            if spread > enc.ord_spread[o] + 1e-9:
                problems.append(
                    Explanation(
                        "level_spread",
                        "locked_level_spread",
                        {
                            "attribute": enc.ord_names[o],
                            "difference": spread,
                            "maximum": float(enc.ord_spread[o]),
                        },
                        (enc.ids[ilow], enc.ids[ihigh]),
                        group=g,
                    )
                )
    return problems


def cannot_link_cliques(enc) -> list[Explanation]:
    """People who pairwise may not be together need a group each: more of them than groups
    is impossible. Finds such cliques greedily (exact for the small cliques seen in
    practice, where they come from 'not with' wishes and reporting lines)."""
    n = enc.n
    neighbours = [set(enc.c_idx[enc.c_ptr[i] : enc.c_ptr[i + 1]].tolist()) for i in range(n)]
    problems = []
    reported: set[frozenset[int]] = set()
    for i in range(n):
        if len(neighbours[i]) < enc.m:
            continue
        clique = [i]
        candidates = sorted(neighbours[i], key=lambda k: -len(neighbours[k]))
        for k in candidates:
            if all(k in neighbours[c] for c in clique):
                clique.append(k)
        key = frozenset(clique)
        if len(clique) > enc.m and key not in reported:
            reported.add(key)
            members = sorted(clique)
            problems.append(
                Explanation(
                    "cannot_link",
                    "apart_clique",
                    {
                        "groups": enc.m,
                        "pairs": [
                            [enc.ids[a], enc.ids[b], apart_reason(enc, a, b)]
                            for x, a in enumerate(members)
                            for b in members[x + 1 :]
                        ],
                    },
                    tuple(enc.ids[c] for c in members),
                )
            )
    if enc.m == 1 and enc.cannot and not problems:
        (i, j), reason = next(iter(enc.cannot.items()))
        problems.append(
            Explanation(
                "cannot_link", "apart_one_group", {"reason": reason}, (enc.ids[i], enc.ids[j])
            )
        )
    return problems


def _spread_partition_possible(values: list[float], spread: float, m: int, lo: int, hi: int):
    """Can sorted values be cut into m consecutive blocks of lo..hi (fewer when lo is 0)
    with each block's range within spread? (Consecutive blocks suffice: any valid
    grouping can be uncrossed into one.)"""
    n = len(values)
    reach = [0] * (n + 1)
    reach[0] = 1
    start = 0
    for end in range(1, n + 1):
        while values[end - 1] - values[start] > spread + 1e-9:
            start += 1
        bits = 0
        for size in range(max(lo, 1), hi + 1):
            begin = end - size
            if begin < start:
                break
            bits |= reach[begin]
        reach[end] = bits << 1
    if lo == 0:  # empty groups are allowed: at most m non-empty blocks will do
        return bool(reach[n] & ((1 << (m + 1)) - 1))
    return bool((reach[n] >> m) & 1)


def level_spread_problems(enc) -> list[Explanation]:
    """For equal size ranges: can the levels be grouped at all under the maximum difference?"""
    if len(set(zip(enc.lo.tolist(), enc.hi.tolist(), strict=True))) != 1:
        return []
    lo, hi = int(enc.lo[0]), int(enc.hi[0])
    problems = []
    for o in range(enc.ord_rank.shape[1]):
        spread = float(enc.ord_spread[o])
        if spread < 0:
            continue
        ranks = enc.ord_rank[:, o]
        known = ranks[ranks >= 0]
        if known.size < enc.n:
            continue  # people without a level can fill any group; no cheap verdict
        values = sorted(enc.ord_val[o, known].tolist())
        if _spread_partition_possible(values, spread, enc.m, lo, hi):
            continue
        needed = next(
            (
                float(s)
                for s in sorted({b - a for a in set(values) for b in set(values) if b > a})
                if s > spread and _spread_partition_possible(values, s, enc.m, lo, hi)
            ),
            None,
        )
        lonely = []
        for v in sorted(set(values)):
            near = max(
                sum(1 for x in values if start <= x <= start + spread)
                for start in {x for x in values if v - spread - 1e-9 <= x <= v}
            )
            if near < lo:
                lonely.append(v)
        problems.append(
            Explanation(
                "level_spread",
                "level_spread_split",
                {
                    "attribute": enc.ord_names[o],
                    "maximum": spread,
                    "people": enc.n,
                    "groups": enc.m,
                    "min": lo,
                    "max": hi,
                    "lonely_values": lonely,
                    "needed": needed,
                },
                tuple(enc.ids[i] for i in range(enc.n) if enc.ord_val[o, ranks[i]] in set(lonely)),
            )
        )
    return problems


def quick_problems(enc) -> list[Explanation]:
    return lock_problems(enc) or cannot_link_cliques(enc) or level_spread_problems(enc)
