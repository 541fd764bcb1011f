"""The aggregate of a meeting's check: what the group and its facilitator see."""

import random
from dataclasses import dataclass, field
from datetime import datetime

from .models import RATINGS


@dataclass(frozen=True)
class Rating:
    average: float
    # (rating, count, percentage of the answers) for 1 to 5
    distribution: list[tuple[int, int, int]]


@dataclass(frozen=True)
class CheckResults:
    answered: int
    minimum: int
    # False while the check still takes answers and not everyone asked has answered.
    released: bool = True
    closes_at: datetime | None = None
    usefulness: Rating | None = None
    safety: Rating | None = None
    remarks: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.answered >= self.minimum and self.released

    @property
    def missing(self) -> int:
        return max(self.minimum - self.answered, 0)


def _rating(values: list[int]) -> Rating:
    total = len(values)
    return Rating(
        average=round(sum(values) / total, 1),
        distribution=[
            (value, values.count(value), round(100 * values.count(value) / total))
            for value in RATINGS
        ],
    )


def summarise(
    answers: list, minimum: int, *, released: bool = True, closes_at: datetime | None = None
) -> CheckResults:
    """Averages, distributions and the remarks in random order; or only the count while
    fewer than `minimum` answered or the results are not released yet."""
    if len(answers) < minimum or not released:
        return CheckResults(
            answered=len(answers), minimum=minimum, released=released, closes_at=closes_at
        )
    remarks = [answer.remark for answer in answers if answer.remark.strip()]
    random.SystemRandom().shuffle(remarks)
    return CheckResults(
        answered=len(answers),
        minimum=minimum,
        closes_at=closes_at,
        usefulness=_rating([answer.usefulness for answer in answers]),
        safety=_rating([answer.safety for answer in answers]),
        remarks=remarks,
    )
