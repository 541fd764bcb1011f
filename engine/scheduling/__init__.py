"""Meeting-series planning for intervision groups (OR-Tools CP-SAT, no Django).

    from engine.scheduling import SchedulingProblem, solve
    result = solve(problem, time_limit_s=30, seed=0)

See README.md for the rules, the objective and the JSON format of the CLI.
"""

from .jsonio import problem_from_json, result_to_json
from .model import (
    Answer,
    AnswerCounts,
    AvailabilityAnswer,
    Group,
    GroupPlan,
    NoRule,
    PlannedMeeting,
    PlanStatus,
    ProgressEvent,
    Reason,
    ReasonCode,
    Room,
    SchedulingInputError,
    SchedulingProblem,
    SchedulingResult,
    Weights,
)
from .planner import solve

__all__ = [
    "Answer",
    "AnswerCounts",
    "AvailabilityAnswer",
    "Group",
    "GroupPlan",
    "NoRule",
    "PlannedMeeting",
    "PlanStatus",
    "ProgressEvent",
    "Reason",
    "ReasonCode",
    "Room",
    "SchedulingInputError",
    "SchedulingProblem",
    "SchedulingResult",
    "Weights",
    "problem_from_json",
    "result_to_json",
    "solve",
]
