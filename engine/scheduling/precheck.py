"""Cheap necessary conditions, each failing one naming the group, person or location."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from .prepare import Calendar, Prepared, PreparedGroup
from .series import cheapest_series, max_spaced_count


def precheck(prep: Prepared) -> list[str]:
    reasons: list[str] = []
    for group in prep.groups:
        reasons.extend(_room_reasons(prep, group))
        reasons.extend(_series_reasons(prep, group))
    reasons.extend(_person_load_reasons(prep))
    reasons.extend(_room_load_reasons(prep))
    return reasons


def group_day_offsets(prep: Prepared, group: PreparedGroup) -> list[int]:
    """Sorted offsets (days since window_start) of the dates the group could meet on."""
    cal = prep.calendar
    start = prep.problem.window_start.toordinal()
    day_indices = sorted({cal.day_of(int(s)) for s in group.slots})
    return [cal.days[d].toordinal() - start for d in day_indices]


def window_days(prep: Prepared) -> int:
    return (prep.problem.window_end - prep.problem.window_start).days + 1


def _room_reasons(prep: Prepared, group: PreparedGroup) -> list[str]:
    if group.location is None:
        return []
    rooms = [r for r in prep.problem.rooms if r.location == group.location]
    if not rooms:
        return [f"group {group.id}: meets on site at {group.location}, but there is no room there"]
    largest = max(r.capacity for r in rooms)
    if largest < group.group.size:
        return [
            f"group {group.id}: needs a room for {group.group.size} people at "
            f"{group.location}, but the largest room there holds {largest}"
        ]
    return []


def _series_reasons(prep: Prepared, group: PreparedGroup) -> list[str]:
    problem = prep.problem
    count = group.meeting_count
    between = f"between {problem.window_start.isoformat()} and {problem.window_end.isoformat()}"
    offsets = group_day_offsets(prep, group)
    vetoed = " and 'no' answers" if len(group.vetoed_slots) else ""
    usable = f"allowed weekdays and start times minus holidays, blackout dates{vetoed}"
    if len(offsets) < count:
        return [
            f"group {group.id}: {count} meetings need {count} different dates {between}, "
            f"but only {len(offsets)} are usable ({usable})"
        ]
    if max_spaced_count(offsets, prep.min_gap) < count:
        return [
            f"group {group.id}: {count} meetings at least {prep.min_gap} days apart "
            f"do not fit {between} (usable dates: {usable})"
        ]
    if prep.max_gap is None:
        return []
    day_cost = np.full(window_days(prep), np.inf)
    day_cost[offsets] = 0.0
    if cheapest_series(day_cost, count, prep.min_gap, prep.max_gap) is not None:
        return []
    reason = (
        f"group {group.id}: {count} meetings {prep.min_gap} to {prep.max_gap} days apart "
        f"do not fit {between}"
    )
    gaps = [(b - a, a, b) for a, b in zip(offsets, offsets[1:], strict=False)]
    longest = max(gaps, default=None)
    if longest is not None and longest[0] > prep.max_gap:
        first = problem.window_start.toordinal()
        frm = dt.date.fromordinal(first + longest[1]).isoformat()
        to = dt.date.fromordinal(first + longest[2]).isoformat()
        reason += f" (no usable date for {longest[0]} days from {frm} to {to})"
    return [reason]


def _max_disjoint_per_day(cal: Calendar, slots_by_day: dict[int, set[int]]) -> int:
    """Sum over days of the most pairwise non-overlapping slots (interval scheduling)."""
    total = 0
    for times in slots_by_day.values():
        busy_until = -1
        for t in sorted(times):
            # times are sorted by start; covers[t] tells which later starts overlap
            if t > busy_until:
                total += 1
                busy_until = max(cal.covers[t])
    return total


def _person_load_reasons(prep: Prepared) -> list[str]:
    cal = prep.calendar
    reasons = []
    for person, group_indices in prep.shared_persons().items():
        groups = [prep.groups[g] for g in group_indices]
        needed = sum(g.meeting_count for g in groups)
        slots_by_day: dict[int, set[int]] = defaultdict(set)
        groups_by_day: dict[int, set[int]] = defaultdict(set)
        for g in groups:
            for s in g.slots:
                slots_by_day[cal.day_of(int(s))].add(cal.time_of(int(s)))
                groups_by_day[cal.day_of(int(s))].add(g.index)
        per_day = 0
        for day, times in slots_by_day.items():
            per_day += min(len(groups_by_day[day]), _max_disjoint_per_day(cal, {day: times}))
        if per_day < needed:
            pid = prep.person_ids[person]
            leads_all = all(g.group.facilitator_id == pid for g in groups)
            if leads_all:
                who = f"facilitator {pid} leads"
            elif person in prep.facilitator_persons:
                who = f"facilitator {pid} leads or joins"
            else:
                who = f"member {pid} joins"
            names = ", ".join(g.id for g in groups)
            reasons.append(
                f"{who} {len(groups)} groups ({names}) with {needed} meetings, "
                f"but only {per_day} non-overlapping slots are allowed"
            )
    return reasons


def _room_load_reasons(prep: Prepared) -> list[str]:
    cal = prep.calendar
    rooms_by_location = defaultdict(list)
    for room in prep.problem.rooms:
        rooms_by_location[room.location].append(room.capacity)
    groups_by_location = defaultdict(list)
    for g in prep.groups:
        if g.location is not None:
            groups_by_location[g.location].append(g)
    reasons = []
    for location, groups in groups_by_location.items():
        capacities = rooms_by_location.get(location, [])
        if not capacities:
            continue  # already named per group
        for size in sorted({g.group.size for g in groups}):
            needing = [g for g in groups if g.group.size >= size]
            rooms = sum(1 for c in capacities if c >= size)
            if rooms == 0:
                continue  # already named per group
            slots_by_day: dict[int, set[int]] = defaultdict(set)
            for g in needing:
                for s in g.slots:
                    slots_by_day[cal.day_of(int(s))].add(cal.time_of(int(s)))
            available = rooms * _max_disjoint_per_day(cal, slots_by_day)
            needed = sum(g.meeting_count for g in needing)
            if available < needed:
                reasons.append(
                    f"location {location}: {needed} meetings of groups of {size} or more "
                    f"people need a room, but {rooms} room(s) large enough offer only "
                    f"{available} non-overlapping bookings"
                )
                break
    return reasons
