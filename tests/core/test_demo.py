import itertools

import holidays
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kring.core.demo import DEMO_PASSWORD, LOGINS
from kring.groups.models import Group, GroupMembership
from kring.organisations.models import Department, Location, Membership, Organisation
from kring.planning.models import Attendance, Meeting
from kring.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_has_the_promised_organisation(demo):
    organisation = Organisation.objects.get()
    assert Location.objects.filter(organisation=organisation).count() == 3
    assert Department.objects.filter(organisation=organisation).count() == 8
    participants = Programme.objects.get(status="running").roles.filter(role="participant")
    assert participants.count() == 60
    levels = Membership.objects.filter(user__programme_roles__role="participant").values_list(
        "function_level__rank", flat=True
    )
    assert set(levels) == {1, 2, 3, 4}
    assert organisation.memberships.filter(role="facilitator").count() == 3


def test_the_demo_groups_obey_the_intervision_rules(demo):
    groups = Group.objects.filter(programme__status="running")
    assert groups.count() == 8
    for group in groups:
        users = [m.user for m in group.memberships.current()]
        assert 4 <= len(users) <= 10
        memberships = Membership.objects.filter(user__in=users)
        managers = {m.pk: m.line_manager_id for m in memberships}
        for a, b in itertools.permutations(managers, 2):
            assert managers[a] != b, f"{group}: a manager with their own report"
        assert group.meetings.exists()


def test_running_the_demo_twice_changes_nothing(demo):
    counts = (Membership.objects.count(), Group.objects.count())
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Membership.objects.count(), Group.objects.count()) == counts


@pytest.mark.parametrize("email", [email for email, _role in LOGINS])
def test_every_demo_login_reaches_its_dashboard(demo, client, email):
    response = client.post(
        reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("core:dashboard")
    assert response.status_code == 200


def test_the_demo_participant_sees_their_group_and_case(demo, client):
    client.post(
        reverse("accounts:login"),
        {"username": "deelnemer@delinde.example", "password": DEMO_PASSWORD},
    )
    body = client.get(reverse("core:dashboard")).content.decode()
    assert "Groep 1" in body
    group = Group.objects.get(name="Groep 1")
    group_page = client.get(reverse("groups:detail", kwargs={"group_id": group.pk})).content
    assert "Grenzen stellen" in group_page.decode()


def test_the_demo_programme_is_half_way_through_its_year(demo):
    programme = Programme.objects.get(status="running")
    today = timezone.localdate()
    assert programme.starts_on < today < programme.ends_on
    # (A written round under way started days ago: it is no appointment.)
    meetings = Meeting.objects.filter(group__programme=programme).exclude(mode="written")
    held = meetings.filter(status=Meeting.Status.HELD)
    assert held.exists() and all(m.starts_at.date() < today for m in held)
    ahead = meetings.filter(status=Meeting.Status.PLANNED)
    assert ahead.exists() and all(m.starts_at.date() >= today for m in ahead)
    for group in programme.groups.all():
        assert group.meetings.exclude(mode="written").count() == programme.meeting_count


def test_the_demo_meets_on_working_days_only(demo):
    dutch_holidays = holidays.country_holidays("NL", years=range(2025, 2035))
    for meeting in Meeting.objects.all():
        day = timezone.localtime(meeting.starts_at).date()
        assert day.weekday() < 5, f"{meeting} is on a weekend"
        assert day not in dutch_holidays, f"{meeting} is on {dutch_holidays.get(day)}"


def test_nobody_in_the_demo_is_booked_twice(demo):
    meetings = list(Meeting.objects.select_related("group"))
    for a, b in itertools.combinations(meetings, 2):
        if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
            assert a.group.facilitator_id != b.group.facilitator_id
            assert a.room_id != b.room_id


def test_held_demo_meetings_have_their_attendance(demo):
    held = Meeting.objects.filter(status=Meeting.Status.HELD)
    for meeting in held:
        members = set(meeting.group.memberships.current().values_list("user_id", flat=True))
        recorded = set(meeting.attendances.values_list("user_id", flat=True))
        assert recorded == members
    present = Attendance.objects.filter(meeting__in=held, status=Attendance.Status.PRESENT)
    rate = present.count() / Attendance.objects.filter(meeting__in=held).count()
    assert 0.8 < rate < 1


def test_everyone_in_a_demo_group_is_registered(demo):
    programme = Programme.objects.get(status="running")
    in_groups = set(
        GroupMembership.objects.filter(group__programme=programme).values_list("user", flat=True)
    )
    registered = set(programme.registrations.taking_part().values_list("user", flat=True))
    assert in_groups == registered and len(registered) == 60


def test_the_demo_has_programmes_in_other_states(demo):
    taking_registrations = Programme.objects.get(status="registration_open")
    assert taking_registrations.registrations.taking_part().count() >= 10
    assert taking_registrations.registrations.filter(manager_confirmation="pending").exists()
    assert Programme.objects.filter(status="submitted").count() == 1


def test_the_demo_has_a_written_round_under_way(demo):
    from kring.live.models import LiveSession
    from kring.records.models import RecordInput

    session = LiveSession.objects.get(meeting__mode="written")
    assert session.meeting.group.name == "Groep 2"
    assert session.pacing == "written" and session.state == "running" and session.phase == 2
    assert session.timer_ends_at > timezone.now()  # the questions are still coming in
    assert RecordInput.objects.filter(record__meeting=session.meeting, phase=2).count() == 3
