"""Moving a meeting keeps to the planner's rules: each conflict is explained in Dutch, and
the meeting moves onto one only when the coordinator gives a reason (which is kept)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kring.planning.models import Attendance, BlackoutPeriod, Meeting, MeetingChange, Room
from tests.factories import GroupFactory, GroupMembershipFactory, LocationFactory, MeetingFactory

ZONE = ZoneInfo("Europe/Amsterdam")
KINGS_DAY = "2027-04-27T14:00"  # a Tuesday
ORDINARY = "2027-03-09T14:00"  # a Tuesday, five weeks after world.meeting


def _move(client, meeting, starts_at, **extra):
    return client.post(
        reverse("planning:reschedule", kwargs={"meeting_id": meeting.pk}),
        {"starts_at": starts_at, "location": "Zaal 9", **extra},
    )


def _at(text):
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


def test_a_move_onto_kings_day_is_refused_with_the_holiday_named(world, login):
    page = _move(login(world.people["coordinator"]), world.meeting, KINGS_DAY)
    assert page.status_code == 409
    text = page.content.decode()
    assert "Op dinsdag 27 april 2027 valt Koningsdag, een feestdag." in text
    assert 'value="Zaal 9"' in text  # what was typed stays
    world.meeting.refresh_from_db()
    assert world.meeting.starts_at == datetime(2027, 2, 1, 14, tzinfo=ZONE)
    assert not MeetingChange.objects.exists()


def test_a_move_into_a_period_without_meetings_names_the_period(world, login):
    BlackoutPeriod.objects.create(
        programme=world.programme,
        starts_on=date(2027, 3, 8),
        ends_on=date(2027, 3, 12),
        reason="voorjaarsvakantie",
    )
    page = _move(login(world.people["coordinator"]), world.meeting, ORDINARY)
    assert page.status_code == 409
    assert (
        "Op dinsdag 9 maart 2027 plant het programma geen bijeenkomsten: voorjaarsvakantie."
        in page.content.decode()
    )


def test_a_move_onto_a_time_the_facilitator_leads_another_group_names_both(world, login):
    third = GroupFactory(
        programme=world.programme, name="Groep Oost", facilitator=world.people["facilitator"]
    )
    MeetingFactory(group=third, starts_at=_at("2027-03-09T15:00"))
    page = _move(login(world.people["coordinator"]), world.meeting, ORDINARY)
    assert page.status_code == 409
    assert "Begeleider Facilitator leidt dan al Groep Oost (15:00–17:00)." in page.content.decode()


def test_a_move_onto_another_meeting_of_a_member_names_the_member(world, login):
    GroupMembershipFactory(group=world.other_group, user=world.people["participant"])
    MeetingFactory(group=world.other_group, starts_at=_at("2027-03-09T13:00"))
    page = _move(login(world.people["coordinator"]), world.meeting, ORDINARY)
    assert page.status_code == 409
    assert (
        "Participant zit dan al bij een bijeenkomst van Groep Noord 2 (13:00–15:00)."
        in page.content.decode()
    )


def test_a_move_onto_a_booked_room_names_the_room(world, login):
    room = Room.objects.create(
        organisation=world.organisation,
        name="Zaal Linde",
        location=LocationFactory(organisation=world.organisation, name="Assen"),
    )
    world.meeting.room = room
    world.meeting.save()
    MeetingFactory(group=world.other_group, starts_at=_at("2027-03-09T14:30"), room=room)
    page = _move(login(world.people["coordinator"]), world.meeting, ORDINARY)
    assert page.status_code == 409
    assert "Zaal Linde (Assen) is dan al bezet door Groep Noord 2" in page.content.decode()


def test_a_move_too_close_to_the_groups_next_meeting_says_how_close(world, login):
    MeetingFactory(group=world.group, starts_at=_at("2027-03-13T14:00"))
    page = _move(login(world.people["coordinator"]), world.meeting, ORDINARY)
    assert page.status_code == 409
    assert (
        "Dat is maar 4 dagen voor de bijeenkomst van deze groep op zaterdag 13 maart 2027; "
        "het programma houdt minstens 28 dagen tussen twee bijeenkomsten." in page.content.decode()
    )


def test_a_group_the_facilitator_may_not_see_is_not_named(world, login):
    """The facilitator of Noord 1 learns that a member is busy, not in which other group."""
    GroupMembershipFactory(group=world.other_group, user=world.people["participant"])
    MeetingFactory(group=world.other_group, starts_at=_at("2027-03-09T13:00"))
    page = _move(login(world.people["facilitator"]), world.meeting, ORDINARY)
    text = page.content.decode()
    assert "Participant heeft dan al een andere intervisiebijeenkomst (13:00–15:00)." in text
    assert "Groep Noord 2" not in text


def test_with_a_reason_the_move_goes_ahead_and_the_override_is_recorded(
    world, login, run_tasks, django_capture_on_commit_callbacks
):
    coordinator = world.people["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _move(
            login(coordinator), world.meeting, KINGS_DAY, override_reason="Alleen dan kan iedereen"
        )
    assert response.status_code == 302
    world.meeting.refresh_from_db()
    assert world.meeting.starts_at == _at(KINGS_DAY)
    change = MeetingChange.objects.get(meeting=world.meeting)
    assert change.kind == MeetingChange.Kind.MOVED and change.by == coordinator
    assert change.override_reason == "Alleen dan kan iedereen"
    assert change.previous_starts_at == datetime(2027, 2, 1, 14, tzinfo=ZONE)
    assert [c["kind"] for c in change.conflicts] == ["holiday"]
    page = login(coordinator).get(
        reverse("planning:meeting_detail", kwargs={"meeting_id": world.meeting.pk})
    )
    assert "ondanks conflicten: “Alleen dan kan iedereen”" in page.content.decode()
    run_tasks()
    assert mail.outbox  # everyone is told about the move


def test_a_move_without_conflicts_needs_no_reason(world, login):
    response = _move(login(world.people["facilitator"]), world.meeting, ORDINARY)
    assert response.status_code == 302
    change = MeetingChange.objects.get(meeting=world.meeting)
    assert change.conflicts == [] and change.override_reason == ""


def _absent_participant(world):
    world.meeting.starts_at = (timezone.now() + timezone.timedelta(days=30)).replace(
        second=0, microsecond=0
    )
    world.meeting.save()
    return Attendance.objects.create(
        meeting=world.meeting,
        user=world.people["participant"],
        status=Attendance.Status.ABSENT_WITH_NOTICE,
        reason="Op vakantie",
    )


def test_an_absence_notice_for_the_old_time_is_cleared_and_the_member_asked_again(
    world, login, run_tasks, django_capture_on_commit_callbacks
):
    attendance = _absent_participant(world)
    new_time = timezone.localtime(world.meeting.starts_at + timezone.timedelta(days=35))
    with django_capture_on_commit_callbacks(execute=True):
        _move(
            login(world.people["coordinator"]),
            world.meeting,
            new_time.strftime("%Y-%m-%dT%H:%M"),
            override_reason="Zo afgesproken",  # whatever the calendar says then
        )
    attendance.refresh_from_db()
    assert attendance.status == Attendance.Status.EXPECTED and attendance.reason == ""
    run_tasks()
    asked = [m for m in mail.outbox if m.to == [world.people["participant"].email]]
    subjects = sorted(m.subject for m in asked)
    assert any(s.startswith("Verplaatst: kun je op") for s in subjects)
    (question,) = [m for m in asked if "afmelding geldt niet meer" in m.body]
    assert "meld je dan opnieuw af" in question.body


def test_moving_only_the_place_keeps_the_absence_notice(world, login):
    attendance = _absent_participant(world)
    same_time = timezone.localtime(world.meeting.starts_at).strftime("%Y-%m-%dT%H:%M")
    _move(login(world.people["coordinator"]), world.meeting, same_time, override_reason="x")
    attendance.refresh_from_db()
    assert attendance.status == Attendance.Status.ABSENT_WITH_NOTICE
    assert Meeting.objects.get(pk=world.meeting.pk).location == "Zaal 9"


def test_an_english_reader_gets_the_conflict_in_english(world, login):
    coordinator = world.people["coordinator"]
    coordinator.language = "en"
    coordinator.save()
    page = _move(login(coordinator), world.meeting, KINGS_DAY)
    assert "On Tuesday 27 April 2027 it is King&#x27;s Day, a public holiday." in (
        page.content.decode()
    )
