"""Plain data in and out of the scheduler: what the Django app translates to and from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Answer(StrEnum):
    YES = "yes"
    IF_NEED_BE = "if_need_be"
    NO = "no"


class NoRule(StrEnum):
    """How a "no" answer binds: never scheduled (hard) or a heavy penalty (soft)."""

    HARD = "hard"
    SOFT = "soft"


class PlanStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class ReasonCode(StrEnum):
    """Why a plan is impossible, or which compromise a plan makes (see README)."""

    NO_ROOM_AT_LOCATION = "no_room_at_location"
    ROOM_TOO_SMALL = "room_too_small"
    TOO_FEW_DATES = "too_few_dates"
    MIN_GAP_DOES_NOT_FIT = "min_gap_does_not_fit"
    GAPS_DO_NOT_FIT = "gaps_do_not_fit"
    PERSON_OVERBOOKED = "person_overbooked"
    ROOMS_OVERBOOKED = "rooms_overbooked"
    RELAX_MEETING_COUNT = "relax_meeting_count"
    RELAX_MIN_GAP = "relax_min_gap"
    RELAX_MAX_GAP = "relax_max_gap"
    RELAX_DOUBLE_BOOKING = "relax_double_booking"
    RELAX_ROOMS = "relax_rooms"
    RELAX_NO_ANSWER = "relax_no_answer"
    NO_SINGLE_RULE = "no_single_rule"
    TIME_LIMIT = "time_limit"
    MEMBER_ANSWERED_NO = "member_answered_no"
    FACILITATOR_TRAVELS = "facilitator_travels"


@dataclass(frozen=True)
class Reason:
    """One structured explanation line: a rule code, the entities it is about, and the
    numbers behind it, so an application can word it in its own language and names.

    `text` is the same line in plain English (for the CLI and logs). `params` holds ints,
    strings, dates and lists of them; which keys each code carries is in the README.
    """

    code: ReasonCode
    text: str
    group_id: str | None = None
    group_ids: tuple[str, ...] = ()
    person_ids: tuple[str, ...] = ()
    facilitator_id: str | None = None
    room_ids: tuple[str, ...] = ()
    location: str | None = None
    params: Mapping[str, object] = field(default_factory=dict)


class SchedulingInputError(ValueError):
    """The problem is malformed (not merely infeasible); the message is one line."""


@dataclass(frozen=True)
class Group:
    id: str
    member_ids: Sequence[str]
    facilitator_id: str | None = None
    # None means the group meets online and needs no room.
    location: str | None = None
    # None means the problem's meeting_count.
    meeting_count: int | None = None
    # Dates the group already meets on (planned earlier, not part of this plan): new
    # meetings keep min_gap_days from them too.
    fixed_dates: Sequence[dt.date] = ()
    # (date, start, end) when one of its people is already booked elsewhere (a meeting
    # planned earlier): new meetings of the group do not overlap these.
    busy: Sequence[tuple[dt.date, dt.time, dt.time]] = ()

    @property
    def person_ids(self) -> tuple[str, ...]:
        people = tuple(self.member_ids)
        if self.facilitator_id is not None:
            people += (self.facilitator_id,)
        return people

    @property
    def size(self) -> int:
        return len(self.person_ids)


@dataclass(frozen=True)
class Room:
    id: str
    capacity: int
    location: str


@dataclass(frozen=True)
class AvailabilityAnswer:
    person_id: str
    date: dt.date
    answer: Answer
    # None answers for every candidate start time of that date; an answer for a
    # specific start time overrides a whole-day answer.
    start: dt.time | None = None


@dataclass(frozen=True)
class Weights:
    """Objective costs per person per meeting ("yes" costs nothing) and per travel day."""

    no: int = 100
    if_need_be: int = 10
    travel: int = 3


@dataclass(frozen=True)
class SchedulingProblem:
    groups: Sequence[Group]
    window_start: dt.date
    window_end: dt.date
    start_times: Sequence[dt.time]
    meeting_count: int = 6
    min_gap_days: int = 14
    max_gap_days: int | None = None
    # 0 is Monday, 6 is Sunday (datetime.date.weekday()).
    weekdays: Sequence[int] = (0, 1, 2, 3, 4)
    duration_minutes: int = 120
    rooms: Sequence[Room] = ()
    blackout_dates: Sequence[dt.date] = ()
    dutch_holidays: bool = True
    answers: Sequence[AvailabilityAnswer] = ()
    default_answer: Answer = Answer.YES
    facilitator_no: NoRule = NoRule.HARD
    member_no: NoRule = NoRule.SOFT
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class PlannedMeeting:
    group_id: str
    index: int  # 1-based position in the group's series
    date: dt.date
    start: dt.time
    end: dt.time
    location: str | None
    room_id: str | None


@dataclass(frozen=True)
class GroupPlan:
    group_id: str
    meetings: tuple[PlannedMeeting, ...]


@dataclass(frozen=True)
class AnswerCounts:
    """Person-meetings per answer in the plan (unanswered counts as the default answer)."""

    yes: int = 0
    if_need_be: int = 0
    no: int = 0


@dataclass(frozen=True)
class ProgressEvent:
    elapsed_s: float
    objective: int
    best_bound: float | None
    source: str  # "greedy" or "cp-sat"


@dataclass(frozen=True)
class SchedulingResult:
    status: PlanStatus
    plans: tuple[GroupPlan, ...]
    objective: int | None
    best_bound: float | None
    elapsed_s: float
    first_solution_s: float | None
    reasons: tuple[Reason, ...]
    answer_counts: AnswerCounts = AnswerCounts()
    travel_days: int = 0
    # CP-SAT's own bound; best_bound also uses the per-group floor (see README)
    solver_bound: float | None = None

    @property
    def explanation(self) -> tuple[str, ...]:
        """The reasons as plain English lines."""
        return tuple(reason.text for reason in self.reasons)

    @property
    def feasible(self) -> bool:
        return self.status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)

    @property
    def gap(self) -> float | None:
        """Relative distance between the plan's cost and CP-SAT's proven lower bound."""
        if self.objective is None or self.best_bound is None:
            return None
        return (self.objective - self.best_bound) / max(1.0, abs(self.objective))
