"""Every role's start page: what it shows, what it must not show, and that a person with
several roles sees each block that applies."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.accounts.models import Invitation
from kring.groups.models import GroundRuleAcceptance, GroundRuleSet
from kring.organisations.models import Membership
from kring.planning import services as planning_services
from kring.planning.models import Attendance, Meeting
from kring.programmes.models import (
    AssignmentCompletion,
    PreparationAssignment,
    Programme,
    ProgrammeRole,
    Registration,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

MEETING_WHEN = "maandag 1 februari 2027, 14:00"  # world.meeting, in Dutch


def _page(login, user):
    response = login(user).get(reverse("core:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


# Sponsor


def test_a_sponsor_sees_the_plan_awaiting_their_decision_with_a_link_to_decide(world, login):
    world.programme.status = Programme.Status.SUBMITTED
    world.programme.save()
    body = _page(login, world.people["sponsor"])
    assert "Het plan van aanpak voor Intervisie Noord wacht op jouw besluit." in body
    assert reverse("programmes:detail", args=[world.programme.pk]) + "#status" in body


def test_a_sponsor_sees_progress_at_a_glance_but_no_names_or_content(world, login):
    Registration.objects.create(programme=world.programme, user=world.people["participant"])
    body = _page(login, world.people["sponsor"])
    assert "Programma's waarvan ik opdrachtgever ben" in body
    assert "<dt>Aangemeld</dt><dd>1</dd>" in body
    assert "<dd>0 / 1</dd>" in body  # meetings held / planned
    assert "wacht op jouw besluit" not in body  # the plan is decided already
    for hidden in ["Participant", "Groep Noord 1", "SECRET-", "Volgende stap"]:
        assert hidden not in body


# Facilitator


def test_a_facilitator_sees_their_groups_next_meeting_and_what_to_prepare(world, login):
    Attendance.objects.create(
        meeting=world.meeting,
        user=world.people["participant"],
        status=Attendance.Status.ABSENT_WITH_NOTICE,
        reason="SECRET-reason",
    )
    body = _page(login, world.people["facilitator"])
    assert "Groep Noord 1" in body
    assert MEETING_WHEN in body
    assert "1 lid heeft zich afgemeld." in body
    assert reverse("planning:meeting_detail", args=[world.meeting.pk]) in body
    assert "Groep Noord 2" not in body  # the other facilitator's group
    assert "SECRET-" not in body


def test_a_facilitator_is_asked_to_record_attendance_of_a_past_meeting(world, login):
    past = f.MeetingFactory(group=world.group, starts_at=timezone.now() - timedelta(days=2))
    body = _page(login, world.people["facilitator"])
    assert "Aanwezigheid invullen" in body
    assert reverse("planning:meeting_detail", args=[past.pk]) + "#attendance" in body


# Participant


def test_a_participant_sees_the_next_meeting_with_date_time_and_place(world, login):
    body = _page(login, world.people["participant"])
    assert "Volgende bijeenkomst:" in body
    assert MEETING_WHEN in body
    assert world.meeting.location in body
    assert reverse("planning:meeting_detail", args=[world.meeting.pk]) in body


def test_a_participant_is_asked_to_accept_the_ground_rules_until_they_do(world, login):
    participant = world.people["participant"]
    link = reverse("groups:detail", args=[world.group.pk]) + "#rules"
    assert link in _page(login, participant)
    rule_set = world.group.ground_rule_set
    GroundRuleAcceptance.objects.create(rule_set=rule_set, user=participant, revision=1)
    assert link not in _page(login, participant)
    # A changed rule set asks again.
    GroundRuleSet.objects.filter(pk=world.group.ground_rule_set_id).update(revision=2)
    assert link in _page(login, participant)


def test_a_participant_sees_polls_to_answer_until_answered(world, login):
    poll = planning_services.create_poll(
        group=world.group,
        title="Wanneer in maart?",
        starts=[world.meeting.starts_at + timedelta(days=30)],
        by=world.people["facilitator"],
    )
    poll.closes_on = date(2027, 2, 4)
    poll.save()
    participant = world.people["participant"]
    body = _page(login, participant)
    assert reverse("planning:poll", args=[poll.pk]) in body
    assert "antwoord uiterlijk donderdag 4 februari" in body
    assert "Wanneer in maart?" not in _page(login, world.people["other_participant"])
    planning_services.answer_poll(
        poll=poll, user=participant, answers={poll.options.get().pk: ("yes", "")}
    )
    assert reverse("planning:poll", args=[poll.pk]) not in _page(login, participant)


def test_a_participant_sees_the_preparation_assignment_its_due_date_and_when_done(world, login):
    assignment = PreparationAssignment.objects.create(
        programme=world.programme,
        text="Schrijf een dilemma op.",
        due_on=date(2027, 2, 4),
        sent_at=timezone.now(),
    )
    participant = world.people["participant"]
    body = _page(login, participant)
    assert "af op donderdag 4 februari 2027" in body
    assert reverse("programmes:detail", args=[world.programme.pk]) + "#my-assignments" in body
    AssignmentCompletion.objects.create(assignment=assignment, user=participant)
    assert "af op donderdag 4 februari 2027" not in _page(login, participant)


def test_someone_registered_but_not_yet_in_a_group_hears_what_happens_next(world, login):
    later = f.ProgrammeFactory(
        organisation=world.organisation,
        title="Intervisie 2028",
        status=Programme.Status.REGISTRATION_OPEN,
    )
    outsider = world.people["outsider"]
    f.ProgrammeRoleFactory(programme=later, user=outsider, role=ProgrammeRole.Role.PARTICIPANT)
    Registration.objects.create(
        programme=later,
        user=outsider,
        manager_confirmation=Registration.ManagerConfirmation.PENDING,
    )
    body = _page(login, outsider)
    assert "Je aanmelding voor Intervisie 2028 wacht op je leidinggevende" in body


# Line manager


def test_a_line_manager_sees_whether_their_reports_take_part_and_nothing_more(world, login):
    body = _page(login, world.people["line_manager"])
    assert "<td>Participant</td>" in body
    assert "Doet mee aan Intervisie Noord" in body
    for hidden in ["Other Participant", "Groep Noord 1", MEETING_WHEN, "SECRET-"]:
        assert hidden not in body


def test_a_line_manager_sees_a_registration_waiting_for_their_confirmation(world, login):
    world.group.memberships.update(left_on=date(2027, 1, 2))
    Registration.objects.create(
        programme=world.programme,
        user=world.people["participant"],
        manager_confirmation=Registration.ManagerConfirmation.PENDING,
    )
    body = _page(login, world.people["line_manager"])
    assert "Aangemeld voor Intervisie Noord; wacht op jouw bevestiging" in body


# Organisation admin


def test_an_admin_sees_people_open_invitations_and_templates(world, login):
    Invitation.objects.create(
        organisation=world.organisation,
        email="nieuw@example.org",
        role=Membership.Role.MEMBER,
        token_hash="x" * 64,
        expires_at=timezone.now() + timedelta(days=3),
    )
    GroundRuleSet.objects.create(organisation=world.organisation, name="Spelregels Noord")
    body = _page(login, world.people["admin"])
    people = Membership.objects.filter(organisation=world.organisation, is_active=True).count()
    assert f"{people} personen" in body or f"{people} mensen" in body
    assert "1 uitnodiging nog niet geaccepteerd" in body
    assert reverse("organisations:people", args=[world.organisation.slug]) + "#invitations" in body
    assert "Spelregels Noord" in body


def test_another_organisations_admin_sees_nothing_of_this_one(world, login):
    body = _page(login, world.people["other_admin"])
    assert "Gemeente Zuid" in body
    for foreign in ["Zorg Noord", "Intervisie Noord", "Groep Noord", "Participant"]:
        assert foreign not in body


# No role, several roles


def test_someone_without_a_role_learns_what_kring_is_and_whom_to_ask(world, login):
    body = _page(login, world.people["outsider"])
    assert "Wat is Kring?" in body
    assert "Coordinator" in body and "coordinator@example.org" in body  # whom to ask
    assert "Intervisie Noord" not in body
    assert "Volgende bijeenkomst" not in body


def test_someone_in_no_organisation_is_told_to_ask_hr(db, login):
    body = _page(login, f.UserFactory())
    assert "Wat is Kring?" in body
    assert "Vraag het aan de afdeling HR" in body


def test_a_person_with_several_roles_sees_each_block(world, login):
    manager = world.people["line_manager"]
    f.GroupMembershipFactory(group=world.other_group, user=manager)
    f.ProgrammeRoleFactory(
        programme=world.programme, user=manager, role=ProgrammeRole.Role.PARTICIPANT
    )
    f.MeetingFactory(
        group=world.other_group,
        starts_at=world.meeting.starts_at + timedelta(days=1),
        status=Meeting.Status.PLANNED,
    )
    body = _page(login, manager)
    assert "Mijn intervisie" in body and "Groep Noord 2" in body
    assert "Deelname van" in body and "<td>Participant</td>" in body
    assert "Wat is Kring?" not in body


def test_someone_in_a_programme_without_a_block_of_their_own_sees_it_listed(world, login):
    waiting_facilitator = world.people["other_facilitator"]
    world.other_group.facilitator = None
    world.other_group.save()
    body = _page(login, waiting_facilitator)
    assert "Mijn programma's" in body and "Intervisie Noord" in body
    assert "Wat is Kring?" not in body


def test_a_facilitators_page_costs_the_same_queries_for_one_group_as_for_three(world, login):
    facilitator = world.people["facilitator"]
    planning_services.create_poll(
        group=world.group, title="Datum?", starts=[world.meeting.starts_at], by=facilitator
    )

    def queries():
        client = login(facilitator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core:dashboard")).status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for number in range(2):
        group = f.GroupFactory(programme=world.programme, facilitator=facilitator)
        f.GroupMembershipFactory(group=group)
        f.MeetingFactory(group=group)
        f.MeetingFactory(group=group, starts_at=timezone.now() - timedelta(days=3 + number))
        planning_services.create_poll(
            group=group, title="Datum?", starts=[world.meeting.starts_at], by=facilitator
        )
    assert queries() == one


def test_a_participants_page_costs_the_same_queries_for_one_group_as_for_three(world, login):
    participant = world.people["participant"]
    planning_services.create_poll(
        group=world.group, title="Datum?", starts=[world.meeting.starts_at], by=participant
    )
    PreparationAssignment.objects.create(
        programme=world.programme,
        text="Lees dit.",
        due_on=date(2027, 1, 20),
        sent_at=timezone.now(),
    )

    def queries():
        client = login(participant)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core:dashboard")).status_code == 200
        return len(captured.captured_queries)

    one = queries()
    for _ in range(2):
        programme = f.ProgrammeFactory(organisation=world.organisation)
        f.ProgrammeRoleFactory(programme=programme, user=participant)
        group = f.GroupFactory(programme=programme)
        f.GroupMembershipFactory(group=group, user=participant)
        f.MeetingFactory(group=group)
        planning_services.create_poll(
            group=group, title="Datum?", starts=[world.meeting.starts_at], by=participant
        )
        PreparationAssignment.objects.create(
            programme=programme, text="Lees dit.", due_on=date(2027, 1, 20), sent_at=timezone.now()
        )
    body = _page(login, participant)
    assert body.count("Volgende bijeenkomst:") == 3
    assert queries() == one


def test_a_participant_role_with_nothing_in_it_yet_shows_no_empty_block(world, login):
    newcomer = world.people["outsider"]
    f.ProgrammeRoleFactory(
        programme=world.programme, user=newcomer, role=ProgrammeRole.Role.PARTICIPANT
    )
    body = _page(login, newcomer)
    assert "Mijn intervisie" not in body
    assert "Mijn programma's" in body and "Intervisie Noord" in body
