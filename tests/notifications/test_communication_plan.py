"""The communication plan runs itself: draft → confirmed → sent on its date, once."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kring.notifications import services
from kring.notifications.models import CommunicationDispatch
from kring.programmes.models import Programme

Status = CommunicationDispatch.Status


@pytest.fixture
def planned(world):
    """A message for the participants, planned ten days from now."""
    return world.programme.messages.create(
        send_on=timezone.localdate() + timedelta(days=10),
        audience="participants",
        subject="Aankondiging van de aftrapsessie",
    )


def _confirm(world, login, planned, **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return login(world.people["coordinator"]).post(
            reverse("notifications:message", args=[planned.pk]),
            {
                "subject": "Doe mee met intervisie",
                "body": "Op 1 februari is de aftrapsessie.",
                "intent": "confirm",
                **data,
            },
        )


def _make_due():
    """Pretend the date has come: every waiting task is due now."""
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))


def test_a_planned_message_is_a_draft_until_confirmed(world, planned, login):
    page = login(world.people["coordinator"]).get(
        reverse("notifications:communication_plan", args=[world.programme.pk])
    )
    body = page.content.decode()
    assert "Aankondiging van de aftrapsessie" in body and "Concept" in body
    assert not CommunicationDispatch.objects.exists()  # looking changes nothing


def test_a_confirmed_message_is_sent_on_its_date_to_its_audience(world, planned, login, run_tasks):
    _confirm(world, login, planned)
    run_tasks()
    assert mail.outbox == []  # not its date yet
    dispatch = CommunicationDispatch.objects.get(message=planned)
    assert dispatch.status == Status.CONFIRMED
    run_after = DBTaskResult.objects.get(task_path__endswith="send_communication").run_after
    assert timezone.localtime(run_after).date() == planned.send_on
    assert timezone.localtime(run_after).hour == 9

    _make_due()
    run_tasks()
    assert {m.to[0] for m in mail.outbox} == {
        world.people["participant"].email,
        world.people["other_participant"].email,
    }
    message = mail.outbox[0]
    assert message.subject == "Doe mee met intervisie"
    assert "Op 1 februari is de aftrapsessie." in message.body
    dispatch.refresh_from_db()
    assert dispatch.status == Status.SENT and dispatch.recipients_count == 2

    page = login(world.people["coordinator"]).get(
        reverse("notifications:communication_plan", args=[world.programme.pk])
    )
    assert "naar 2 personen" in page.content.decode()


def test_a_message_is_not_sent_twice(world, planned, login, run_tasks):
    _confirm(world, login, planned)
    # Taken back and confirmed again: two tasks wait for the same date.
    services.back_to_draft(message=planned, by=world.people["coordinator"])
    _confirm(world, login, planned)
    assert DBTaskResult.objects.filter(task_path__endswith="send_communication").count() == 2
    _make_due()
    run_tasks()
    assert len(mail.outbox) == 2  # one per participant, once


def test_a_message_taken_back_to_draft_is_not_sent(world, planned, login, run_tasks):
    _confirm(world, login, planned)
    with TestCase.captureOnCommitCallbacks(execute=True):
        login(world.people["coordinator"]).post(
            reverse("notifications:message", args=[planned.pk]), {"intent": "back_to_draft"}
        )
    _make_due()
    run_tasks()
    assert mail.outbox == []
    assert CommunicationDispatch.objects.get(message=planned).status == Status.DRAFT


def test_a_draft_that_is_only_saved_is_not_sent(world, planned, login, run_tasks):
    _confirm(world, login, planned, intent="save")
    _make_due()
    run_tasks()
    assert mail.outbox == []
    dispatch = CommunicationDispatch.objects.get(message=planned)
    assert dispatch.status == Status.DRAFT and dispatch.subject == "Doe mee met intervisie"


def test_moving_the_message_in_the_plan_asks_for_a_new_confirmation(
    world, planned, login, run_tasks
):
    _confirm(world, login, planned)
    planned.send_on = planned.send_on + timedelta(days=7)
    planned.save()
    assert CommunicationDispatch.objects.get(message=planned).status == Status.DRAFT
    _make_due()
    run_tasks()
    assert mail.outbox == []


def test_nothing_goes_out_for_a_closed_programme(world, planned, login, run_tasks):
    _confirm(world, login, planned)
    Programme.objects.filter(pk=world.programme.pk).update(status=Programme.Status.CLOSED)
    _make_due()
    run_tasks()
    assert mail.outbox == []
    dispatch = CommunicationDispatch.objects.get(message=planned)
    assert dispatch.status == Status.FAILED
    page = login(world.people["coordinator"]).get(
        reverse("notifications:communication_plan", args=[world.programme.pk])
    )
    assert "Het traject was afgesloten." in page.content.decode()


def test_a_message_whose_date_has_passed_goes_out_when_confirmed(world, planned, login, run_tasks):
    planned.send_on = date(2026, 1, 5)
    planned.save()
    _confirm(world, login, planned)
    run_tasks()
    assert len(mail.outbox) == 2


def test_an_empty_text_is_refused_and_what_was_typed_stays(world, planned, login):
    response = _confirm(world, login, planned, body="")
    assert response.status_code == 200
    assert "Doe mee met intervisie" in response.content.decode()
    assert not CommunicationDispatch.objects.exists()


def test_only_the_programmes_coordinators_review_messages(world, zuid, planned, login):
    url = reverse("notifications:message", args=[planned.pk])
    for person in [
        world.people["participant"],
        world.people["sponsor"],
        zuid.people["zuid_coordinator"],
    ]:
        client = login(person)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"subject": "x", "body": "y", "intent": "confirm"}).status_code == 404
        )
    assert not CommunicationDispatch.objects.exists()
    plan = reverse("notifications:communication_plan", args=[world.programme.pk])
    assert login(zuid.people["zuid_coordinator"]).get(plan).status_code == 404
