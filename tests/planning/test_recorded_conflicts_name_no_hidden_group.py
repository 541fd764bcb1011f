"""A conflict accepted by a coordinator is kept in the meeting's history, which the group's
facilitator reads too: the record names no group the facilitator may not see."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from kring.planning import services
from kring.planning.models import MeetingChange
from tests.factories import GroupMembershipFactory, MeetingFactory

ZONE = ZoneInfo("Europe/Amsterdam")


def _history(client, meeting):
    page = client.get(reverse("planning:meeting_detail", kwargs={"meeting_id": meeting.pk}))
    assert page.status_code == 200
    return page.content.decode()


def test_a_move_the_coordinator_made_despite_a_member_elsewhere_names_no_other_group(world, login):
    GroupMembershipFactory(group=world.other_group, user=world.people["participant"])
    MeetingFactory(group=world.other_group, starts_at=datetime(2027, 3, 9, 13, tzinfo=ZONE))
    response = login(world.people["coordinator"]).post(
        reverse("planning:reschedule", kwargs={"meeting_id": world.meeting.pk}),
        {
            "starts_at": "2027-03-09T14:00",
            "location": "Zaal 9",
            "override_reason": "Alleen dan kan de zaal",
        },
    )
    assert response.status_code == 302
    assert MeetingChange.objects.get(meeting=world.meeting).conflicts
    text = _history(login(world.people["facilitator"]), world.meeting)
    assert "Participant heeft dan al een andere intervisiebijeenkomst (13:00–15:00)." in text
    assert "Groep Noord 2" not in text


def test_a_poll_option_the_coordinator_confirmed_despite_a_conflict_names_no_other_group(
    world, login
):
    GroupMembershipFactory(group=world.other_group, user=world.people["participant"])
    MeetingFactory(group=world.other_group, starts_at=datetime(2027, 4, 19, 13, tzinfo=ZONE))
    poll = services.create_poll(
        group=world.group,
        title="Bijeenkomst 2",
        starts=[datetime(2027, 4, 19, 14, tzinfo=ZONE)],
        by=world.people["coordinator"],
    )
    option = poll.options.get()
    response = login(world.people["coordinator"]).post(
        reverse("planning:poll_confirm", kwargs={"option_id": option.pk}),
        {"location": "Zaal 9", "accept_warnings": "1"},
    )
    assert response.status_code == 302
    meeting = poll.group.meetings.get(starts_at=datetime(2027, 4, 19, 14, tzinfo=ZONE))
    text = _history(login(world.people["facilitator"]), meeting)
    assert "Participant heeft dan al een andere intervisiebijeenkomst (13:00–15:00)." in text
    assert "Groep Noord 2" not in text
