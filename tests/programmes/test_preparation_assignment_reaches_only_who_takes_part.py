"""The preparation assignment goes to the programme's participants who take part: not to a
self-registration whose address was never confirmed (anyone can type one), nor to a
member the organisation switched off, nor to an account that is off."""

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from kring.programmes.models import ProgrammeRole, Registration
from tests.factories import UserFactory


def _send(world, login, run_tasks):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = login(world.people["coordinator"]).post(
            reverse("programmes:send_assignment", args=[world.programme.pk]),
            {"text": "Schrijf een casus van een half A4.", "due_on": "2027-01-15"},
        )
    assert response.status_code == 302
    run_tasks()
    return {message.to[0] for message in mail.outbox}


def test_an_unconfirmed_self_registration_gets_no_preparation_assignment(world, login, run_tasks):
    person = UserFactory(email="verzonnen@example.org", email_verified_at=None)
    Registration.objects.create(
        programme=world.programme, user=person, source=Registration.Source.SELF
    )
    ProgrammeRole.objects.create(
        programme=world.programme, user=person, role=ProgrammeRole.Role.PARTICIPANT
    )
    sent_to = _send(world, login, run_tasks)
    assert "participant@example.org" in sent_to
    assert "verzonnen@example.org" not in sent_to


@pytest.mark.parametrize("switched", ["membership", "account"])
def test_a_participant_switched_off_gets_no_preparation_assignment(
    world, login, run_tasks, switched
):
    other = world.people["other_participant"]
    if switched == "membership":
        other.memberships.update(is_active=False)
    else:
        other.is_active = False
        other.save(update_fields=["is_active"])
    sent_to = _send(world, login, run_tasks)
    assert "participant@example.org" in sent_to
    assert "other_participant@example.org" not in sent_to
