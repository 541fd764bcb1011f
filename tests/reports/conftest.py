from datetime import timedelta

import pytest
from django.utils import timezone

from kring.meetings.models import RoleAssignment
from kring.methods.models import Method
from kring.planning.models import Attendance, Meeting
from tests import factories as f


@pytest.fixture
def members(world):
    """The world's participant (the presenter) and four more members of group 1."""
    people = [world.people["participant"]]
    for number in range(1, 5):
        user = f.UserFactory(email=f"member{number}@example.org", full_name=f"Member {number}")
        f.MembershipFactory(user=user, organisation=world.organisation)
        f.GroupMembershipFactory(group=world.group, user=user)
        people.append(user)
    return people


@pytest.fixture
def held(world, members):
    """Yesterday's six-step meeting of group 1: the participant presented, Member 1 took
    notes, Member 2 kept time; Member 4 sent apologies. Five were there."""
    six_step = Method.objects.get(builtin_key="six-step", organisation=None).current
    meeting = f.MeetingFactory(
        group=world.group,
        starts_at=timezone.now() - timedelta(days=1),
        status=Meeting.Status.HELD,
        method_version=six_step,
    )
    for user in members:
        status = "absent_notice" if user == members[4] else "present"
        Attendance.objects.create(meeting=meeting, user=user, status=status)
    for user, role in [
        (members[0], RoleAssignment.Role.PRESENTER),
        (members[1], RoleAssignment.Role.NOTE_TAKER),
        (members[2], RoleAssignment.Role.TIMEKEEPER),
        (members[3], RoleAssignment.Role.PROCESS_FACILITATOR),
    ]:
        RoleAssignment.objects.create(meeting=meeting, user=user, role=role)
    return meeting


@pytest.fixture
def note_taker(members):
    return members[1]


@pytest.fixture
def drafted(held, note_taker):
    from kring.reports import services

    return services.draft_report(held, note_taker)


@pytest.fixture
def submitted(drafted, note_taker, django_capture_on_commit_callbacks):
    from kring.reports import services

    with django_capture_on_commit_callbacks(execute=True):
        return services.save_report(report=drafted, texts=drafted.texts, submit=True, by=note_taker)
