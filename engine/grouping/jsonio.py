"""The JSON input format of the CLI (documented in README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from engine.grouping.mdgplib import InputError
from engine.grouping.model import (
    CannotLink,
    CategoricalAttribute,
    GroupingProblem,
    OrdinalAttribute,
    PastPair,
    Person,
    Wish,
)

_TOP_KEYS = {"people", "attributes", "groups", "cannot_link", "wishes", "history", "locks"}
_TOP_KEYS |= {"weights"}


def _obj(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise InputError(f"{where} must be a JSON object")
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise InputError(f"{where} must be a JSON list")
    return value


def _keys(value: dict, allowed: set[str], required: set[str], where: str) -> None:
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise InputError(f"{where}: unknown field {unknown[0]!r}")
    missing = sorted(required - set(value))
    if missing:
        raise InputError(f"{where}: missing field {missing[0]!r}")


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where} must be a number")
    return float(value)


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where} must be a whole number")
    return value


def _pair(value: Any, where: str) -> tuple[int, int]:
    items = _list(value, where)
    if len(items) != 2:
        raise InputError(f"{where} must be [min, max]")
    return _int(items[0], where), _int(items[1], where)


def problem_from_json(data: Any) -> GroupingProblem:
    data = _obj(data, "the input")
    _keys(data, _TOP_KEYS, {"people", "groups"}, "the input")
    people = []
    for k, raw in enumerate(_list(data["people"], "people")):
        where = f"people[{k}]"
        raw = _obj(raw, where)
        _keys(raw, {"id", "attributes", "manager"}, {"id"}, where)
        if not isinstance(raw["id"], str | int) or isinstance(raw["id"], bool):
            raise InputError(f"{where}.id must be a string or a number")
        attributes = _obj(raw.get("attributes", {}), f"{where}.attributes")
        for name, value in attributes.items():
            if value is not None and not isinstance(value, str | int | float):
                raise InputError(f"{where}.attributes.{name} must be a string or a number")
        manager = raw.get("manager")
        people.append(Person(str(raw["id"]), attributes, None if manager is None else str(manager)))

    attrs = _obj(data.get("attributes", {}), "attributes")
    _keys(attrs, {"categorical", "ordinal"}, set(), "attributes")
    categorical = []
    for k, raw in enumerate(_list(attrs.get("categorical", []), "attributes.categorical")):
        where = f"attributes.categorical[{k}]"
        raw = _obj(raw, where)
        _keys(raw, {"name", "weight", "prefer"}, {"name"}, where)
        prefer = raw.get("prefer", "different")
        if prefer not in ("different", "same"):
            raise InputError(f"{where}.prefer must be 'different' or 'same'")
        categorical.append(
            CategoricalAttribute(
                str(raw["name"]), _number(raw.get("weight", 1.0), f"{where}.weight"), prefer
            )
        )
    ordinal = []
    for k, raw in enumerate(_list(attrs.get("ordinal", []), "attributes.ordinal")):
        where = f"attributes.ordinal[{k}]"
        raw = _obj(raw, where)
        _keys(raw, {"name", "penalty_per_step", "max_spread"}, {"name"}, where)
        spread = raw.get("max_spread")
        ordinal.append(
            OrdinalAttribute(
                str(raw["name"]),
                _number(raw.get("penalty_per_step", 0.0), f"{where}.penalty_per_step"),
                None if spread is None else _number(spread, f"{where}.max_spread"),
            )
        )

    groups = _obj(data["groups"], "groups")
    _keys(groups, {"size", "count", "bounds"}, set(), "groups")
    size = count = bounds = None
    if "bounds" in groups:
        bounds = [_pair(b, f"groups.bounds[{k}]") for k, b in enumerate(groups["bounds"])]
    if "size" in groups:
        size = _pair(groups["size"], "groups.size")
    if "count" in groups:
        count = _int(groups["count"], "groups.count")
        if count < 1:
            raise InputError("groups.count must be at least 1")
    if bounds is None and size is None:
        raise InputError("groups needs 'size' ([min, max]) or 'bounds' ([[min, max], ...])")
    if bounds is not None and (size is not None or count is not None):
        raise InputError("groups takes either 'bounds' or 'size'/'count', not both")

    cannot = []
    for k, raw in enumerate(_list(data.get("cannot_link", []), "cannot_link")):
        where = f"cannot_link[{k}]"
        raw = _obj(raw, where)
        _keys(raw, {"a", "b", "reason"}, {"a", "b"}, where)
        reason = raw.get("reason", "rule")
        if reason not in ("manager", "not_with", "rule"):
            raise InputError(f"{where}.reason must be 'manager', 'not_with' or 'rule'")
        cannot.append(CannotLink(str(raw["a"]), str(raw["b"]), reason))
    wishes = []
    for k, raw in enumerate(_list(data.get("wishes", []), "wishes")):
        where = f"wishes[{k}]"
        raw = _obj(raw, where)
        _keys(raw, {"person", "other", "weight"}, {"person", "other"}, where)
        weight = _number(raw.get("weight", 1.0), f"{where}.weight")
        wishes.append(Wish(str(raw["person"]), str(raw["other"]), weight))
    history = []
    for k, raw in enumerate(_list(data.get("history", []), "history")):
        where = f"history[{k}]"
        raw = _obj(raw, where)
        _keys(raw, {"a", "b", "times"}, {"a", "b"}, where)
        history.append(
            PastPair(str(raw["a"]), str(raw["b"]), _int(raw.get("times", 1), f"{where}.times"))
        )
    locks = {
        str(pid): _int(g, f"locks.{pid}") for pid, g in _obj(data.get("locks", {}), "locks").items()
    }
    weights = _obj(data.get("weights", {}), "weights")
    _keys(weights, {"wish_bonus", "history_penalty", "pair_cost"}, set(), "weights")
    return GroupingProblem(
        people=people,
        categorical=categorical,
        ordinal=ordinal,
        group_size=size,
        group_count=count,
        group_bounds=bounds,
        cannot_link=cannot,
        wishes=wishes,
        history=history,
        locks=locks,
        wish_bonus=_number(weights.get("wish_bonus", 1.0), "weights.wish_bonus"),
        history_penalty=_number(weights.get("history_penalty", 1.0), "weights.history_penalty"),
        pair_cost=_number(weights.get("pair_cost", 0.0), "weights.pair_cost"),
    )


def read_json_problem(path: str | Path) -> GroupingProblem:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON: {exc}") from None
    return problem_from_json(data)
