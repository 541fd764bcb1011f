"""Cheap necessary conditions, each failing one naming the group, person or location."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from .model import Reason, ReasonCode
from .prepare import Calendar, Prepared, PreparedGroup
from .series import cheapest_series, max_spaced_count


def precheck(prep: Prepared) -> list[Reason]:
    reasons: list[Reason] = []
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


def _room_reasons(prep: Prepared, group: PreparedGroup) -> list[Reason]:
    if group.location is None:
        return []
    rooms = [r for r in prep.problem.rooms if r.location == group.location]
    if not rooms:
        return [
            Reason(
                ReasonCode.NO_ROOM_AT_LOCATION,
                f"group {group.id}: meets on site at {group.location}, but there is no room there",
                group_id=group.id,
                location=group.location,
            )
        ]
    largest = max(r.capacity for r in rooms)
    if largest < group.group.size:
        return [
            Reason(
                ReasonCode.ROOM_TOO_SMALL,
                f"group {group.id}: needs a room for {group.group.size} people at "
                f"{group.location}, but the largest room there holds {largest}",
                group_id=group.id,
                location=group.location,
                room_ids=tuple(r.id for r in rooms if r.capacity == largest),
                params={"size": group.group.size, "largest": largest},
            )
        ]
    return []


def _series_reasons(prep: Prepared, group: PreparedGroup) -> list[Reason]:
    problem = prep.problem
    count = group.meeting_count
    window = {
        "meeting_count": count,
        "window_start": problem.window_start,
        "window_end": problem.window_end,
        "vetoed_by_answers": bool(len(group.vetoed_slots)),
    }
    between = f"between {problem.window_start.isoformat()} and {problem.window_end.isoformat()}"
    offsets = group_day_offsets(prep, group)
    vetoed = " and 'no' answers" if len(group.vetoed_slots) else ""
    usable = f"allowed weekdays and start times minus holidays, blackout dates{vetoed}"
    if len(offsets) < count:
        return [
            Reason(
                ReasonCode.TOO_FEW_DATES,
                f"group {group.id}: {count} meetings need {count} different dates {between}, "
                f"but only {len(offsets)} are usable ({usable})",
                group_id=group.id,
                params={**window, "usable_dates": len(offsets)},
            )
        ]
    fitting = max_spaced_count(offsets, prep.min_gap)
    if fitting < count:
        # the largest minimum gap that would let every meeting fit (at least 1: the dates suffice)
        gap = next(
            g for g in range(prep.min_gap - 1, 0, -1) if max_spaced_count(offsets, g) >= count
        )
        return [
            Reason(
                ReasonCode.MIN_GAP_DOES_NOT_FIT,
                f"group {group.id}: {count} meetings at least {prep.min_gap} days apart "
                f"do not fit {between} (usable dates: {usable}); {fitting} fit, "
                f"or all {count} with at least {gap} days between them",
                group_id=group.id,
                params={
                    **window,
                    "min_gap_days": prep.min_gap,
                    "meetings_that_fit": fitting,
                    "min_gap_that_fits": gap,
                },
            )
        ]
    if prep.max_gap is None:
        return []
    day_cost = np.full(window_days(prep), np.inf)
    day_cost[offsets] = 0.0
    if cheapest_series(day_cost, count, prep.min_gap, prep.max_gap) is not None:
        return []
    text = (
        f"group {group.id}: {count} meetings {prep.min_gap} to {prep.max_gap} days apart "
        f"do not fit {between}"
    )
    params = {**window, "min_gap_days": prep.min_gap, "max_gap_days": prep.max_gap}
    gaps = [(b - a, a, b) for a, b in zip(offsets, offsets[1:], strict=False)]
    longest = max(gaps, default=None)
    if longest is not None and longest[0] > prep.max_gap:
        first = problem.window_start.toordinal()
        frm = dt.date.fromordinal(first + longest[1])
        to = dt.date.fromordinal(first + longest[2])
        text += (
            f" (no usable date for {longest[0]} days from {frm.isoformat()} to {to.isoformat()})"
        )
        params.update(longest_gap_days=longest[0], longest_gap_from=frm, longest_gap_to=to)
    return [Reason(ReasonCode.GAPS_DO_NOT_FIT, text, group_id=group.id, params=params)]


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


def _person_load_reasons(prep: Prepared) -> list[Reason]:
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
                role, who = "facilitator", f"facilitator {pid} leads"
            elif person in prep.facilitator_persons:
                role, who = "facilitator_and_member", f"facilitator {pid} leads or joins"
            else:
                role, who = "member", f"member {pid} joins"
            names = ", ".join(g.id for g in groups)
            reasons.append(
                Reason(
                    ReasonCode.PERSON_OVERBOOKED,
                    f"{who} {len(groups)} groups ({names}) with {needed} meetings, "
                    f"but only {per_day} non-overlapping slots are allowed",
                    group_ids=tuple(g.id for g in groups),
                    person_ids=(pid,),
                    facilitator_id=pid if role != "member" else None,
                    params={"role": role, "meetings_needed": needed, "slots_available": per_day},
                )
            )
    return reasons


def _room_load_reasons(prep: Prepared) -> list[Reason]:
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
                    Reason(
                        ReasonCode.ROOMS_OVERBOOKED,
                        f"location {location}: {needed} meetings of groups of {size} or more "
                        f"people need a room, but {rooms} room(s) large enough offer only "
                        f"{available} non-overlapping bookings",
                        group_ids=tuple(g.id for g in needing),
                        location=location,
                        params={
                            "size": size,
                            "meetings_needed": needed,
                            "rooms": rooms,
                            "bookings_available": available,
                        },
                    )
                )
                break
    return reasons
