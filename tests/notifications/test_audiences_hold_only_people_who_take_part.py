"""Messages and kick-off invitations reach only people who really are in the programme:
not a made-up address registered by a stranger, nor a colleague named as line manager
who did not (or not yet) confirm it."""

import pytest
from django.core import mail
from django.test import TestCase

from kring.kickoffs import services as kickoffs
from kring.kickoffs.models import Kickoff
from kring.notifications.audiences import audience_of
from kring.programmes.models import ProgrammeRole, Registration
from tests.factories import MembershipFactory, UserFactory

Confirmation = Registration.ManagerConfirmation


def _emails(world, audience):
    return {person.email for person in audience_of(world.programme, audience)}


@pytest.fixture
def unconfirmed(world):
    """A self-registration whose address was never confirmed (anyone can type one)."""
    person = UserFactory(email="verzonnen@example.org", email_verified_at=None)
    Registration.objects.create(
        programme=world.programme,
        user=person,
        source=Registration.Source.SELF,
        status=Registration.Status.REGISTERED,
    )
    ProgrammeRole.objects.create(
        programme=world.programme, user=person, role=ProgrammeRole.Role.PARTICIPANT
    )
    return person


def test_an_unconfirmed_self_registration_gets_no_message_for_participants(world, unconfirmed):
    assert "verzonnen@example.org" not in _emails(world, "participants")
    assert "verzonnen@example.org" not in _emails(world, "everyone")


def test_an_unconfirmed_self_registration_is_not_invited_to_the_kick_off(
    world, unconfirmed, plan_kickoff, run_tasks
):
    kickoff = plan_kickoff()
    with TestCase.captureOnCommitCallbacks(execute=True):
        kickoffs.send_invitations(kickoff=kickoff, by=world.people["coordinator"])
    run_tasks()
    assert "verzonnen@example.org" not in {to for m in mail.outbox for to in m.to}
    assert not kickoff.invitations.filter(user=unconfirmed).exists()


def test_someone_on_the_waiting_list_gets_no_message_for_participants(world):
    waiting = UserFactory(email="wachtlijst@example.org")
    Registration.objects.create(
        programme=world.programme, user=waiting, status=Registration.Status.WAITING
    )
    ProgrammeRole.objects.create(
        programme=world.programme, user=waiting, role=ProgrammeRole.Role.PARTICIPANT
    )
    assert "wachtlijst@example.org" not in _emails(world, "participants")
    Registration.objects.filter(user=waiting).update(status=Registration.Status.REGISTERED)
    assert "wachtlijst@example.org" in _emails(world, "participants")


def test_once_the_address_is_confirmed_the_participant_is_reached(world, unconfirmed):
    from django.utils import timezone

    unconfirmed.email_verified_at = timezone.now()
    unconfirmed.save(update_fields=["email_verified_at"])
    assert "verzonnen@example.org" in _emails(world, "participants")


@pytest.mark.parametrize("answer", [Confirmation.PENDING, Confirmation.DECLINED])
def test_a_named_line_manager_who_did_not_confirm_gets_no_message(world, answer):
    colleague = UserFactory(email="collega@example.org")
    MembershipFactory(user=colleague, organisation=world.organisation)
    Registration.objects.create(
        programme=world.programme,
        user=world.people["participant"],
        line_manager=colleague,
        manager_confirmation=answer,
    )
    assert "collega@example.org" not in _emails(world, "line_managers")


@pytest.mark.parametrize("answer", [Confirmation.PENDING, Confirmation.DECLINED])
def test_a_named_line_manager_who_did_not_confirm_is_not_invited_to_the_kick_off(
    world, plan_kickoff, run_tasks, answer
):
    colleague = UserFactory(email="collega@example.org")
    MembershipFactory(user=colleague, organisation=world.organisation)
    Registration.objects.create(
        programme=world.programme,
        user=world.people["participant"],
        line_manager=colleague,
        manager_confirmation=answer,
    )
    kickoff = plan_kickoff(audience=Kickoff.Audience.MANAGEMENT)
    with TestCase.captureOnCommitCallbacks(execute=True):
        kickoffs.send_invitations(kickoff=kickoff, by=world.people["coordinator"])
    run_tasks()
    assert "sponsor@example.org" in {to for m in mail.outbox for to in m.to}
    assert "collega@example.org" not in {to for m in mail.outbox for to in m.to}
