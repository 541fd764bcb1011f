"""Plain data in and out of the rota engine (no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum


class Role(StrEnum):
    PROCESS_FACILITATOR = "process_facilitator"
    PRESENTER = "presenter"
    TIMEKEEPER = "timekeeper"
    NOTE_TAKER = "note_taker"


# The order in which a meeting's roles are listed.
ROLES: tuple[Role, ...] = (
    Role.PROCESS_FACILITATOR,
    Role.PRESENTER,
    Role.TIMEKEEPER,
    Role.NOTE_TAKER,
)


class Stage(IntEnum):
    """The phase-out plan (afbouw): who may take the process role at a meeting."""

    FACILITATOR_LEADS = 1  # no member is process facilitator
    MEMBER_WITH_FACILITATOR = 2  # a member is, the facilitator sits beside them
    MEMBERS_LEAD = 3  # members lead, the facilitator only observes
    SELF_RUNNING = 4  # the group runs itself, the facilitator is on call

    @property
    def member_leads(self) -> bool:
        return self is not Stage.FACILITATOR_LEADS


class ReasonCode(StrEnum):
    TOO_FEW_PRESENT = "too_few_present"  # fewer members present than roles
    NO_WILLING_PRESENTER = "no_willing_presenter"  # nobody present wants to present
    FEWER_PRESENTERS = "fewer_presenters"  # two asked, only one willing present (warning)
    PRESENTER_AGAIN = "presenter_again"  # presents again while a willing member has not
    UNKNOWN_MEMBER = "unknown_member"  # an absentee or volunteer who is not a member
    NOT_IN_ROTA = "not_in_rota"  # repair: the meeting is not in the rota


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    meeting: str | None = None
    member: str | None = None
    needed: int | None = None
    available: int | None = None
    fatal: bool = True


@dataclass(frozen=True)
class MeetingSlot:
    key: str
    absent: frozenset[str] = frozenset()
    presenters: int = 1  # 1 or 2
    stage: Stage = Stage.MEMBER_WITH_FACILITATOR
    # Roles that stay as they are (a swap accepted, a change by hand): (member, role).
    fixed: tuple[tuple[str, Role], ...] = ()

    def roles_needed(self) -> int:
        return self.wanted_presenters() + 2 + (1 if Stage(self.stage).member_leads else 0)

    def fixed_presenters(self) -> tuple[str, ...]:
        return tuple(member for member, role in self.fixed if Role(role) is Role.PRESENTER)

    def wanted_presenters(self) -> int:
        """As many as asked, and never fewer than the fixed presenters."""
        return max(self.presenters, len(self.fixed_presenters()))


@dataclass(frozen=True)
class RotaProblem:
    members: tuple[str, ...]
    meetings: tuple[MeetingSlot, ...]
    # None: every member wants to present.
    wants_to_present: frozenset[str] | None = None
    # Earlier counts: member -> role -> times held.
    history: dict[str, dict[Role, int]] = field(default_factory=dict)

    def willing(self) -> frozenset[str]:
        if self.wants_to_present is None:
            return frozenset(self.members)
        return frozenset(self.wants_to_present) & frozenset(self.members)


@dataclass(frozen=True)
class Assignment:
    meeting: str
    member: str
    role: Role


@dataclass
class MeetingRota:
    key: str
    stage: Stage
    process_facilitator: str | None = None
    presenters: tuple[str, ...] = ()
    timekeeper: str | None = None
    note_taker: str | None = None
    questioners: tuple[str, ...] = ()

    def holders(self) -> dict[Role, tuple[str, ...]]:
        def one(value):
            return (value,) if value else ()

        return {
            Role.PROCESS_FACILITATOR: one(self.process_facilitator),
            Role.PRESENTER: tuple(self.presenters),
            Role.TIMEKEEPER: one(self.timekeeper),
            Role.NOTE_TAKER: one(self.note_taker),
        }

    def assignments(self) -> list[Assignment]:
        return [
            Assignment(self.key, member, role)
            for role, members in self.holders().items()
            for member in members
        ]

    def role_of(self, member: str) -> Role | None:
        for role, members in self.holders().items():
            if member in members:
                return role
        return None


@dataclass
class RotaResult:
    meetings: list[MeetingRota]
    reasons: list[Reason] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(r.fatal for r in self.reasons)

    def meeting(self, key: str) -> MeetingRota | None:
        return next((m for m in self.meetings if m.key == key), None)

    def counts(
        self, history: dict[str, dict[Role, int]] | None = None
    ) -> dict[str, dict[Role, int]]:
        totals: dict[str, dict[Role, int]] = {}
        for member, roles in (history or {}).items():
            totals[member] = {Role(r): n for r, n in roles.items()}
        for meeting in self.meetings:
            for a in meeting.assignments():
                totals.setdefault(a.member, {})
                totals[a.member][a.role] = totals[a.member].get(a.role, 0) + 1
        return totals


@dataclass(frozen=True)
class Takeover:
    """After an absence: who takes over which role (from is the person who held it)."""

    meeting: str
    role: Role
    previous: str
    member: str | None  # None: nobody could take it over (see the reasons)


@dataclass
class RepairResult:
    rota: RotaResult
    takeovers: list[Takeover]
    reasons: list[Reason] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(r.fatal for r in self.reasons)


class RotaInputError(ValueError):
    pass
