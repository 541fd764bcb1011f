"""The policy decides everything in one place (issue 8, §1 and §2).

Each test states a decision a person would notice: a page that is not theirs looks exactly
like a page that does not exist, a refused action leaves the database as it was, and the
services re-check the state they depend on.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kring.confidentiality import policy
from kring.confidentiality.models import AuditEvent
from kring.confidentiality.policy import ABOUT, REGISTRY, Action, can
from kring.meetings import services as meeting_services
from kring.meetings.models import Case
from kring.planning import services as planning_services
from kring.planning.models import Attendance, PollAnswer
from kring.programmes.models import Programme

BEYOND_ANY_DATABASE = 10**30


@pytest.mark.parametrize("role", ["outsider", "line_manager", "sponsor", "other_admin"])
def test_a_group_that_is_not_yours_looks_like_one_that_does_not_exist(world, login, role):
    client = login(world.people[role])
    real = client.get(f"/groups/{world.group.pk}/")
    missing = client.get("/groups/999999/")
    assert real.status_code == missing.status_code == 404
    assert _without_request_noise(real) == _without_request_noise(missing)


def _without_request_noise(response) -> str:
    """The page minus what differs on every request anyway (CSRF token, own address)."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    return re.sub(r'name="next" value="[^"]*"', "", body)


@pytest.mark.parametrize(
    "url",
    [
        "/groups/{huge}/",
        "/cases/{huge}/",
        "/planning/meetings/{huge}/",
        "/programmes/{huge}/",
        "/planning/polls/{huge}/",
    ],
)
def test_an_id_no_database_can_hold_is_a_plain_404(world, login, url):
    response = login(world.people["coordinator"]).get(url.format(huge=BEYOND_ANY_DATABASE))
    assert response.status_code == 404


def test_the_facilitator_takes_no_part_in_the_content_and_brings_no_case(world, login):
    facilitator = world.people["facilitator"]
    before = Case.objects.count()
    response = login(facilitator).post(
        reverse("meetings:add_case", kwargs={"group_id": world.group.pk}),
        {
            "title": "Mijn eigen casus",
            "situation": "Van de begeleider",
            "question": "Wat?",
            "help_wanted": "Advies",
        },
    )
    assert response.status_code == 403  # they see the group, but cases are the members'
    assert Case.objects.count() == before
    with pytest.raises(meeting_services.CaseError):
        meeting_services.submit_case(
            group=world.group, presenter=facilitator, title="x", situation="y"
        )
    page = login(facilitator).get(reverse("groups:detail", kwargs={"group_id": world.group.pk}))
    assert reverse("meetings:add_case", kwargs={"group_id": world.group.pk}) not in (
        page.content.decode()
    )


def test_a_discussed_case_cannot_be_withdrawn_by_a_direct_post(world, login):
    world.case.status = Case.Status.DISCUSSED
    world.case.save()
    response = login(world.people["participant"]).post(
        reverse("meetings:withdraw_case", kwargs={"case_id": world.case.pk}), follow=True
    )
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.DISCUSSED
    assert "al besproken" in response.content.decode()


def test_a_withdrawn_case_cannot_be_withdrawn_again(world):
    meeting_services.withdraw_case(case=world.case, by=world.people["participant"])
    with pytest.raises(meeting_services.CaseError, match="al ingetrokken"):
        meeting_services.withdraw_case(case=world.case, by=world.people["participant"])


def test_a_withdrawn_case_is_the_presenters_alone_and_they_may_delete_it(world, login):
    meeting_services.withdraw_case(case=world.case, by=world.people["participant"])
    detail = reverse("meetings:case_detail", kwargs={"case_id": world.case.pk})
    delete = reverse("meetings:delete_case", kwargs={"case_id": world.case.pk})
    for role in ["facilitator", "coordinator", "other_participant"]:
        client = login(world.people[role])
        assert client.get(detail).status_code == 404
        assert client.post(delete).status_code == 404
        assert Case.objects.filter(pk=world.case.pk).exists()

    presenter = login(world.people["participant"])
    page = presenter.get(detail)
    assert page.status_code == 200 and world.case.title in page.content.decode()
    assert presenter.post(delete).status_code == 302
    assert not Case.objects.filter(pk=world.case.pk).exists()


def test_an_open_case_cannot_be_deleted_only_withdrawn(world, login):
    response = login(world.people["participant"]).post(
        reverse("meetings:delete_case", kwargs={"case_id": world.case.pk})
    )
    assert response.status_code == 404
    assert Case.objects.filter(pk=world.case.pk).exists()


def _poll(world):
    start = timezone.now() + timedelta(days=30)
    return planning_services.create_poll(
        group=world.group, title="Wanneer?", starts=[start], by=world.people["facilitator"]
    )


def test_a_closed_poll_takes_no_answers(world):
    poll = _poll(world)
    poll.is_closed = True
    poll.save()
    option = poll.options.get()
    with pytest.raises(planning_services.PlanningError):
        planning_services.answer_poll(
            poll=poll, user=world.people["participant"], answers={option.pk: ("yes", "")}
        )
    assert not PollAnswer.objects.exists()


def test_only_members_and_the_facilitator_answer_a_poll(world, login):
    poll = _poll(world)
    option = poll.options.get()
    url = reverse("planning:poll", kwargs={"poll_id": poll.pk})
    data = {f"answer_{option.pk}": "yes"}
    assert login(world.people["coordinator"]).post(url, data).status_code == 403
    assert login(world.people["outsider"]).post(url, data).status_code == 404
    assert not PollAnswer.objects.exists()
    assert can(world.people["participant"], Action.ANSWER_POLL, poll)
    assert can(world.people["facilitator"], Action.ANSWER_POLL, poll)
    assert not can(world.people["coordinator"], Action.ANSWER_POLL, poll)


def test_an_absence_reason_is_for_the_person_and_the_groups_facilitator(world, login):
    world.meeting.starts_at = timezone.now() + timedelta(days=7)
    world.meeting.save()
    attendance = planning_services.report_absence(
        meeting=world.meeting, user=world.people["participant"], reason="SECRET-REASON-ZIEK"
    )
    assert can(world.people["participant"], Action.VIEW_ABSENCE_REASON, attendance)
    assert can(world.people["facilitator"], Action.VIEW_ABSENCE_REASON, attendance)
    for role in ["coordinator", "admin", "other_facilitator", "other_participant"]:
        assert not can(world.people[role], Action.VIEW_ABSENCE_REASON, attendance)
    url = reverse("planning:meeting_detail", kwargs={"meeting_id": world.meeting.pk})
    assert "SECRET-REASON-ZIEK" in login(world.people["facilitator"]).get(url).content.decode()
    assert "SECRET-REASON-ZIEK" not in login(world.people["coordinator"]).get(url).content.decode()
    assert Attendance.objects.filter(pk=attendance.pk).exists()


def test_a_refused_attempt_at_content_is_in_the_audit_log(world, login):
    intruder = world.people["other_participant"]
    response = login(intruder).get(
        reverse("meetings:case_detail", kwargs={"case_id": world.case.pk})
    )
    assert response.status_code == 404
    refused = AuditEvent.objects.get(event=AuditEvent.Event.REFUSED, actor=intruder)
    assert refused.object_id == str(world.case.pk)
    assert refused.subject_id == world.people["participant"].pk
    assert refused.organisation_id == world.organisation.pk


def test_a_read_names_the_capacity_and_whose_data_it_is(world, login):
    login(world.people["facilitator"]).get(
        reverse("meetings:case_detail", kwargs={"case_id": world.case.pk})
    )
    read = AuditEvent.objects.get(event=AuditEvent.Event.READ, actor=world.people["facilitator"])
    assert read.capacity == AuditEvent.Capacity.FACILITATOR
    assert read.subject_id == world.people["participant"].pk


def test_only_the_sponsor_decides_on_the_plan_and_others_change_nothing(world, login):
    programme = world.programme
    programme.status = Programme.Status.SUBMITTED
    programme.save()
    url = reverse("programmes:change_status", kwargs={"programme_id": programme.pk})
    for role in ["participant", "facilitator", "line_manager"]:
        assert login(world.people[role]).post(url, {"to_status": "approved"}).status_code == 403
    login(world.people["coordinator"]).post(url, {"to_status": "approved"})
    programme.refresh_from_db()
    assert programme.status == Programme.Status.SUBMITTED  # the coordinator does not decide
    login(world.people["sponsor"]).post(url, {"to_status": "approved"})
    programme.refresh_from_db()
    assert programme.status == Programme.Status.APPROVED


def test_only_participants_of_the_programme_complete_its_assignment(world, login):
    assignment = world.programme.preparation_assignments.create(
        text="Bedenk een casus", due_on="2027-01-10"
    )
    url = reverse("programmes:complete_assignment", kwargs={"assignment_id": assignment.pk})
    assert login(world.people["coordinator"]).post(url).status_code == 403
    assert login(world.people["outsider"]).post(url).status_code == 404
    assert not assignment.completions.exists()
    assert login(world.people["participant"]).post(url).status_code == 302
    assert assignment.completions.filter(user=world.people["participant"]).exists()


def test_a_persons_roles_are_looked_up_once_per_request(world, login):
    client = login(world.people["coordinator"])
    url = reverse("programmes:detail", kwargs={"programme_id": world.programme.pk})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    role_lookups = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "programmes_programmerole" WHERE "programmes_programmerole"."user_id"' in q["sql"]
    ]
    membership_lookups = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "organisations_membership" WHERE' in q["sql"]
        and '"organisations_membership"."user_id" =' in q["sql"]
    ]
    assert len(role_lookups) == 1, role_lookups
    assert len(membership_lookups) == 1, membership_lookups


