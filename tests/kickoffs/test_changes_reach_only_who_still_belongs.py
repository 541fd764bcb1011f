"""A moved kick-off is mailed to those invited who still belong to its audience: not to a
member the organisation has switched off since, nor to a participant who withdrew."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse

from kring.programmes.models import Registration
from kring.registrations import services as registrations


def _invite_and_move(world, plan_kickoff, login, run_tasks, between):
    kickoff = plan_kickoff()
    with TestCase.captureOnCommitCallbacks(execute=True):
        login(world.people["coordinator"]).post(reverse("kickoffs:invite", args=[kickoff.pk]))
    run_tasks()
    assert "other_participant@example.org" in {m.to[0] for m in mail.outbox}
    between()
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = login(world.people["coordinator"]).post(
            reverse("kickoffs:edit", args=[kickoff.pk]),
            {"starts_at": "2027-03-01T15:00", "duration_minutes": "60", "location": "Zaal 2"},
        )
    assert response.status_code == 302
    run_tasks()
    return {message.to[0] for message in mail.outbox}


def test_a_switched_off_member_gets_no_mail_about_the_moved_kick_off(
    world, plan_kickoff, login, run_tasks
):
    def switch_off():
        world.people["other_participant"].memberships.update(is_active=False)

    told = _invite_and_move(world, plan_kickoff, login, run_tasks, switch_off)
    assert "participant@example.org" in told
    assert "other_participant@example.org" not in told


def test_a_participant_who_withdrew_gets_no_mail_about_the_moved_kick_off(
    world, plan_kickoff, login, run_tasks
):
    def withdraw():
        registration = Registration.objects.create(
            programme=world.programme, user=world.people["other_participant"]
        )
        registrations.withdraw(registration=registration, by=world.people["other_participant"])

    told = _invite_and_move(world, plan_kickoff, login, run_tasks, withdraw)
    assert "participant@example.org" in told
    assert "other_participant@example.org" not in told
