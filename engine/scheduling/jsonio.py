"""The CLI's JSON format (documented in README.md), parsed strictly with one-line errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model import (
    Answer,
    AvailabilityAnswer,
    Group,
    NoRule,
    Reason,
    Room,
    SchedulingInputError,
    SchedulingProblem,
    SchedulingResult,
    Weights,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TOP_LEVEL_KEYS = {
    "window",
    "start_times",
    "weekdays",
    "duration_minutes",
    "meeting_count",
    "min_gap_days",
    "max_gap_days",
    "dutch_holidays",
    "blackout_dates",
    "default_answer",
    "no_answers",
    "weights",
    "rooms",
    "groups",
    "answers",
}


def _fail(where: str, message: str) -> None:
    raise SchedulingInputError(f"{where}: {message}")


def _object(value: Any, where: str, required: set[str], optional: set[str]) -> dict:
    if not isinstance(value, dict):
        _fail(where, "expected an object")
    missing = sorted(required - value.keys())
    if missing:
        _fail(where, f"missing key {missing[0]!r}")
    unknown = sorted(value.keys() - required - optional)
    if unknown:
        _fail(where, f"unknown key {unknown[0]!r}")
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        _fail(where, "expected a list")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        _fail(where, "expected a non-empty string")
    return value


def _int(value: Any, where: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        _fail(where, f"expected an integer of at least {minimum}")
    return value


def _date(value: Any, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        _fail(where, f"expected a date like 2027-01-05, got {value!r}")


def _time(value: Any, where: str) -> dt.time:
    try:
        parsed = dt.datetime.strptime(value, "%H:%M")  # noqa: DTZ007 - a wall-clock time
    except (TypeError, ValueError):
        _fail(where, f"expected a time like 09:30, got {value!r}")
    return parsed.time()


def _choice(value: Any, where: str, enum: type) -> Any:
    try:
        return enum(value)
    except ValueError:
        options = ", ".join(member.value for member in enum)
        _fail(where, f"expected one of {options}, got {value!r}")


def problem_from_json(data: Any) -> SchedulingProblem:
    data = _object(data, "input", {"window", "start_times", "groups"}, TOP_LEVEL_KEYS)
    window = _object(data["window"], "window", {"start", "end"}, set())
    kwargs: dict[str, Any] = {
        "window_start": _date(window["start"], "window.start"),
        "window_end": _date(window["end"], "window.end"),
        "start_times": tuple(
            _time(t, f"start_times[{i}]")
            for i, t in enumerate(_list(data["start_times"], "start_times"))
        ),
        "groups": tuple(
            _group(g, f"groups[{i}]") for i, g in enumerate(_list(data["groups"], "groups"))
        ),
    }
    if "weekdays" in data:
        kwargs["weekdays"] = tuple(
            _weekday(w, f"weekdays[{i}]") for i, w in enumerate(_list(data["weekdays"], "weekdays"))
        )
    for key, minimum in (("duration_minutes", 1), ("meeting_count", 1), ("min_gap_days", 1)):
        if key in data:
            kwargs[key] = _int(data[key], key, minimum)
    if data.get("max_gap_days") is not None:
        kwargs["max_gap_days"] = _int(data["max_gap_days"], "max_gap_days", 1)
    if "dutch_holidays" in data:
        if not isinstance(data["dutch_holidays"], bool):
            _fail("dutch_holidays", "expected true or false")
        kwargs["dutch_holidays"] = data["dutch_holidays"]
    if "blackout_dates" in data:
        kwargs["blackout_dates"] = tuple(
            day
            for i, entry in enumerate(_list(data["blackout_dates"], "blackout_dates"))
            for day in _blackout(entry, f"blackout_dates[{i}]")
        )
    if "default_answer" in data:
        kwargs["default_answer"] = _choice(data["default_answer"], "default_answer", Answer)
    if "no_answers" in data:
        rules = _object(data["no_answers"], "no_answers", set(), {"facilitator", "member"})
        if "facilitator" in rules:
            kwargs["facilitator_no"] = _choice(
                rules["facilitator"], "no_answers.facilitator", NoRule
            )
        if "member" in rules:
            kwargs["member_no"] = _choice(rules["member"], "no_answers.member", NoRule)
    if "weights" in data:
        weights = _object(data["weights"], "weights", set(), {"no", "if_need_be", "travel"})
        kwargs["weights"] = Weights(**{k: _int(v, f"weights.{k}", 0) for k, v in weights.items()})
    if "rooms" in data:
        kwargs["rooms"] = tuple(
            _room(r, f"rooms[{i}]") for i, r in enumerate(_list(data["rooms"], "rooms"))
        )
    if "answers" in data:
        kwargs["answers"] = tuple(
            _answer(a, f"answers[{i}]") for i, a in enumerate(_list(data["answers"], "answers"))
        )
    return SchedulingProblem(**kwargs)


def _weekday(value: Any, where: str) -> int:
    if isinstance(value, str) and value.lower()[:3] in WEEKDAYS:
        return WEEKDAYS.index(value.lower()[:3])
    _fail(where, f"expected a weekday such as mon or tue, got {value!r}")


def _blackout(entry: Any, where: str) -> list[dt.date]:
    if isinstance(entry, str):
        return [_date(entry, where)]
    span = _object(entry, where, {"from", "to"}, set())
    first = _date(span["from"], f"{where}.from")
    last = _date(span["to"], f"{where}.to")
    if last < first:
        _fail(where, "'to' is before 'from'")
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def _group(value: Any, where: str) -> Group:
    value = _object(
        value,
        where,
        {"id", "members"},
        {"facilitator", "location", "meeting_count", "fixed_dates", "busy"},
    )
    members = tuple(
        _string(m, f"{where}.members[{i}]")
        for i, m in enumerate(_list(value["members"], f"{where}.members"))
    )
    facilitator = value.get("facilitator")
    location = value.get("location")
    count = value.get("meeting_count")
    return Group(
        id=_string(value["id"], f"{where}.id"),
        member_ids=members,
        facilitator_id=None
        if facilitator is None
        else _string(facilitator, f"{where}.facilitator"),
        location=None if location is None else _string(location, f"{where}.location"),
        meeting_count=None if count is None else _int(count, f"{where}.meeting_count", 1),
        fixed_dates=tuple(
            _date(d, f"{where}.fixed_dates[{i}]")
            for i, d in enumerate(_list(value.get("fixed_dates", []), f"{where}.fixed_dates"))
        ),
        busy=tuple(
            _busy(b, f"{where}.busy[{i}]")
            for i, b in enumerate(_list(value.get("busy", []), f"{where}.busy"))
        ),
    )


def _busy(value: Any, where: str) -> tuple[dt.date, dt.time, dt.time]:
    value = _object(value, where, {"date", "start", "end"}, set())
    return (
        _date(value["date"], f"{where}.date"),
        _time(value["start"], f"{where}.start"),
        _time(value["end"], f"{where}.end"),
    )


def _room(value: Any, where: str) -> Room:
    value = _object(value, where, {"id", "capacity", "location"}, set())
    return Room(
        id=_string(value["id"], f"{where}.id"),
        capacity=_int(value["capacity"], f"{where}.capacity", 1),
        location=_string(value["location"], f"{where}.location"),
    )


def _answer(value: Any, where: str) -> AvailabilityAnswer:
    value = _object(value, where, {"person", "date", "answer"}, {"start"})
    start = value.get("start")
    return AvailabilityAnswer(
        person_id=_string(value["person"], f"{where}.person"),
        date=_date(value["date"], f"{where}.date"),
        answer=_choice(value["answer"], f"{where}.answer", Answer),
        start=None if start is None else _time(start, f"{where}.start"),
    )


def result_to_json(result: SchedulingResult) -> dict[str, Any]:
    return {
        "status": result.status.value,
        "feasible": result.feasible,
        "objective": result.objective,
        "best_bound": result.best_bound,
        "solver_bound": result.solver_bound,
        "gap": result.gap,
        "elapsed_s": round(result.elapsed_s, 3),
        "first_solution_s": None
        if result.first_solution_s is None
        else round(result.first_solution_s, 3),
        "answer_counts": {
            "yes": result.answer_counts.yes,
            "if_need_be": result.answer_counts.if_need_be,
            "no": result.answer_counts.no,
        },
        "travel_days": result.travel_days,
        "plans": [
            {
                "group": plan.group_id,
                "meetings": [
                    {
                        "index": m.index,
                        "date": m.date.isoformat(),
                        "start": m.start.strftime("%H:%M"),
                        "end": m.end.strftime("%H:%M"),
                        "location": m.location,
                        "room": m.room_id,
                    }
                    for m in plan.meetings
                ],
            }
            for plan in result.plans
        ],
        "explanation": list(result.explanation),
        "reasons": [reason_to_json(reason) for reason in result.reasons],
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return (
            value.isoformat(timespec="minutes") if isinstance(value, dt.time) else value.isoformat()
        )
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def reason_to_json(reason: Reason) -> dict[str, Any]:
    """A reason as JSON: dates as YYYY-MM-DD, times as HH:MM."""
    return {
        "code": reason.code.value,
        "text": reason.text,
        "group": reason.group_id,
        "groups": list(reason.group_ids),
        "people": list(reason.person_ids),
        "facilitator": reason.facilitator_id,
        "rooms": list(reason.room_ids),
        "location": reason.location,
        "params": {key: _plain(value) for key, value in reason.params.items()},
    }
