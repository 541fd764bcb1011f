from datetime import timedelta

import pytest
from django.utils import timezone

from kring.planning import services as planning_services
from tests import factories as f


@pytest.fixture
def members(world):
    """The world's participant and three more members of group 1."""
    people = [world.people["participant"]]
    for number in range(1, 4):
        user = f.UserFactory(email=f"member{number}@example.org", full_name=f"Member {number}")
        f.MembershipFactory(user=user, organisation=world.organisation)
        f.GroupMembershipFactory(group=world.group, user=user)
        people.append(user)
    return people


@pytest.fixture
def held(world, members, django_capture_on_commit_callbacks):
    """Yesterday's meeting of group 1, attendance recorded: all present but Member 3."""
    meeting = f.MeetingFactory(group=world.group, starts_at=timezone.now() - timedelta(days=1))
    statuses = {user.pk: "present" for user in members}
    statuses[members[3].pk] = "absent"
    with django_capture_on_commit_callbacks(execute=True):
        planning_services.record_attendance(
            meeting=meeting, statuses=statuses, by=world.people["facilitator"]
        )
    return meeting


@pytest.fixture
def answer(login):
    from django.urls import reverse

    def _answer(user, meeting, usefulness="4", safety="5", remark=""):
        client = login(user)
        return client.post(
            reverse("evaluation:answer", kwargs={"meeting_id": meeting.pk}),
            {"usefulness": usefulness, "safety": safety, "remark": remark},
        )

    return _answer
