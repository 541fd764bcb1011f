"""An independent check of every hard rule, written from the README, not from the engine."""

from __future__ import annotations

import datetime as dt
from itertools import combinations

import holidays

from engine.scheduling import Answer, NoRule, SchedulingProblem, SchedulingResult


def _interval(day: dt.date, start: dt.time, minutes: int) -> tuple[dt.datetime, dt.datetime]:
    begin = dt.datetime.combine(day, start)
    return begin, begin + dt.timedelta(minutes=minutes)


def answer_of(problem: SchedulingProblem, person: str, day: dt.date, start: dt.time) -> str:
    whole_day = specific = None
    for a in problem.answers:
        if a.person_id == person and a.date == day:
            if a.start is None:
                whole_day = a.answer
            elif a.start == start:
                specific = a.answer
    return str(specific or whole_day or problem.default_answer)


def violations(problem: SchedulingProblem, result: SchedulingResult) -> list[str]:
    found: list[str] = []
    groups = {g.id: g for g in problem.groups}
    rooms = {r.id: r for r in problem.rooms}
    years = range(problem.window_start.year, problem.window_end.year + 1)
    public = holidays.Netherlands(years=years) if problem.dutch_holidays else {}
    if sorted(p.group_id for p in result.plans) != sorted(groups):
        found.append("not every group has exactly one plan")
    meetings = []
    for plan in result.plans:
        group = groups[plan.group_id]
        count = group.meeting_count or problem.meeting_count
        if len(plan.meetings) != count:
            found.append(f"{group.id}: {len(plan.meetings)} meetings instead of {count}")
        dates = sorted(m.date for m in plan.meetings)
        for a, b in zip(dates, dates[1:], strict=False):
            if (b - a).days < problem.min_gap_days:
                found.append(f"{group.id}: {a} and {b} closer than the minimum gap")
            if problem.max_gap_days is not None and (b - a).days > problem.max_gap_days:
                found.append(f"{group.id}: {a} and {b} further apart than the maximum gap")
        people = list(group.member_ids) + ([group.facilitator_id] if group.facilitator_id else [])
        for m in plan.meetings:
            where = f"{group.id} on {m.date} {m.start}"
            if not problem.window_start <= m.date <= problem.window_end:
                found.append(f"{where}: outside the window")
            if m.date.weekday() not in problem.weekdays:
                found.append(f"{where}: weekday not allowed")
            if m.date in public:
                found.append(f"{where}: public holiday {public.get(m.date)}")
            if m.date in set(problem.blackout_dates):
                found.append(f"{where}: blackout date")
            if m.start not in problem.start_times:
                found.append(f"{where}: not a candidate start time")
            begin, end = _interval(m.date, m.start, problem.duration_minutes)
            if m.end != end.time():
                found.append(f"{where}: wrong end time {m.end}")
            if group.location is None:
                if m.room_id is not None:
                    found.append(f"{where}: online group got a room")
            else:
                room = rooms.get(m.room_id)
                if room is None:
                    found.append(f"{where}: on-site group without a room")
                elif room.location != group.location or room.capacity < len(people):
                    found.append(f"{where}: room {room.id} wrong place or too small")
            for person in people:
                is_facilitator = person == group.facilitator_id
                rule = problem.facilitator_no if is_facilitator else problem.member_no
                if rule == NoRule.HARD and answer_of(problem, person, m.date, m.start) == Answer.NO:
                    found.append(f"{where}: {person} answered a hard 'no'")
            meetings.append((group.id, set(people), m.room_id, begin, end))
    for (g1, p1, r1, b1, e1), (g2, p2, r2, b2, e2) in combinations(meetings, 2):
        if b1 < e2 and b2 < e1:
            if p1 & p2:
                found.append(f"{sorted(p1 & p2)} in {g1} and {g2} at once ({b1}, {b2})")
            if r1 is not None and r1 == r2:
                found.append(f"room {r1} booked by {g1} and {g2} at once ({b1}, {b2})")
    return found
