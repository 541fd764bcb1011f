"""Synthetic organisations for benchmarks and tests: attributes, reporting lines, wishes,
history and locks, shaped like the programmes Kring serves."""

from __future__ import annotations

import numpy as np

from engine.grouping.model import (
    CannotLink,
    CategoricalAttribute,
    GroupingProblem,
    OrdinalAttribute,
    PastPair,
    Person,
    Wish,
)


def organisation(
    n: int,
    *,
    group_size: tuple[int, int] = (6, 8),
    seed: int = 0,
    max_level_spread: int | None = 2,
    locks: int = 5,
) -> GroupingProblem:
    gen = np.random.default_rng(seed)
    departments = [f"dep{k}" for k in range(max(3, n // 40))]
    locations = [f"loc{k}" for k in range(max(2, min(12, n // 80)))]
    professions = [f"prof{k}" for k in range(8)]
    level = gen.choice([1, 2, 3, 4, 5, 6], size=n, p=[0.1, 0.25, 0.3, 0.2, 0.1, 0.05])
    dep = gen.integers(len(departments), size=n)
    ids = [f"p{k:05d}" for k in range(n)]
    # reporting lines: a manager in the same department, one or two levels up
    managers: list[str | None] = [None] * n
    by_key: dict[tuple[int, int], list[int]] = {}
    for k in range(n):
        by_key.setdefault((int(dep[k]), int(level[k])), []).append(k)
    for k in range(n):
        for up in (1, 2):
            bosses = by_key.get((int(dep[k]), int(level[k]) + up))
            if bosses:
                managers[k] = ids[bosses[int(gen.integers(len(bosses)))]]
                break
    people = [
        Person(
            ids[k],
            {
                "department": departments[dep[k]],
                "location": locations[int(gen.integers(len(locations)))],
                "profession": professions[int(gen.integers(len(professions)))],
                "level": int(level[k]),
            },
            managers[k],
        )
        for k in range(n)
    ]
    not_with = []
    for k in gen.choice(n, size=max(1, n // 100), replace=False):
        other = int(gen.integers(n))
        if other != k:
            not_with.append(CannotLink(ids[k], ids[other], "not_with"))
    wishes = []
    for k in gen.choice(n, size=max(1, n // 20), replace=False):
        same_band = np.flatnonzero(np.abs(level - level[k]) <= 1)
        other = int(same_band[gen.integers(same_band.size)])
        if other != k:
            wishes.append(Wish(ids[k], ids[other]))
    history = []
    previous = gen.permutation(n)[: max(0, int(0.3 * n))]
    for start in range(0, previous.size - 7, 7):
        block = previous[start : start + 7]
        for x in range(block.size):
            for y in range(x + 1, block.size):
                history.append(PastPair(ids[block[x]], ids[block[y]]))
    middle = (group_size[0] + group_size[1]) / 2
    group_count = max(1, round(n / middle))
    lock_map = {}
    for g, k in enumerate(gen.choice(n, size=min(locks, group_count, n), replace=False)):
        lock_map[ids[int(k)]] = g
    return GroupingProblem(
        people=people,
        categorical=[
            CategoricalAttribute("department", 1.0),
            CategoricalAttribute("location", 0.5),
            CategoricalAttribute("profession", 0.5),
        ],
        ordinal=[OrdinalAttribute("level", 0.25, max_level_spread)],
        group_size=group_size,
        group_count=group_count,
        cannot_link=not_with,
        wishes=wishes,
        history=history,
        locks=lock_map,
        wish_bonus=1.0,
        history_penalty=1.0,
    )
