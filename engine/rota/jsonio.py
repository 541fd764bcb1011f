"""JSON in and out of the rota engine."""

from __future__ import annotations

from dataclasses import asdict

from .model import (
    MeetingRota,
    MeetingSlot,
    RepairResult,
    Role,
    RotaInputError,
    RotaProblem,
    RotaResult,
    Stage,
)


def problem_from_json(data: dict) -> RotaProblem:
    try:
        members = tuple(str(m) for m in data["members"])
        meetings = tuple(
            MeetingSlot(
                key=str(m["key"]),
                absent=frozenset(str(a) for a in m.get("absent", ())),
                presenters=int(m.get("presenters", 1)),
                stage=Stage(int(m.get("stage", 2))),
                fixed=tuple(
                    (str(member), Role(role)) for member, role in m.get("fixed", {}).items()
                ),
            )
            for m in data["meetings"]
        )
        wants = data.get("wants_to_present")
        history = {
            str(member): {Role(role): int(n) for role, n in roles.items()}
            for member, roles in data.get("history", {}).items()
        }
    except (KeyError, TypeError, ValueError) as error:
        raise RotaInputError(f"bad rota input: {error}") from error
    return RotaProblem(
        members=members,
        meetings=meetings,
        wants_to_present=None if wants is None else frozenset(str(w) for w in wants),
        history=history,
    )


def rota_from_json(data: dict) -> RotaResult:
    return RotaResult(
        meetings=[
            MeetingRota(
                key=str(m["key"]),
                stage=Stage(int(m["stage"])),
                process_facilitator=m.get("process_facilitator"),
                presenters=tuple(m.get("presenters", ())),
                timekeeper=m.get("timekeeper"),
                note_taker=m.get("note_taker"),
                questioners=tuple(m.get("questioners", ())),
            )
            for m in data["meetings"]
        ]
    )


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Stage):
        return int(value)
    if isinstance(value, Role):
        return value.value
    return value


def result_to_json(result: RotaResult) -> dict:
    return {
        "ok": result.ok,
        "meetings": [_plain(asdict(m)) for m in result.meetings],
        "reasons": [_plain(asdict(r)) for r in result.reasons],
    }


def repair_to_json(result: RepairResult) -> dict:
    return {
        "ok": result.ok,
        "rota": result_to_json(result.rota),
        "takeovers": [_plain(asdict(t)) for t in result.takeovers],
        "reasons": [_plain(asdict(r)) for r in result.reasons],
    }
