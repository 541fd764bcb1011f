"""The start page shows unread notices, coming kick-offs and the communication plan's
messages that wait for the coordinator's confirmation."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from kring.kickoffs import services as kickoff_services
from kring.notifications import services as notification_services
from kring.notifications.models import Notice

pytestmark = pytest.mark.django_db


def _page(login, user):
    response = login(user).get(reverse("core:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_unread_notices_are_on_the_start_page_and_read_ones_are_not(world, login):
    sponsor = world.people["sponsor"]
    notice = notification_services.notify(
        recipient=sponsor,
        kind=Notice.Kind.PLAN_AWAITS_APPROVAL,
        params={"programme": "Intervisie Noord"},
        link=reverse("programmes:detail", args=[world.programme.pk]),
    )
    body = _page(login, sponsor)
    assert "Nieuw voor jou" in body
    assert "Het plan van aanpak van “Intervisie Noord” wacht op je goedkeuring." in body
    assert reverse("notifications:read", args=[notice.pk]) in body

    notification_services.mark_read(notice=notice, by=sponsor)
    assert "Nieuw voor jou" not in _page(login, sponsor)


def test_nobody_sees_another_persons_notices_on_their_start_page(world, login):
    notification_services.notify(
        recipient=world.people["sponsor"],
        kind=Notice.Kind.PLAN_AWAITS_APPROVAL,
        params={"programme": "Intervisie Noord"},
    )
    for role in ["coordinator", "participant", "other_admin"]:
        assert "Intervisie Noord” wacht" not in _page(login, world.people[role])


def test_an_invited_participant_sees_the_coming_kick_off_with_a_calendar_link(
    world, login, plan_kickoff
):
    kickoff = plan_kickoff()
    with TestCase.captureOnCommitCallbacks(execute=True):
        kickoff_services.send_invitations(kickoff=kickoff, by=world.people["coordinator"])
    body = _page(login, world.people["participant"])
    assert "Aftrapsessie van Intervisie Noord" in body
    assert reverse("kickoffs:invitation_ics", args=[kickoff.pk]) in body
    assert reverse("kickoffs:presentation", args=[kickoff.pk]) not in body


def test_the_coordinator_sees_the_coming_kick_off_with_its_projector_agenda(
    world, login, plan_kickoff
):
    kickoff = plan_kickoff()
    body = _page(login, world.people["coordinator"])
    assert "Aftrapsessie van Intervisie Noord" in body
    assert reverse("kickoffs:presentation", args=[kickoff.pk]) in body
    # Another organisation's admin sees nothing of it.
    assert "Aftrapsessie van Intervisie Noord" not in _page(login, world.people["other_admin"])


def test_a_kick_off_held_is_no_longer_coming(world, login, plan_kickoff):
    kickoff = plan_kickoff(starts_at=timezone.now() - timedelta(days=2))
    kickoff_services.record_attendance(kickoff=kickoff, statuses={}, by=world.people["coordinator"])
    assert "Aftrapsessie van" not in _page(login, world.people["coordinator"])


def test_messages_due_soon_wait_for_the_coordinators_confirmation(world, login):
    today = timezone.localdate()
    soon = world.programme.messages.create(
        send_on=today + timedelta(days=5), audience="participants", subject="Nieuwsbrief"
    )
    world.programme.messages.create(
        send_on=today + timedelta(days=90), audience="participants", subject="Evaluatie"
    )
    body = _page(login, world.people["coordinator"])
    assert "Berichten uit het communicatieplan om te bevestigen" in body
    assert reverse("notifications:message", args=[soon.pk]) in body
    assert "Evaluatie" not in body  # not due for months
    for role in ["participant", "sponsor", "facilitator", "other_admin"]:
        assert "Nieuwsbrief" not in _page(login, world.people[role])

    with TestCase.captureOnCommitCallbacks(execute=True):
        notification_services.confirm(
            message=soon,
            subject="Nieuwsbrief",
            body="Het gaat goed.",
            by=world.people["coordinator"],
        )
    assert "Nieuwsbrief" not in _page(login, world.people["coordinator"])
