from datetime import timedelta

import holidays
import pytest
from django.utils import timezone

from tests.factories import MeetingFactory


def _plain_weekday(day):
    """A Monday to Thursday that is no public holiday, nor the day after it."""
    dutch = holidays.Netherlands(years=[day.year, day.year + 1])
    while day.weekday() > 3 or day in dutch or day + timedelta(days=1) in dutch:
        day += timedelta(days=1)
    return day


@pytest.fixture
def soon(world):
    """A planned meeting of the world's group, about ten days from now, on an ordinary
    working day (so moving it a day or a few hours meets no holiday)."""
    starts = (timezone.localtime() + timedelta(days=10)).replace(second=0, microsecond=0)
    day = _plain_weekday(starts.date())
    starts = starts + timedelta(days=(day - starts.date()).days)
    return MeetingFactory(group=world.group, starts_at=starts, location="Zaal 2")
