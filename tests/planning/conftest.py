from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import MeetingFactory


@pytest.fixture
def soon(world):
    """A planned meeting of the world's group, ten days from now."""
    starts = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    return MeetingFactory(group=world.group, starts_at=starts, location="Zaal 2")
