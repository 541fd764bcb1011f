"""Assign actual rooms once the slots are fixed (start times that never overlap).

Per location and slot the eligible rooms of a group are "large enough", a nested family,
so the solver's per-capacity-class counts guarantee a perfect matching. Augmenting paths
find it; trying a group's previous room first keeps groups in the same room where possible.
"""

from __future__ import annotations

from collections import defaultdict

from .prepare import Prepared


def assign_rooms(prep: Prepared, chosen: dict[int, list[int]]) -> dict[tuple[int, int], str]:
    rooms_at = defaultdict(list)
    for room in sorted(prep.problem.rooms, key=lambda r: (r.capacity, r.id)):
        rooms_at[room.location].append(room)
    meetings_at = defaultdict(list)  # (location, slot) -> groups
    for gi, slots in chosen.items():
        location = prep.groups[gi].location
        if location is not None:
            for s in slots:
                meetings_at[(location, s)].append(gi)
    previous: dict[int, str] = {}
    assigned: dict[tuple[int, int], str] = {}
    for (location, slot), group_indices in sorted(meetings_at.items(), key=lambda kv: kv[0][1]):
        options = {}
        for gi in group_indices:
            size = prep.groups[gi].group.size
            eligible = [r.id for r in rooms_at[location] if r.capacity >= size]
            if previous.get(gi) in eligible:
                eligible.remove(previous[gi])
                eligible.insert(0, previous[gi])
            options[gi] = eligible
        matching = _match(options)
        if matching is None:
            label = prep.calendar.label(slot)
            raise RuntimeError(f"no room matching at {location} {label}; this is a bug")
        for gi, room in matching.items():
            assigned[(gi, slot)] = room
            previous[gi] = room
    return assigned


def _match(options: dict[int, list[str]]) -> dict[int, str] | None:
    room_holder: dict[str, int] = {}

    def augment(gi: int, visited: set[str]) -> bool:
        for room in options[gi]:
            if room in visited:
                continue
            visited.add(room)
            if room not in room_holder or augment(room_holder[room], visited):
                room_holder[room] = gi
                return True
        return False

    # largest groups first: they have the fewest options
    for gi in sorted(options, key=lambda g: len(options[g])):
        if not augment(gi, set()):
            return None
    return {gi: room for room, gi in room_holder.items()}
