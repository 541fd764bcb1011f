"""A planned six-step meeting of the world's group, about to be run live, with every role
taken: process facilitator, presenter, timekeeper, note taker, and a member without one."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from kring.meetings.models import RoleAssignment
from kring.methods.models import Method
from kring.planning.models import Meeting
from tests import factories as f

T0 = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


@dataclass
class Live:
    meeting: object
    process_facilitator: object
    presenter: object
    timekeeper: object
    note_taker: object
    member: object  # a member without a role
    facilitator: object  # the group's assigned facilitator
    world: object

    @property
    def members(self):
        return [
            self.process_facilitator,
            self.presenter,
            self.timekeeper,
            self.note_taker,
            self.member,
        ]


def six_step():
    from kring.methods.services import load_builtin_methods

    # A transactional test (the socket's) starts from a flushed database, without the rows
    # of the methods' data migration: load them again (it changes nothing when they exist).
    load_builtin_methods()
    return Method.objects.get(builtin_key="six-step", organisation=None).current


def at(minutes=0, seconds=0):
    return T0 + timedelta(minutes=minutes, seconds=seconds)


@pytest.fixture
def live(world):
    group = world.group

    def member(name, email, language="nl"):
        user = f.UserFactory(full_name=name, email=email, language=language)
        f.MembershipFactory(user=user, organisation=world.organisation)
        f.GroupMembershipFactory(group=group, user=user)
        return user

    process_facilitator = member("Pim Procesbegeleider", "pim@example.org", language="en")
    timekeeper = member("Tess Tijdbewaker", "tess@example.org")
    note_taker = member("Nora Notulist", "nora@example.org")
    plain = member("Mark Lid", "mark@example.org")
    presenter = world.people["participant"]
    meeting = f.MeetingFactory(
        group=group,
        # in progress in real time (the check and the report look at the clock)
        starts_at=timezone.now() - timedelta(minutes=10),
        status=Meeting.Status.PLANNED,
        method_version=six_step(),
    )
    for user, role in [
        (process_facilitator, "process_facilitator"),
        (presenter, "presenter"),
        (timekeeper, "timekeeper"),
        (note_taker, "note_taker"),
    ]:
        RoleAssignment.objects.create(meeting=meeting, user=user, role=role)
    return Live(
        meeting=meeting,
        process_facilitator=process_facilitator,
        presenter=presenter,
        timekeeper=timekeeper,
        note_taker=note_taker,
        member=plain,
        facilitator=world.people["facilitator"],
        world=world,
    )


@pytest.fixture
def started(live):
    from kring.live import services

    live.session = services.start_session(meeting=live.meeting, by=live.process_facilitator, now=T0)
    return live
