from datetime import timedelta

import pytest
from django.utils import timezone

from kring.kickoffs import services
from kring.kickoffs.models import Kickoff


@pytest.fixture
def plan_kickoff(world):
    """Plan a kick-off of the world's programme, three weeks from now."""

    def _plan(audience=Kickoff.Audience.PARTICIPANTS, **changes):
        values = {
            "starts_at": (timezone.now() + timedelta(days=21)).replace(second=0, microsecond=0),
            "duration_minutes": 90,
            "location": "Zaal De Linde",
            "video_link": "",
            **changes,
        }
        return services.plan_kickoff(
            programme=world.programme, audience=audience, by=world.people["coordinator"], **values
        )

    return _plan
