"""The coordinator's start page: per programme the next step, what waits, what needs
attention, and this week's meetings; counts link to the list behind them."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.planning import services as planning_services
from kring.planning.models import Attendance, Meeting, PollAnswer, Room
from kring.programmes.models import Programme, Registration
from tests import factories as f

pytestmark = pytest.mark.django_db


def _page(login, user):
    return login(user).get(reverse("core:dashboard")).content.decode()


def _registrations_url(programme, show):
    return f"{reverse('programmes:registrations', args=[programme.pk])}?show={show}"


def _in_this_week(hours=0):
    """A moment in the current week that is still to come (Monday 00:00 - Sunday 24:00)."""
    now = timezone.localtime()
    end_of_week = timezone.make_aware(
        datetime.combine(now.date() + timedelta(days=6 - now.weekday()), time(23, 0))
    )
    return min(now + timedelta(minutes=30 + hours), end_of_week)


def test_waiting_registrations_are_counted_and_link_to_the_filtered_list(world, login):
    programme = world.programme
    programme.status = Programme.Status.REGISTRATION_OPEN
    programme.save()
    for _ in range(3):
        unconfirmed = f.UserFactory(email_verified_at=None)
        Registration.objects.create(programme=programme, user=unconfirmed)
    Registration.objects.create(
        programme=programme,
        user=world.people["participant"],
        manager_confirmation=Registration.ManagerConfirmation.PENDING,
    )
    Registration.objects.create(
        programme=programme, user=world.people["outsider"], status=Registration.Status.WAITING
    )

    body = _page(login, world.people["coordinator"])

    assert "3 aanmeldingen wachten op bevestiging van het e-mailadres" in body
    assert _registrations_url(programme, "unconfirmed") in body
    assert "1 aanmelding wacht op bevestiging door de leidinggevende" in body
    assert _registrations_url(programme, "manager_pending") in body
    assert "1 persoon staat op de wachtlijst" in body
    assert _registrations_url(programme, "waiting") in body


def test_the_filtered_registrations_list_shows_only_the_registrations_counted(world, login):
    programme = world.programme
    waiting = Registration.objects.create(
        programme=programme, user=world.people["outsider"], status=Registration.Status.WAITING
    )
    Registration.objects.create(programme=programme, user=world.people["participant"])
    client = login(world.people["coordinator"])

    body = client.get(_registrations_url(programme, "waiting")).content.decode()
    assert waiting.user.email in body
    assert world.people["participant"].email not in body
    everyone = client.get(reverse("programmes:registrations", args=[programme.pk]))
    assert world.people["participant"].email in everyone.content.decode()


def test_the_next_step_follows_the_programme_status(world, login):
    programme = world.programme
    coordinator = world.people["coordinator"]
    steps = {
        Programme.Status.DRAFT: reverse("programmes:plan_edit", args=[programme.pk]),
        Programme.Status.APPROVED: reverse("programmes:detail", args=[programme.pk]) + "#status",
        # Too few registrations for one group yet: bring people in.
        Programme.Status.REGISTRATION_OPEN: reverse(
            "programmes:import_participants", args=[programme.pk]
        ),
    }
    for status, link in steps.items():
        programme.status = status
        programme.save()
        assert link in _page(login, coordinator), status

    programme.status = Programme.Status.SUBMITTED
    programme.save()
    assert "het plan wacht op goedkeuring door de opdrachtgever" in _page(login, coordinator)

    # Enough people registered: compose the groups.
    programme.status = Programme.Status.REGISTRATION_OPEN
    programme.save()
    for _ in range(programme.group_size_min):
        Registration.objects.create(programme=programme, user=f.UserFactory())
    body = _page(login, coordinator)
    assert "6 mensen doen mee: stel de groepen samen." in body
    assert reverse("groups:composition", args=[programme.pk]) in body


def test_groups_without_meetings_ask_for_planning(world, login):
    world.programme.status = Programme.Status.GROUPS_FORMED
    world.programme.save()
    body = _page(login, world.people["coordinator"])
    # Groep Noord 2 has no meetings; Groep Noord 1 has one.
    assert "1 groep heeft nog geen bijeenkomsten: plan ze." in body
    assert reverse("planning:programme", args=[world.programme.pk]) in body


def test_alerts_name_small_groups_meetings_without_a_room_and_repeated_absence(world, login):
    group, participant = world.group, world.people["participant"]
    start = timezone.now() - timedelta(days=70)
    for weeks, status in enumerate(
        [
            Attendance.Status.ABSENT_WITH_NOTICE,
            Attendance.Status.PRESENT,
            Attendance.Status.ABSENT_WITHOUT_NOTICE,
        ]
    ):
        held = f.MeetingFactory(
            group=group, starts_at=start + timedelta(weeks=3 * weeks), status=Meeting.Status.HELD
        )
        Attendance.objects.create(
            meeting=held, user=participant, status=status, reason="SECRET-why"
        )

    body = _page(login, world.people["coordinator"])

    assert "Groep Noord 1 heeft 1 lid, minder dan het minimum van 6" in body
    assert reverse("groups:detail", args=[group.pk]) in body
    assert (
        "De bijeenkomst van Groep Noord 1 op maandag 1 februari 2027 heeft nog geen ruimte" in body
    )
    assert reverse("planning:meeting_detail", args=[world.meeting.pk]) in body
    assert "Participant (Groep Noord 1) was afwezig bij 2 van de laatste 3 bijeenkomsten" in body
    assert reverse("planning:group_attendance", args=[group.pk]) in body
    assert "SECRET-" not in body  # no absence reason, no case


def test_a_meeting_with_its_room_raises_no_alert(world, login):
    location = f.LocationFactory(organisation=world.organisation)
    world.meeting.room = Room.objects.create(
        organisation=world.organisation, name="Lindezaal", location=location
    )
    world.meeting.save()
    assert "heeft nog geen ruimte" not in _page(login, world.people["coordinator"])


def test_polls_with_missing_answers_are_listed_with_their_count(world, login):
    f.GroupMembershipFactory(group=world.group, user=world.people["other_participant"])
    poll = planning_services.create_poll(
        group=world.group,
        title="Wanneer in maart?",
        starts=[world.meeting.starts_at + timedelta(days=30)],
        by=world.people["facilitator"],
    )
    PollAnswer.objects.create(
        option=poll.options.get(), user=world.people["participant"], answer="yes"
    )
    body = _page(login, world.people["coordinator"])
    assert (
        "Datumprikker ‘Wanneer in maart?’ (Groep Noord 1): 1 van de 2 leden heeft nog niet "
        "gereageerd" in body
    )
    assert reverse("planning:poll", args=[poll.pk]) in body


def test_this_weeks_meetings_are_listed_with_a_dutch_date(world, login):
    soon = f.MeetingFactory(group=world.other_group, starts_at=_in_this_week())
    later = f.MeetingFactory(group=world.other_group, starts_at=_in_this_week() + timedelta(days=8))
    body = _page(login, world.people["coordinator"])
    section = body.split("Bijeenkomsten deze week")[1]
    local = timezone.localtime(soon.starts_at)
    assert reverse("planning:meeting_detail", args=[soon.pk]) in section
    assert local.strftime("%H:%M") in section
    assert reverse("planning:meeting_detail", args=[later.pk]) not in section


def test_progress_counts_registrations_groups_meetings_and_attendance(world, login):
    Registration.objects.create(programme=world.programme, user=world.people["participant"])
    held = f.MeetingFactory(
        group=world.other_group,
        starts_at=timezone.now() - timedelta(days=7),
        status=Meeting.Status.HELD,
    )
    f.GroupMembershipFactory(group=world.other_group, user=world.people["outsider"])
    Attendance.objects.create(
        meeting=held, user=world.people["other_participant"], status=Attendance.Status.PRESENT
    )
    Attendance.objects.create(
        meeting=held, user=world.people["outsider"], status=Attendance.Status.ABSENT_WITHOUT_NOTICE
    )
    body = _page(login, world.people["coordinator"])
    assert "<dt>Aangemeld</dt><dd>1</dd>" in body
    assert "<dd>1 / 2</dd>" in body  # meetings held / planned
    assert "<dd>50%</dd>" in body  # attendance


def test_a_coordinator_sees_no_case_content(world, login):
    body = _page(login, world.people["coordinator"])
    assert world.case.title not in body and "SECRET-" not in body


def test_another_organisations_coordinator_sees_nothing_of_this_one(world, zuid, login):
    body = _page(login, zuid.people["zuid_coordinator"])
    assert "Intervisie Zuid" in body
    for foreign in ["Intervisie Noord", "Groep Noord 1", "Groep Noord 2", "Participant"]:
        assert foreign not in body
    assert reverse("programmes:detail", args=[world.programme.pk]) not in body


def test_the_page_costs_the_same_queries_for_one_programme_as_for_four(world, login):
    coordinator = world.people["coordinator"]

    def add_programme(number):
        programme = f.ProgrammeFactory(organisation=world.organisation, title=f"Extra {number}")
        group = f.GroupFactory(programme=programme, name=f"Extra groep {number}")
        for _ in range(3):
            f.GroupMembershipFactory(group=group)
        member = group.memberships.first().user
        for weeks in range(3):
            held = f.MeetingFactory(
                group=group,
                starts_at=timezone.now() - timedelta(weeks=weeks + 1),
                status=Meeting.Status.HELD,
            )
            Attendance.objects.create(
                meeting=held, user=member, status=Attendance.Status.ABSENT_WITHOUT_NOTICE
            )
        f.MeetingFactory(group=group, starts_at=_in_this_week())
        planning_services.create_poll(
            group=group,
            title="Datum?",
            starts=[timezone.now() + timedelta(days=40)],
            by=coordinator,
        )
        Registration.objects.create(programme=programme, user=f.UserFactory(email_verified_at=None))

    def queries():
        client = login(coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core:dashboard")).status_code == 200
        return len(captured.captured_queries)

    add_programme(1)
    one = queries()
    for number in range(2, 5):
        add_programme(number)
    body = _page(login, coordinator)
    assert body.count("was afwezig bij 3 van de laatste 3 bijeenkomsten") == 4
    assert queries() == one
