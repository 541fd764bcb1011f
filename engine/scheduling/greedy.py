"""A fast start solution: groups one by one, each taking its cheapest free series.

It gives CP-SAT a complete hint, so the first feasible plan arrives in seconds, and it is
the fallback plan when CP-SAT finds nothing better within the time limit.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable

import numpy as np

from .precheck import window_days
from .prepare import Prepared, PreparedGroup
from .series import cheapest_series

# group index -> [(slot, room id or None)] in date order
Assignment = dict[int, list[tuple[int, str | None]]]


class _Board:
    """Who and which room is busy at which (date, point); supports placing and removing."""

    def __init__(self, prep: Prepared, seed: int):
        self.prep = prep
        cal = prep.calendar
        self.n_times = len(cal.times)
        self.rng = np.random.default_rng(seed)
        self.shared = prep.shared_persons()
        start = prep.problem.window_start.toordinal()
        self.day_offset = [d.toordinal() - start for d in cal.days]
        self.n_days = window_days(prep)
        rooms_at = defaultdict(list)
        for room in sorted(prep.problem.rooms, key=lambda r: (r.capacity, r.id)):
            rooms_at[room.location].append(room)
        self.eligible = {
            g.index: [r.id for r in rooms_at.get(g.location, []) if r.capacity >= g.group.size]
            for g in prep.groups
        }
        self.person_busy: dict[int, set[tuple[int, int]]] = defaultdict(set)
        self.room_busy: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self.facilitator_locations: dict[tuple[int, int], Counter] = defaultdict(Counter)
        self.assignment: Assignment = {}

    def _watched(self, group: PreparedGroup) -> list[int]:
        return [p for p in group.persons if p in self.shared]

    def _facilitator(self, group: PreparedGroup) -> int | None:
        return group.persons[-1] if group.group.facilitator_id is not None else None

    def best_series(self, group: PreparedGroup, noise: float) -> list[tuple[int, str | None]]:
        cal = self.prep.calendar
        watched = self._watched(group)
        facilitator = self._facilitator(group)
        eligible = self.eligible[group.index]
        travel = self.prep.problem.weights.travel
        day_cost = np.full(self.n_days, np.inf)
        day_choice: dict[int, tuple[int, str | None]] = {}
        jitter = self.rng.random(self.n_days) * noise
        for slot, cost in zip(group.slots.tolist(), group.costs.tolist(), strict=True):
            day = slot // self.n_times
            points = cal.covers[slot % self.n_times]
            if any((day, pt) in self.person_busy[p] for p in watched for pt in points):
                continue
            room = None
            if group.location is not None:
                busy = self.room_busy
                room = next(
                    (r for r in eligible if not any((day, pt) in busy[r] for pt in points)),
                    None,
                )
                if room is None:
                    continue
                if facilitator is not None:
                    elsewhere = self.facilitator_locations[(facilitator, day)].keys() - {
                        group.location
                    }
                    if elsewhere:
                        cost += travel
            offset = self.day_offset[day]
            value = cost + jitter[offset]
            if value < day_cost[offset]:
                day_cost[offset] = value
                day_choice[offset] = (slot, room)
        days = cheapest_series(day_cost, group.meeting_count, self.prep.min_gap, self.prep.max_gap)
        if days is None:
            return []
        return [day_choice[d] for d in days]

    def _mark(self, group: PreparedGroup, meetings, add: bool) -> None:
        cal = self.prep.calendar
        watched = self._watched(group)
        facilitator = self._facilitator(group)
        for slot, room in meetings:
            day = slot // self.n_times
            keys = [(day, pt) for pt in cal.covers[slot % self.n_times]]
            for p in watched:
                (self.person_busy[p].update if add else self.person_busy[p].difference_update)(keys)
            if room is not None:
                (self.room_busy[room].update if add else self.room_busy[room].difference_update)(
                    keys
                )
                if facilitator is not None:
                    self.facilitator_locations[(facilitator, day)][group.location] += (
                        1 if add else -1
                    )
                    if not self.facilitator_locations[(facilitator, day)][group.location]:
                        del self.facilitator_locations[(facilitator, day)][group.location]

    def place(self, group: PreparedGroup, meetings) -> None:
        self._mark(group, meetings, add=True)
        self.assignment[group.index] = meetings

    def remove(self, group: PreparedGroup) -> list[tuple[int, str | None]]:
        meetings = self.assignment.pop(group.index)
        self._mark(group, meetings, add=False)
        return meetings

    def series_cost(self, group: PreparedGroup, meetings) -> float:
        costs = dict(zip(group.slots.tolist(), group.costs.tolist(), strict=True))
        total = float(sum(costs[s] for s, _ in meetings))
        facilitator = self._facilitator(group)
        if facilitator is not None and group.location is not None:
            for slot, _ in meetings:
                here = self.facilitator_locations[(facilitator, slot // self.n_times)]
                if here.keys() - {group.location}:
                    total += self.prep.problem.weights.travel
        return total


def greedy(
    prep: Prepared,
    seed: int,
    improve_until: float | None = None,
    on_complete: Callable[[Assignment], None] | None = None,
) -> Assignment:
    """Place groups hardest first; then, until the deadline (perf_counter), re-place each
    group in turn on its cheapest series given all others, keeping only improvements."""
    board = _Board(prep, seed)
    order = sorted(prep.groups, key=lambda g: (len(g.slots) / g.meeting_count, g.index))
    for group in order:
        meetings = board.best_series(group, noise=0.5)
        if meetings:
            board.place(group, meetings)
    if len(board.assignment) < len(prep.groups):
        return board.assignment
    if on_complete is not None:
        on_complete(dict(board.assignment))
    if improve_until is None:
        return board.assignment
    improved = True
    while improved and time.perf_counter() < improve_until:
        improved = False
        for group in order:
            if time.perf_counter() >= improve_until:
                break
            improved |= _replace_together(board, [group])
    # Then ruin and recreate: re-place all groups of one shared person (usually a
    # facilitator) together, in a random order, keeping the result only if cheaper.
    neighbourhoods = [[prep.groups[g] for g in groups] for groups in prep.shared_persons().values()]
    patience = max(200, 5 * len(neighbourhoods))
    failures = 0
    while neighbourhoods and failures < patience and time.perf_counter() < improve_until:
        chosen = neighbourhoods[int(board.rng.integers(len(neighbourhoods)))]
        if _replace_together(board, list(board.rng.permutation(chosen))):
            failures = 0
        else:
            failures += 1
    return board.assignment


def _replace_together(board: _Board, groups: list[PreparedGroup]) -> bool:
    """Re-place these groups one by one on their cheapest free series; undo unless cheaper."""
    before = {g.index: board.assignment[g.index] for g in groups}
    old_cost = sum(board.series_cost(g, before[g.index]) for g in groups)
    for g in groups:
        board.remove(g)
    placed = []
    for g in groups:
        meetings = board.best_series(g, noise=0.0)
        if not meetings:
            break
        board.place(g, meetings)
        placed.append(g)
    if len(placed) == len(groups):
        new_cost = sum(board.series_cost(g, board.assignment[g.index]) for g in groups)
        if new_cost < old_cost:
            return True
    for g in placed:
        board.remove(g)
    for g in groups:
        board.place(g, before[g.index])
    return False


def independent_bound(prep: Prepared) -> int:
    """Sum of each group's cheapest series on its own: a valid lower bound on the cost.

    Dropping every rule that couples groups (people, rooms, travel) can only lower the
    optimum, and without them the groups separate into one shortest-path problem each.
    """
    n_days = window_days(prep)
    start = prep.problem.window_start.toordinal()
    n_times = len(prep.calendar.times)
    total = 0
    for group in prep.groups:
        day_cost = np.full(n_days, np.inf)
        offsets = np.array(
            [prep.calendar.days[s // n_times].toordinal() - start for s in group.slots.tolist()],
            dtype=np.int64,
        )
        np.minimum.at(day_cost, offsets, group.costs.astype(float))
        days = cheapest_series(day_cost, group.meeting_count, prep.min_gap, prep.max_gap)
        if days is None:
            continue
        total += int(sum(day_cost[d] for d in days))
    return total
