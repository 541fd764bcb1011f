"""The demo shows kick-offs that were held and a communication plan half done."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from kring.kickoffs.models import Kickoff
from kring.notifications.models import CommunicationDispatch
from kring.planning.models import Meeting
from kring.programmes.models import Programme


@pytest.fixture
def demo(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Programme.objects.get(status="running")


def test_the_participants_kickoff_was_held_with_attendance_and_two_questions(demo):
    kickoff = demo.kickoffs.get(audience=Kickoff.Audience.PARTICIPANTS)
    assert kickoff.status == Kickoff.Status.HELD
    statuses = set(kickoff.invitations.values_list("status", flat=True))
    assert statuses == {"attended", "absent"}
    assert kickoff.questions.count() == 2
    first_meeting = Meeting.objects.filter(group__programme=demo).earliest("starts_at")
    assert kickoff.starts_at < first_meeting.starts_at


def test_the_communication_plan_has_messages_in_each_state(demo):
    states = [
        getattr(getattr(message, "dispatch", None), "status", "no dispatch")
        for message in demo.messages.all()
    ]
    assert states == ["sent", "sent", "confirmed", "draft", "no dispatch"]
    sent = CommunicationDispatch.objects.filter(status="sent")
    assert all(dispatch.recipients_count > 0 for dispatch in sent)


def test_the_demo_coordinator_sees_the_questions_and_the_plan(demo, login, User):
    client = login(User.objects.get(email="coordinator@delinde.example"))
    page = client.get(reverse("kickoffs:list", args=[demo.pk])).content.decode()
    assert "Tellen de bijeenkomsten als werktijd" in page
    plan = client.get(reverse("notifications:communication_plan", args=[demo.pk]))
    assert "Verstuurd" in plan.content.decode() and "Bevestigd" in plan.content.decode()


def test_the_demo_sponsor_has_a_plan_awaiting_approval_among_their_notices(demo, User):
    from kring.notifications.models import Notice

    sponsor = User.objects.get(email="sponsor@delinde.example")
    unread = Notice.objects.filter(recipient=sponsor, read_at=None)
    assert [notice.kind for notice in unread] == [Notice.Kind.PLAN_AWAITS_APPROVAL]
