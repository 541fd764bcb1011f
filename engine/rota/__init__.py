"""A fair role rota for an intervision group's meetings, following the phase-out plan.

    from engine.rota import RotaProblem, MeetingSlot, propose, repair
    result = propose(problem)
    fixed = repair(problem, result, meeting="m3", absent="ann")

No Django: dataclasses in and out. ``python -m engine.rota`` reads and writes JSON.
"""

from .model import (
    ROLES,
    Assignment,
    MeetingRota,
    MeetingSlot,
    Reason,
    ReasonCode,
    RepairResult,
    Role,
    RotaInputError,
    RotaProblem,
    RotaResult,
    Stage,
    Takeover,
)
from .solver import propose, repair

__all__ = [
    "ROLES",
    "Assignment",
    "MeetingRota",
    "MeetingSlot",
    "Reason",
    "ReasonCode",
    "RepairResult",
    "Role",
    "RotaInputError",
    "RotaProblem",
    "RotaResult",
    "Stage",
    "Takeover",
    "propose",
    "repair",
]