def test_a_role_given_during_a_request_is_seen_at_once(world):
    """The per-request viewer forgets roles when they change."""
    from kring.confidentiality.policy import _viewers
    from tests.factories import GroupMembershipFactory

    token = _viewers.set({})
    try:
        newcomer = world.people["other_participant"]
        assert not can(newcomer, Action.VIEW_CASE, world.case)
        GroupMembershipFactory(group=world.group, user=newcomer)
        assert can(newcomer, Action.VIEW_CASE, world.case)
    finally:
        _viewers.reset(token)


def test_every_action_is_decided_on_a_known_object():
    assert set(ABOUT) == set(Action)
    assert set(ABOUT.values()) <= set(REGISTRY)


def test_the_organisation_of_every_object_comes_from_the_registry(world):
    poll = _poll(world)
    assert policy.organisation_of(poll.options.get()) == world.organisation
    assert policy.organisation_of(world.case) == world.organisation
    assert policy.organisation_of(world.meeting) == world.organisation
    assert policy.organisation_of(world.programme) == world.organisation
    assert policy.organisation_of(world.log_entry) is None  # the author's own


def test_a_member_switched_off_in_the_organisation_loses_the_groups_content(world, login):
    membership = world.people["participant"].memberships.get(organisation=world.organisation)
    membership.is_active = False
    membership.save()
    client = login(world.people["participant"])
    case_page = client.get(reverse("meetings:case_detail", kwargs={"case_id": world.case.pk}))
    assert case_page.status_code == 404
    before = Case.objects.count()
    client.post(
        reverse("meetings:add_case", kwargs={"group_id": world.group.pk}),
        {
            "title": "Nog een casus",
            "situation": "Na het uitschakelen",
            "question": "Wat?",
            "help_wanted": "Advies",
        },
    )
    assert Case.objects.count() == before


