"""Plain data that goes into and comes out of the grouping engine.

Two kinds of problem share one result type:

* ``MatrixProblem``: an explicit pair-score matrix and per-group size bounds (MDGPLIB).
* ``GroupingProblem``: people with attributes, wishes, history and hard rules, as the
  Kring app knows them. Its objective is evaluated from per-group attribute counts, so
  no n x n matrix is ever built for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np


@dataclass(frozen=True)
class CategoricalAttribute:
    """A label such as department, location or profession.

    ``prefer="different"`` earns ``weight`` for every pair in a group whose labels differ
    (diversity); ``prefer="same"`` earns it for every pair whose labels are equal.
    A person without a value for the attribute counts as a label of their own.
    """

    name: str
    weight: float = 1.0
    prefer: Literal["different", "same"] = "different"


@dataclass(frozen=True)
class OrdinalAttribute:
    """An integer scale such as function level.

    Every pair in a group costs ``penalty_per_step`` per step of difference. A
    ``max_spread`` is a hard rule: within one group, highest minus lowest value never
    exceeds it. A person without a value is exempt from both the penalty and the
    spread rule.
    """

    name: str
    penalty_per_step: float = 0.0
    max_spread: int | None = None


@dataclass(frozen=True)
class Person:
    """One participant. ``manager`` is the id of their line manager, if known."""

    id: str
    attributes: Mapping[str, str | int] = field(default_factory=dict)
    manager: str | None = None


CannotLinkReason = Literal["manager", "not_with", "rule"]


@dataclass(frozen=True)
class CannotLink:
    """Two people who must never share a group, and why (used in explanations)."""

    a: str
    b: str
    reason: CannotLinkReason = "rule"


@dataclass(frozen=True)
class Wish:
    """``person`` would preferably be in a group with ``other``; granting it earns ``weight``
    (multiplied by the problem's ``wish_bonus``)."""

    person: str
    other: str
    weight: float = 1.0


@dataclass(frozen=True)
class PastPair:
    """Two people who were in a group together before; sharing a group again costs
    ``times`` x the problem's ``history_penalty``."""

    a: str
    b: str
    times: int = 1


@dataclass
class GroupingProblem:
    """People to be split into groups.

    Group sizes are given either as ``group_bounds`` (one ``(min, max)`` per group) or as
    ``group_size`` (one ``(min, max)`` range for all groups) with an optional
    ``group_count``; without a count the engine chooses the number of groups whose
    average size is closest to the middle of the range.

    ``locks`` maps a person id to a 0-based group index they must be in.
    Managers (``Person.manager``) and their direct reports never share a group.

    ``pair_cost`` is subtracted for every pair that shares a group. Diversity rewards
    grow with the number of pairs, which pulls the search towards groups at the maximum
    size and others at the minimum; as the number of pairs is smallest when sizes are
    equal, a pair cost (about the average reward of a pair) keeps sizes balanced.
    """

    people: Sequence[Person]
    categorical: Sequence[CategoricalAttribute] = ()
    ordinal: Sequence[OrdinalAttribute] = ()
    group_size: tuple[int, int] | None = None
    group_count: int | None = None
    group_bounds: Sequence[tuple[int, int]] | None = None
    cannot_link: Sequence[CannotLink] = ()
    wishes: Sequence[Wish] = ()
    history: Sequence[PastPair] = ()
    locks: Mapping[str, int] = field(default_factory=dict)
    wish_bonus: float = 1.0
    history_penalty: float = 1.0
    pair_cost: float = 0.0


@dataclass
class MatrixProblem:
    """Maximise the sum of ``scores[i, j]`` over pairs i < j sharing a group.

    ``scores`` must be symmetric; ``bounds`` holds ``(min, max)`` per group. ``ids``
    default to ``0 .. n-1``. Optional ``cannot_link`` holds pairs of 0-based indices.
    """

    scores: np.ndarray
    bounds: Sequence[tuple[int, int]]
    ids: Sequence[str | int] | None = None
    cannot_link: Sequence[tuple[int, int]] = ()


@dataclass(frozen=True)
class Explanation:
    """One reason, as data: why no grouping exists, or which hard rule given groups break.

    ``rule`` names the rule at stake (``size_bounds``, ``group_count``, ``cannot_link``,
    ``level_spread``, ``lock``, ``combination``, ``search``, ``input``); ``code`` says
    exactly what is wrong, with the numbers in ``params``; ``people`` are the ids
    involved and ``group`` the 0-based group it is about, if any. An app words it in its
    own language; ``message`` and ``suggestion`` give the English (for the CLI). The
    codes and their parameters are listed in README.md.
    """

    rule: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    people: tuple[str | int, ...] = ()
    group: int | None = None

    @property
    def message(self) -> str:
        from engine.grouping.english import message

        return message(self)

    @property
    def suggestion(self) -> str:
        from engine.grouping.english import suggestion

        return suggestion(self)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "code": self.code,
            "params": dict(self.params),
            "people": list(self.people),
            "group": self.group,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Progress:
    """Passed to the progress callback; returning ``False`` from the callback stops the
    search early (the best answer so far is returned)."""

    elapsed_s: float
    iterations: int
    best_objective: float


ProgressCallback = Callable[[Progress], "bool | None"]


@dataclass
class GroupingResult:
    """The answer. ``groups`` hold ids (person ids, or matrix indices / ``ids``).

    ``feasible`` is False when no grouping satisfies every hard rule; ``groups`` is then
    empty and ``explanation`` says why. ``proven_optimal`` is True when the objective is
    proven to be the best possible (small inputs). ``unmet_wishes`` lists (person, other)
    wishes that the answer does not grant.
    """

    feasible: bool
    objective: float
    groups: list[list[str | int]]
    elapsed_s: float
    explanation: list[Explanation] = field(default_factory=list)
    proven_optimal: bool = False
    iterations: int = 0
    unmet_wishes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def searched(self) -> bool:
        """True when the answer came from a search (exact, or at least one local-search
        step), False when it is only the greedy start (the time ran out before any step)."""
        return self.proven_optimal or self.iterations > 0

    def as_dict(self) -> dict:
        return {
            "objective": self.objective,
            "groups": self.groups,
            "feasible": self.feasible,
            "elapsed_s": round(self.elapsed_s, 3),
            "explanation": [e.as_dict() for e in self.explanation],
        }
