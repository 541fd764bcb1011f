"""Checks that tell a coordinator why the hard rules cannot all hold."""

from __future__ import annotations

import numpy as np

from engine.grouping.model import Explanation


def size_bound_problems(n: int, bounds: list[tuple[int, int]]) -> list[Explanation]:
    problems = []
    for g, (lo, hi) in enumerate(bounds):
        if lo < 0 or hi < lo:
            problems.append(
                Explanation(
                    "size_bounds",
                    f"group {g + 1} has size bounds {lo}-{hi}, which no group can meet",
                    suggestion="give every group a minimum of at least 0 and a maximum at "
                    "least as large as its minimum",
                )
            )
    if problems:
        return problems
    low = sum(b[0] for b in bounds)
    high = sum(b[1] for b in bounds)
    if low > n:
        problems.append(
            Explanation(
                "size_bounds",
                f"the {len(bounds)} groups need at least {low} people together, "
                f"but there are only {n}",
                suggestion=f"lower the minimum group size or use fewer groups "
                f"(at most {low - n} fewer places are needed)",
            )
        )
    if high < n:
        problems.append(
            Explanation(
                "size_bounds",
                f"the {len(bounds)} groups hold at most {high} people together, but there are {n}",
                suggestion="raise the maximum group size or add groups "
                f"({n - high} more places are needed)",
            )
        )
    return problems


def _name(enc, i: int) -> str:
    return enc.ids[i]


def describe_cannot_link(enc, i: int, j: int) -> str:
    reason = enc.cannot.get((min(i, j), max(i, j)), "rule")
    a, b = _name(enc, i), _name(enc, j)
    if reason == "manager":
        return f"{a} and {b} are manager and direct report"
    if reason == "not_with":
        return f"{a} and {b} must not be together (a 'not with' wish)"
    return f"{a} and {b} must not be together"


def lock_problems(enc) -> list[Explanation]:
    problems = []
    for i in np.flatnonzero(enc.lock >= 0):
        g = int(enc.lock[i])
        if g >= enc.m:
            problems.append(
                Explanation(
                    "lock",
                    f"{_name(enc, i)} is locked to group {g + 1}, but there are only "
                    f"{enc.m} groups",
                    (_name(enc, i),),
                    "unlock this person or lock them to an existing group",
                )
            )
    if problems:
        return problems
    for g in range(enc.m):
        members = [int(i) for i in np.flatnonzero(enc.lock == g)]
        if len(members) > enc.hi[g]:
            problems.append(
                Explanation(
                    "lock",
                    f"{len(members)} people are locked to group {g + 1}, which holds at most "
                    f"{enc.hi[g]}",
                    tuple(_name(enc, i) for i in members),
                    f"unlock at least {len(members) - enc.hi[g]} of them",
                )
            )
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if (min(i, j), max(i, j)) in enc.cannot:
                    problems.append(
                        Explanation(
                            "lock",
                            f"{describe_cannot_link(enc, i, j)}, yet both are locked to "
                            f"group {g + 1}",
                            (_name(enc, i), _name(enc, j)),
                            "unlock one of them",
                        )
                    )
        for o in range(enc.ord_rank.shape[1]):
            if enc.ord_spread[o] < 0:
                continue
            ranks = [(enc.ord_rank[i, o], i) for i in members if enc.ord_rank[i, o] >= 0]
            if len(ranks) < 2:
                continue
            (rlow, ilow), (rhigh, ihigh) = min(ranks), max(ranks)
            spread = enc.ord_val[o, rhigh] - enc.ord_val[o, rlow]
            if spread > enc.ord_spread[o] + 1e-9:
                problems.append(
                    Explanation(
                        "level_spread",
                        f"{_name(enc, ilow)} and {_name(enc, ihigh)} are both locked to group "
                        f"{g + 1}, but their {enc.ord_names[o]} differs by {spread:g}, more "
                        f"than the maximum of {enc.ord_spread[o]:g}",
                        (_name(enc, ilow), _name(enc, ihigh)),
                        f"unlock one of them or allow a {enc.ord_names[o]} difference of "
                        f"{spread:g}",
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
            people = tuple(_name(enc, c) for c in sorted(clique))
            problems.append(
                Explanation(
                    "cannot_link",
                    f"{len(clique)} people must each be in a different group "
                    f"(every pair of them is kept apart), but there are only {enc.m} groups: "
                    + "; ".join(
                        describe_cannot_link(enc, a, b)
                        for x, a in enumerate(sorted(clique))
                        for b in sorted(clique)[x + 1 :]
                    ),
                    people,
                    "drop one of these 'not with' wishes or rules, or form more groups",
                )
            )
    if enc.m == 1 and enc.cannot:
        (i, j), _ = next(iter(enc.cannot.items()))
        if not problems:
            problems.append(
                Explanation(
                    "cannot_link",
                    f"{describe_cannot_link(enc, i, j)}, but there is only one group",
                    (_name(enc, i), _name(enc, j)),
                    "form more groups or drop this rule",
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
        name = enc.ord_names[o]
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
        people: tuple[str, ...] = ()
        detail = ""
        if lonely:
            people = tuple(
                enc.ids[i] for i in range(enc.n) if enc.ord_val[o, ranks[i]] in set(lonely)
            )
            detail = (
                f"; too few people have a {name} within {spread:g} of "
                + ", ".join(f"{v:g}" for v in lonely)
                + f" to fill a group of {lo}"
            )
        suggestion = (
            f"allow a {name} difference of {needed:g}"
            if needed is not None
            else f"drop the maximum {name} difference"
        )
        problems.append(
            Explanation(
                "level_spread",
                f"with a {name} difference of at most {spread:g} inside a group, the "
                f"{enc.n} people cannot be split into {enc.m} groups of {lo}-{hi}{detail}",
                people,
                suggestion + " or change the group size range",
            )
        )
    return problems


def quick_problems(enc) -> list[Explanation]:
    return lock_problems(enc) or cannot_link_cliques(enc) or level_spread_problems(enc)
