"""Inviting a kick-off's audience: the right people only, once, with a calendar file."""

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from icalendar import Calendar

from kring.kickoffs import services
from kring.kickoffs.models import Kickoff, KickoffInvitation
from kring.notifications.models import Notice


def _invite(world, kickoff, login, run_tasks):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = login(world.people["coordinator"]).post(
            reverse("kickoffs:invite", args=[kickoff.pk])
        )
    run_tasks()
    return response


def _event(message):
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content).walk("VEVENT")[0]


def test_the_participants_kickoff_invites_participants_and_facilitators_only(
    world, plan_kickoff, login, run_tasks
):
    kickoff = plan_kickoff()
    _invite(world, kickoff, login, run_tasks)
    people = world.people
    expected = {
        people[key].email
        for key in ["participant", "other_participant", "facilitator", "other_facilitator"]
    }
    assert {message.to[0] for message in mail.outbox} == expected
    assert mail.outbox[0].subject.startswith("Uitnodiging: aftrapsessie van Intervisie Noord")


def test_the_management_kickoff_invites_the_sponsor_and_line_managers_only(
    world, plan_kickoff, login, run_tasks
):
    kickoff = plan_kickoff(audience=Kickoff.Audience.MANAGEMENT)
    _invite(world, kickoff, login, run_tasks)
    assert {message.to[0] for message in mail.outbox} == {
        world.people["sponsor"].email,
        world.people["line_manager"].email,
    }


def test_an_invitation_carries_a_calendar_event_with_a_stable_uid(
    world, plan_kickoff, login, run_tasks
):
    kickoff = plan_kickoff(audience=Kickoff.Audience.MANAGEMENT)
    _invite(world, kickoff, login, run_tasks)
    event = _event(mail.outbox[0])
    assert str(event["uid"]) == f"kickoff-{kickoff.uid}@kring"
    assert event["location"] == "Zaal De Linde"
    assert int(event["sequence"]) == 0


def test_inviting_again_invites_only_who_was_not_invited_yet(world, plan_kickoff, login, run_tasks):
    kickoff = plan_kickoff(audience=Kickoff.Audience.MANAGEMENT)
    _invite(world, kickoff, login, run_tasks)
    mail.outbox.clear()
    _invite(world, kickoff, login, run_tasks)
    assert mail.outbox == []
    assert KickoffInvitation.objects.filter(kickoff=kickoff).count() == 2


def test_moving_a_kickoff_sends_the_invited_an_update_of_the_same_event(
    world, plan_kickoff, login, run_tasks
):
    kickoff = plan_kickoff(audience=Kickoff.Audience.MANAGEMENT)
    _invite(world, kickoff, login, run_tasks)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        login(world.people["coordinator"]).post(
            reverse("kickoffs:edit", args=[kickoff.pk]),
            {
                "starts_at": "2027-03-01T15:00",
                "duration_minutes": "60",
                "location": "",
                "video_link": "https://meet.example.org/aftrap",
            },
        )
    run_tasks()
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject.startswith("Gewijzigd:")
    event = _event(mail.outbox[0])
    assert str(event["uid"]) == f"kickoff-{kickoff.uid}@kring"
    assert int(event["sequence"]) == 1
    assert event["location"] == "https://meet.example.org/aftrap"


def test_a_kickoff_needs_a_place_or_a_video_link_and_keeps_what_was_typed(world, login):
    response = login(world.people["coordinator"]).post(
        reverse("kickoffs:create", args=[world.programme.pk]),
        {"audience": "participants", "starts_at": "2027-03-01T15:00", "duration_minutes": "90"},
    )
    assert response.status_code == 200
    assert "Geef een plaats, een videolink of allebei." in response.content.decode()
    assert 'value="2027-03-01T15:00"' in response.content.decode()
    assert not Kickoff.objects.exists()


def test_the_invited_get_a_notice_and_see_their_own_invitation(
    world, plan_kickoff, login, run_tasks
):
    kickoff = plan_kickoff()
    _invite(world, kickoff, login, run_tasks)
    participant = world.people["participant"]
    notice = Notice.objects.get(recipient=participant)
    assert "aftrapsessie van “Intervisie Noord”" in notice.text
    page = login(participant).get(reverse("kickoffs:detail", args=[kickoff.pk])).content.decode()
    assert "Jouw uitnodiging" in page and "Uitgenodigd" in page
    # The list of who was invited and who came is the coordinator's.
    assert world.people["other_participant"].full_name not in page


def test_who_is_not_invited_finds_no_kickoff(world, plan_kickoff, login, run_tasks):
    kickoff = plan_kickoff(audience=Kickoff.Audience.MANAGEMENT)
    _invite(world, kickoff, login, run_tasks)
    url = reverse("kickoffs:detail", args=[kickoff.pk])
    assert login(world.people["participant"]).get(url).status_code == 404
    assert login(world.people["outsider"]).get(url).status_code == 404
    assert login(world.people["sponsor"]).get(url).status_code == 200


def test_another_organisations_coordinator_finds_no_kickoff(world, zuid, plan_kickoff, login):
    kickoff = plan_kickoff()
    client = login(zuid.people["zuid_coordinator"])
    for name in ["kickoffs:detail", "kickoffs:presentation", "kickoffs:edit"]:
        assert client.get(reverse(name, args=[kickoff.pk])).status_code == 404
    assert client.get(reverse("kickoffs:list", args=[world.programme.pk])).status_code == 404


def test_the_calendar_file_is_for_the_invited(world, plan_kickoff, login):
    kickoff = plan_kickoff()
    services.send_invitations(kickoff=kickoff, by=world.people["coordinator"])
    response = login(world.people["participant"]).get(
        reverse("kickoffs:invitation_ics", args=[kickoff.pk])
    )
    assert response["Content-Type"].startswith("text/calendar")
    assert f"kickoff-{kickoff.uid}@kring".encode() in response.content


def test_an_invitation_opens_nothing_once_the_participant_has_withdrawn(
    world, plan_kickoff, login, run_tasks
):
    from kring.programmes.models import Registration
    from kring.registrations import services as registrations

    kickoff = plan_kickoff()
    _invite(world, kickoff, login, run_tasks)
    participant = world.people["participant"]
    url = reverse("kickoffs:detail", args=[kickoff.pk])
    assert login(participant).get(url).status_code == 200
    registration, _created = Registration.objects.get_or_create(
        programme=world.programme, user=participant
    )
    registrations.withdraw(registration=registration, by=participant)
    assert login(participant).get(url).status_code == 404
