"""Objective and rule checks for given groups, straight from the problem's definition.

Deliberately independent of the search's counting shortcuts: the app uses it to score a
grouping after a coordinator moved people by hand, the tests to check the engine.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np

from engine.grouping.mdgplib import InputError
from engine.grouping.model import Explanation, GroupingProblem, MatrixProblem


def _label(value) -> str:
    """A categorical value as compared: a missing value is one shared "unknown" label."""
    return "" if value is None else str(value)


def _level(value) -> float | None:
    """An ordinal value, or None when missing (exempt from its penalty and spread rule)."""
    return None if value in (None, "") else float(value)


def _pair_extras(problem: GroupingProblem) -> dict[frozenset, float]:
    extras: dict[frozenset, float] = {}
    for wish in problem.wishes:
        if str(wish.person) != str(wish.other):
            key = frozenset((str(wish.person), str(wish.other)))
            extras[key] = extras.get(key, 0.0) + problem.wish_bonus * wish.weight
    for past in problem.history:
        if str(past.a) != str(past.b):
            key = frozenset((str(past.a), str(past.b)))
            extras[key] = extras.get(key, 0.0) - problem.history_penalty * past.times
    return extras


def evaluate_groups(problem: GroupingProblem | MatrixProblem, groups: list[list]) -> float:
    if isinstance(problem, MatrixProblem):
        scores = np.asarray(problem.scores, dtype=float)
        position = {v: k for k, v in enumerate(problem.ids)} if problem.ids is not None else None
        total = 0.0
        for group in groups:
            rows = [position[v] if position else int(v) for v in group]
            for a, b in combinations(rows, 2):
                total += scores[a, b]
        return total
    people = {str(p.id): p for p in problem.people}
    extras = _pair_extras(problem)
    total = 0.0
    for group in groups:
        for a, b in combinations([str(v) for v in group], 2):
            pa, pb = people[a].attributes, people[b].attributes
            for attr in problem.categorical:
                same = _label(pa.get(attr.name)) == _label(pb.get(attr.name))
                if same == (attr.prefer == "same"):
                    total += attr.weight
            for attr in problem.ordinal:
                va, vb = _level(pa.get(attr.name)), _level(pb.get(attr.name))
                if va is not None and vb is not None:
                    total -= attr.penalty_per_step * abs(va - vb)
            total += extras.get(frozenset((a, b)), 0.0)
            total -= problem.pair_cost
    return total


def average_pair_reward(problem: GroupingProblem) -> float:
    """The average attribute reward of a pair of people (never below zero).

    Diversity rewards grow with the number of pairs, so without a pair cost the search
    fills some groups to the maximum and leaves others at the minimum. Equal sizes have
    the fewest pairs: charging this average per pair makes balanced groups pay while the
    differences between pairs still decide who goes where. Counted from label and level
    totals, so it costs O(n log n), not a pass over all pairs.
    """
    people = problem.people
    n = len(people)
    if n < 2:
        return 0.0
    reward = 0.0
    for attr in problem.categorical:
        counts = Counter(_label(p.attributes.get(attr.name)) for p in people)
        share_same = sum(c * (c - 1) for c in counts.values()) / (n * (n - 1))
        reward += attr.weight * (share_same if attr.prefer == "same" else 1 - share_same)
    for attr in problem.ordinal:
        levels = sorted(
            level for p in people if (level := _level(p.attributes.get(attr.name))) is not None
        )
        # The sum of |a - b| over all pairs of a sorted list, in one pass; pairs in which
        # someone has no level cost nothing but still count in the average.
        total = sum(level * (2 * i - len(levels) + 1) for i, level in enumerate(levels))
        reward -= attr.penalty_per_step * total / (n * (n - 1) / 2)
    return max(reward, 0.0)


def group_violations(
    problem: GroupingProblem | MatrixProblem, groups: list[list]
) -> list[Explanation]:
    found: list[Explanation] = []
    if isinstance(problem, MatrixProblem):
        ids = list(problem.ids) if problem.ids is not None else list(range(len(problem.scores)))
        bounds = list(problem.bounds)
        cannot: list[tuple] = []
    else:
        ids = [str(p.id) for p in problem.people]
        if problem.group_bounds is not None:
            bounds = [tuple(b) for b in problem.group_bounds]
        elif problem.group_size is not None:
            bounds = [tuple(problem.group_size)] * len(groups)
            if problem.group_count is not None and problem.group_count != len(groups):
                found.append(
                    Explanation(
                        "group_count",
                        "wrong_group_count",
                        {"groups": len(groups), "expected": problem.group_count},
                    )
                )
        else:
            raise InputError("group sizes are missing")
        cannot = [(str(c.a), str(c.b), c.reason) for c in problem.cannot_link]
        cannot += [
            (str(p.manager), str(p.id), "manager") for p in problem.people if p.manager is not None
        ]
    where: dict = {}
    for g, group in enumerate(groups):
        for v in group:
            key = v if isinstance(problem, MatrixProblem) else str(v)
            if key in where:
                found.append(Explanation("input", "in_several_groups", {}, (key,), group=g))
            where[key] = g
    missing = [v for v in ids if v not in where]
    if missing:
        found.append(Explanation("input", "unplaced", {"count": len(missing)}, tuple(missing)))
    if len(groups) != len(bounds):
        found.append(
            Explanation(
                "size_bounds", "bounds_count", {"groups": len(groups), "bounds": len(bounds)}
            )
        )
    for g, (group, (lo, hi)) in enumerate(zip(groups, bounds, strict=False)):
        if not lo <= len(group) <= hi:
            found.append(
                Explanation(
                    "size_bounds",
                    "group_size",
                    {"size": len(group), "min": lo, "max": hi},
                    group=g,
                )
            )
    for a, b, reason in cannot:
        if a in where and b in where and where[a] == where[b]:
            # For a manager, the manager comes first.
            found.append(
                Explanation("cannot_link", "together", {"reason": reason}, (a, b), group=where[a])
            )
    if isinstance(problem, GroupingProblem):
        for pid, g in problem.locks.items():
            if where.get(str(pid)) != g:
                found.append(
                    Explanation(
                        "lock",
                        "not_in_locked_group",
                        {"placed_in": where.get(str(pid))},
                        (str(pid),),
                        group=g,
                    )
                )
        people = {str(p.id): p for p in problem.people}
        for attr in problem.ordinal:
            if attr.max_spread is None:
                continue
            for g, group in enumerate(groups):
                levels = sorted(
                    (float(people[str(v)].attributes[attr.name]), str(v))
                    for v in group
                    if people[str(v)].attributes.get(attr.name) not in (None, "")
                )
                if levels and levels[-1][0] - levels[0][0] > attr.max_spread + 1e-9:
                    found.append(
                        Explanation(
                            "level_spread",
                            "level_spread_exceeded",
                            {
                                "attribute": attr.name,
                                "difference": levels[-1][0] - levels[0][0],
                                "maximum": float(attr.max_spread),
                            },
                            (levels[0][1], levels[-1][1]),
                            group=g,
                        )
                    )
    return found
