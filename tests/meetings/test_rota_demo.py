"""The demo shows the rota and the phase-out plan: a buyer sees roles at every meeting."""

import pytest
from django.core.management import call_command

from kring.groups.models import Group
from kring.meetings import rota
from kring.meetings.models import RoleAssignment
from kring.planning.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_one():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Group.objects.get(name="Groep 1")


def test_every_demo_meeting_of_group_one_has_its_roles_and_stage(group_one):
    meetings = list(group_one.meetings.order_by("starts_at"))
    assert list(rota.stages(group_one).values()) == [1, 1, 2, 2, 3, 4]
    for meeting in meetings:
        roles = set(meeting.role_assignments.values_list("role", flat=True))
        assert {"presenter", "timekeeper", "note_taker"} <= roles
    presenters = RoleAssignment.objects.filter(meeting__in=meetings, role="presenter")
    assert presenters.values("user").distinct().count() == len(meetings)


def test_who_said_they_cannot_come_has_no_role_in_the_demo(group_one):
    absent = Attendance.objects.get(
        meeting__group=group_one,
        meeting__status="planned",
        status=Attendance.Status.ABSENT_WITH_NOTICE,
    )
    assert not RoleAssignment.objects.filter(meeting=absent.meeting, user=absent.user).exists()
