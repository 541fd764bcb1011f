"""A held six-step meeting of the world's group, with a note taker and a presenter."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from kring.meetings.models import RoleAssignment
from kring.methods.models import Method
from kring.planning.models import Attendance, Meeting
from kring.records import services
from tests import factories as f


@dataclass
class Held:
    meeting: object
    record: object
    note_taker: object
    presenter: object
    member: object  # a member without a role
    facilitator: object
    phases: dict  # input type -> phase number


def six_step():
    return Method.objects.get(builtin_key="six-step", organisation=None).current


@pytest.fixture
def held(world):
    group = world.group
    note_taker = f.UserFactory(full_name="Nora Notulist", email="nora@example.org")
    f.MembershipFactory(user=note_taker, organisation=world.organisation)
    f.GroupMembershipFactory(group=group, user=note_taker)
    member = f.UserFactory(full_name="Mark Lid", email="mark@example.org")
    f.MembershipFactory(user=member, organisation=world.organisation)
    f.GroupMembershipFactory(group=group, user=member)
    presenter = world.people["participant"]
    version = six_step()
    meeting = f.MeetingFactory(
        group=group,
        starts_at=timezone.now() - timedelta(days=2),
        status=Meeting.Status.HELD,
        method_version=version,
    )
    RoleAssignment.objects.create(meeting=meeting, user=note_taker, role="note_taker")
    RoleAssignment.objects.create(meeting=meeting, user=presenter, role="presenter")
    for user in (note_taker, member, presenter):
        Attendance.objects.create(meeting=meeting, user=user, status="present")
    phases = {}
    for number, phase in enumerate(version.content["phases"], start=1):
        phases.setdefault(phase["input"], number)
    return Held(
        meeting=meeting,
        record=services.record_for(meeting),
        note_taker=note_taker,
        presenter=presenter,
        member=member,
        facilitator=world.people["facilitator"],
        phases=phases,
    )
