"""Validation and the discrete calendar: candidate slots, answers and costs per group.

Time is discretised into candidate slots (candidate date x start time). Two slots on the
same date overlap when their intervals intersect; overlaps are expressed through "points":
the start times a slot covers. Two slots of one date overlap exactly when they cover a
common point, so "nobody in two places at once" becomes at most one booking per point.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import holidays
import numpy as np

from .model import Answer, Group, NoRule, SchedulingInputError, SchedulingProblem

ANSWER_CODE = {Answer.YES: 0, Answer.IF_NEED_BE: 1, Answer.NO: 2}
NO_CODE = 2
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Calendar:
    days: tuple[dt.date, ...]
    times: tuple[dt.time, ...]
    # covers[t]: the time indices whose start lies inside the slot starting at times[t]
    covers: tuple[tuple[int, ...], ...]
    blackouts: frozenset[dt.date]
    duration_minutes: int

    @property
    def slot_count(self) -> int:
        return len(self.days) * len(self.times)

    @property
    def clean(self) -> bool:
        """True when no two start times overlap, so each slot is its own conflict set."""
        return all(len(c) == 1 for c in self.covers)

    def day_of(self, slot: int) -> int:
        return slot // len(self.times)

    def time_of(self, slot: int) -> int:
        return slot % len(self.times)

    def slot_date(self, slot: int) -> dt.date:
        return self.days[self.day_of(slot)]

    def slot_start(self, slot: int) -> dt.time:
        return self.times[self.time_of(slot)]

    def slot_end(self, slot: int) -> dt.time:
        start = self.slot_start(slot)
        minutes = start.hour * 60 + start.minute + self.duration_minutes
        return dt.time(minutes // 60, minutes % 60)

    def label(self, slot: int) -> str:
        return f"{self.slot_date(slot).isoformat()} {self.slot_start(slot).strftime('%H:%M')}"


@dataclass(frozen=True)
class PreparedGroup:
    index: int
    group: Group
    meeting_count: int
    persons: tuple[int, ...]  # person indices, facilitator last when present
    slots: np.ndarray  # candidate slot indices, ascending
    costs: np.ndarray  # objective cost per candidate slot
    # slots only excluded because someone answered a hard "no" (for diagnosis)
    vetoed_slots: np.ndarray
    vetoed_costs: np.ndarray

    @property
    def id(self) -> str:
        return self.group.id

    @property
    def location(self) -> str | None:
        return self.group.location


@dataclass(frozen=True)
class Prepared:
    problem: SchedulingProblem
    calendar: Calendar
    person_ids: tuple[str, ...]
    answers: np.ndarray  # person x slot answer codes (default filled in)
    groups: tuple[PreparedGroup, ...]
    groups_of_person: dict[int, tuple[int, ...]]
    facilitator_persons: frozenset[int]

    @property
    def min_gap(self) -> int:
        return self.problem.min_gap_days

    @property
    def max_gap(self) -> int | None:
        return self.problem.max_gap_days

    def shared_persons(self) -> dict[int, tuple[int, ...]]:
        """Persons in two or more groups: only they can be double-booked."""
        return {p: gs for p, gs in self.groups_of_person.items() if len(gs) > 1}


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def validate(problem: SchedulingProblem) -> None:
    def fail(message: str) -> None:
        raise SchedulingInputError(message)

    if problem.window_start > problem.window_end:
        fail(f"window_start {problem.window_start} is after window_end {problem.window_end}")
    if not problem.start_times:
        fail("start_times is empty: at least one candidate start time is needed")
    if not problem.weekdays:
        fail("weekdays is empty: at least one weekday must be allowed")
    for weekday in problem.weekdays:
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            fail(f"weekday {weekday!r} is not an integer from 0 (Monday) to 6 (Sunday)")
    if not isinstance(problem.duration_minutes, int) or problem.duration_minutes < 1:
        fail("duration_minutes must be a positive integer")
    for start in problem.start_times:
        if _minutes(start) + problem.duration_minutes >= MINUTES_PER_DAY:
            fail(f"a meeting starting at {start.strftime('%H:%M')} would end at or after midnight")
    if problem.meeting_count < 1:
        fail("meeting_count must be at least 1")
    if problem.min_gap_days < 1:
        fail("min_gap_days must be at least 1 (a group meets at most once a day)")
    if problem.max_gap_days is not None and problem.max_gap_days < problem.min_gap_days:
        fail(
            f"max_gap_days {problem.max_gap_days} is smaller than "
            f"min_gap_days {problem.min_gap_days}"
        )
    weights = problem.weights
    for name in ("no", "if_need_be", "travel"):
        value = getattr(weights, name)
        if not isinstance(value, int) or value < 0:
            fail(f"weight {name} must be a non-negative integer")
    room_ids: set[str] = set()
    for room in problem.rooms:
        if not room.id:
            fail("a room has an empty id")
        if room.id in room_ids:
            fail(f"room id {room.id!r} appears twice")
        room_ids.add(room.id)
        if room.capacity < 1:
            fail(f"room {room.id}: capacity must be at least 1")
        if not room.location:
            fail(f"room {room.id}: location is empty")
    group_ids: set[str] = set()
    for group in problem.groups:
        if not group.id:
            fail("a group has an empty id")
        if group.id in group_ids:
            fail(f"group id {group.id!r} appears twice")
        group_ids.add(group.id)
        people = group.person_ids
        if not people:
            fail(f"group {group.id}: no members and no facilitator")
        if any(not p for p in people):
            fail(f"group {group.id}: a member or facilitator has an empty id")
        if len(set(people)) != len(people):
            fail(f"group {group.id}: a person appears twice (as member or facilitator)")
        if group.meeting_count is not None and group.meeting_count < 1:
            fail(f"group {group.id}: meeting_count must be at least 1")
        if group.location is not None and not group.location:
            fail(f"group {group.id}: location is empty (use null for online groups)")
    for answer in problem.answers:
        if answer.answer not in ANSWER_CODE:
            fail(f"answer {answer.answer!r} of {answer.person_id} is not yes, if_need_be or no")


def build_calendar(problem: SchedulingProblem) -> Calendar:
    blackouts = set(problem.blackout_dates)
    if problem.dutch_holidays:
        years = range(problem.window_start.year, problem.window_end.year + 1)
        blackouts.update(holidays.Netherlands(years=years).keys())
    weekdays = set(problem.weekdays)
    days = []
    day = problem.window_start
    while day <= problem.window_end:
        if day.weekday() in weekdays and day not in blackouts:
            days.append(day)
        day += dt.timedelta(days=1)
    times = tuple(sorted(set(problem.start_times)))
    minutes = [_minutes(t) for t in times]
    duration = problem.duration_minutes
    covers = tuple(
        tuple(j for j, mj in enumerate(minutes) if mi <= mj < mi + duration) for mi in minutes
    )
    return Calendar(tuple(days), times, covers, frozenset(blackouts), duration)


def prepare(problem: SchedulingProblem) -> Prepared:
    validate(problem)
    calendar = build_calendar(problem)
    person_index: dict[str, int] = {}
    groups_of_person: dict[int, list[int]] = defaultdict(list)
    facilitators: set[int] = set()
    for gi, group in enumerate(problem.groups):
        for pid in group.person_ids:
            p = person_index.setdefault(pid, len(person_index))
            groups_of_person[p].append(gi)
        if group.facilitator_id is not None:
            facilitators.add(person_index[group.facilitator_id])

    answers = _answer_matrix(problem, calendar, person_index)
    weights = problem.weights
    cost_of_code = np.array([0, weights.if_need_be, weights.no], dtype=np.int64)
    all_slots = np.arange(calendar.slot_count)
    prepared_groups = []
    for gi, group in enumerate(problem.groups):
        persons = tuple(person_index[pid] for pid in group.person_ids)
        rows = answers[list(persons)] if persons else np.zeros((0, calendar.slot_count))
        hard_rows = np.zeros(len(persons), dtype=bool)
        if problem.member_no == NoRule.HARD:
            hard_rows[: len(group.member_ids)] = True
        if problem.facilitator_no == NoRule.HARD and group.facilitator_id is not None:
            hard_rows[-1] = True
        costs = cost_of_code[rows].sum(axis=0) if persons else np.zeros(calendar.slot_count)
        vetoed = (rows[hard_rows] == NO_CODE).any(axis=0)
        too_close = _near_fixed_dates(calendar, group.fixed_dates, problem.min_gap_days)
        too_close |= _overlapping_busy(calendar, group.busy)
        costs, vetoed = costs[~too_close], vetoed[~too_close]
        prepared_groups.append(
            PreparedGroup(
                index=gi,
                group=group,
                meeting_count=group.meeting_count or problem.meeting_count,
                persons=persons,
                slots=all_slots[~too_close][~vetoed],
                costs=costs[~vetoed].astype(np.int64),
                vetoed_slots=all_slots[~too_close][vetoed],
                vetoed_costs=costs[vetoed].astype(np.int64),
            )
        )
    return Prepared(
        problem=problem,
        calendar=calendar,
        person_ids=tuple(person_index),
        answers=answers,
        groups=tuple(prepared_groups),
        groups_of_person={p: tuple(gs) for p, gs in groups_of_person.items()},
        facilitator_persons=frozenset(facilitators),
    )


def _near_fixed_dates(calendar: Calendar, fixed_dates, min_gap: int) -> np.ndarray:
    """Per slot: whether its date is fewer than min_gap days from a date the group already
    meets on (such slots are no candidates for that group)."""
    near = np.zeros(calendar.slot_count, dtype=bool)
    if not fixed_dates:
        return near
    fixed = np.array([d.toordinal() for d in fixed_dates])
    n_times = len(calendar.times)
    for d, day in enumerate(calendar.days):
        if (np.abs(fixed - day.toordinal()) < min_gap).any():
            near[d * n_times : (d + 1) * n_times] = True
    return near


def _overlapping_busy(calendar: Calendar, busy) -> np.ndarray:
    """Per slot: whether it overlaps a time one of the group's people is booked elsewhere."""
    blocked = np.zeros(calendar.slot_count, dtype=bool)
    if not busy:
        return blocked
    day_index = {day: d for d, day in enumerate(calendar.days)}
    n_times = len(calendar.times)
    for day, start, end in busy:
        d = day_index.get(day)
        if d is None:
            continue
        for t, candidate in enumerate(calendar.times):
            begins = _minutes(candidate)
            if begins < _minutes(end) and _minutes(start) < begins + calendar.duration_minutes:
                blocked[d * n_times + t] = True
    return blocked


def _answer_matrix(
    problem: SchedulingProblem, calendar: Calendar, person_index: dict[str, int]
) -> np.ndarray:
    day_index = {d: i for i, d in enumerate(calendar.days)}
    time_index = {t: i for i, t in enumerate(calendar.times)}
    n_times = len(calendar.times)
    matrix = np.full(
        (len(person_index), calendar.slot_count),
        ANSWER_CODE[Answer(problem.default_answer)],
        dtype=np.int8,
    )
    specific = []
    for answer in problem.answers:
        p = person_index.get(answer.person_id)
        d = day_index.get(answer.date)
        if p is None or d is None:
            continue  # not in any group, or not a candidate date: irrelevant
        code = ANSWER_CODE[Answer(answer.answer)]
        if answer.start is None:
            matrix[p, d * n_times : (d + 1) * n_times] = code
        else:
            t = time_index.get(answer.start)
            if t is not None:
                specific.append((p, d * n_times + t, code))
    for p, slot, code in specific:
        matrix[p, slot] = code
    return matrix