def test_bringing_in_withdrawing_and_deleting_a_case_are_in_the_audit_log(world):
    presenter = world.people["participant"]
    case = meeting_services.submit_case(
        group=world.group, presenter=presenter, title="Nieuw", situation="Tekst"
    )
    meeting_services.withdraw_case(case=case, by=presenter)
    meeting_services.delete_case(case=case, by=presenter)
    events = list(
        AuditEvent.objects.filter(object_type="meetings.case", object_id=str(case.pk))
        .order_by("id")
        .values_list("event", "capacity", "subject_id")
    )
    assert events == [
        ("create", "author", presenter.pk),
        ("change", "author", presenter.pk),
        ("delete", "author", presenter.pk),
    ]


def test_a_switched_off_facilitator_gets_no_meeting_mails_or_feed_entries(world):
    facilitator = world.people["facilitator"]
    assert facilitator in planning_services.people_of(world.meeting)
    membership = facilitator.memberships.get(organisation=world.organisation)
    membership.is_active = False
    membership.save()
    assert facilitator not in planning_services.people_of(world.meeting)
    assert not planning_services.feed_meetings(facilitator).exists()


def test_a_line_manager_sees_no_group_of_their_report_in_another_organisation(world, login):
    from kring.core.selectors import dashboard_for
    from tests.factories import GroupFactory, GroupMembershipFactory, ProgrammeFactory

    elsewhere = ProgrammeFactory(organisation=world.other_organisation, title="Open elders")
    other_group = GroupFactory(programme=elsewhere, name="Groep Elders")
    participant = world.people["participant"]
    world.group.memberships.filter(user=participant).update(left_on=world.meeting.starts_at)
    GroupMembershipFactory(group=other_group, user=participant)
    reports = dashboard_for(world.people["line_manager"])["direct_reports"]
    assert [r["group_membership"] for r in reports if r["membership"].user == participant] == [None]


def test_reading_a_backlog_costs_the_same_for_one_case_as_for_ten(world):
    from tests.factories import CaseFactory

    def queries_for_backlog():
        with CaptureQueriesContext(connection) as queries:
            policy.read_backlog(world.people["participant"], world.group)
        return len(queries.captured_queries)

    one = queries_for_backlog()
    for _ in range(9):
        CaseFactory(group=world.group, presenter=world.people["participant"])
    assert queries_for_backlog() == one
