from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.planning import services
from kring.planning.models import Attendance, Meeting
from tests.factories import GroupMembershipFactory, MeetingFactory, UserFactory


def test_a_member_reports_absence_in_advance_with_a_reason(world, soon, login):
    client = login(world.people["participant"])
    client.post(reverse("planning:absence", kwargs={"meeting_id": soon.pk}), {"reason": "Cursus"})
    attendance = Attendance.objects.get(meeting=soon, user=world.people["participant"])
    assert (attendance.status, attendance.reason) == ("absent_notice", "Cursus")

    facilitator_view = login(world.people["facilitator"]).get(
        reverse("planning:meeting_detail", kwargs={"meeting_id": soon.pk})
    )
    assert "Cursus" in facilitator_view.content.decode()
    coordinator_view = login(world.people["coordinator"]).get(
        reverse("planning:meeting_detail", kwargs={"meeting_id": soon.pk})
    )
    assert "Cursus" not in coordinator_view.content.decode()


def test_absence_cannot_be_reported_afterwards(world):
    past = MeetingFactory(group=world.group, starts_at=timezone.now() - timedelta(days=1))
    with pytest.raises(services.PlanningError):
        services.report_absence(meeting=past, user=world.people["participant"], reason="te laat")


def test_the_facilitator_records_presence_and_rates_follow(world, login):
    second = UserFactory(full_name="Tweede Lid")
    GroupMembershipFactory(group=world.group, user=second)
    client = login(world.people["facilitator"])
    for index, second_status in enumerate(["present", "absent"]):
        meeting = MeetingFactory(
            group=world.group, starts_at=timezone.now() - timedelta(days=30 - index)
        )
        client.post(
            reverse("planning:attendance", kwargs={"meeting_id": meeting.pk}),
            {
                f"user_{world.people['participant'].pk}": "present",
                f"user_{second.pk}": second_status,
            },
        )
        meeting.refresh_from_db()
        assert meeting.status == Meeting.Status.HELD
    rates = services.attendance_rates(world.group)
    by_name = {p["user"].full_name: p["rate"] for p in rates["people"]}
    assert by_name == {"Participant": 100, "Tweede Lid": 50}
    assert rates["group_rate"] == 75
    page = client.get(reverse("planning:group_attendance", kwargs={"group_id": world.group.pk}))
    assert "75%" in page.content.decode()
