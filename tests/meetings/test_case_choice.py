"""Choosing a meeting's cases: volunteered by the presenter or chosen by the process
facilitator (or the group's facilitator); at most two; the presenter presents."""

import pytest
from django.urls import reverse

from kring.meetings import selectors, services
from kring.meetings.models import MeetingCase, RoleAssignment
from kring.planning.models import Attendance

from .case_helpers import case_of, member, process_facilitator


def _meeting_page(client, world):
    return client.get(
        reverse("planning:meeting_detail", kwargs={"meeting_id": world.meeting.pk})
    ).content.decode()


def test_the_presenter_volunteers_their_case_and_presents(world, login):
    participant = world.people["participant"]
    client = login(participant)
    assert "Ik bied mijn casus aan" in _meeting_page(client, world)
    response = client.post(
        reverse(
            "meetings:volunteer_case",
            kwargs={"meeting_id": world.meeting.pk, "case_id": world.case.pk},
        )
    )
    assert response.status_code == 302
    choice = MeetingCase.objects.get(meeting=world.meeting)
    assert (choice.case, choice.how, choice.chosen_by) == (world.case, "volunteered", participant)
    assert RoleAssignment.objects.filter(
        meeting=world.meeting, user=participant, role="presenter"
    ).exists()
    assert selectors.chosen_presenter_ids(world.meeting) == [participant.pk]
    assert selectors.chosen_case_kinds(world.meeting) == [world.case.kind]


def test_a_presenter_cannot_volunteer_someone_elses_case(world):
    other = member(world, "Bert Jansen")
    with pytest.raises(services.CaseError):
        services.volunteer_case(case=world.case, meeting=world.meeting, by=other)


def test_the_process_facilitator_chooses_from_the_backlog(world, login):
    chooser = process_facilitator(world)
    response = login(chooser).post(
        reverse(
            "meetings:choose_case",
            kwargs={"meeting_id": world.meeting.pk, "case_id": world.case.pk},
        )
    )
    assert response.status_code == 302
    assert MeetingCase.objects.get(meeting=world.meeting).how == "chosen"


def test_the_groups_facilitator_chooses_too(world):
    services.choose_case(case=world.case, meeting=world.meeting, by=world.people["facilitator"])
    assert MeetingCase.objects.filter(meeting=world.meeting, case=world.case).exists()


def test_a_member_without_the_process_role_does_not_choose(world, login):
    other = member(world, "Bert Jansen")
    response = login(other).post(
        reverse(
            "meetings:choose_case",
            kwargs={"meeting_id": world.meeting.pk, "case_id": world.case.pk},
        )
    )
    assert response.status_code == 403
    assert not MeetingCase.objects.exists()


def test_a_coordinator_sees_the_meeting_but_not_its_cases_and_cannot_choose(world, login):
    services.volunteer_case(case=world.case, meeting=world.meeting, by=world.people["participant"])
    client = login(world.people["coordinator"])
    assert world.case.title not in _meeting_page(client, world)
    response = client.post(
        reverse(
            "meetings:choose_case",
            kwargs={"meeting_id": world.meeting.pk, "case_id": world.case.pk},
        )
    )
    assert response.status_code == 403


def test_at_most_two_cases_per_meeting(world):
    facilitator = world.people["facilitator"]
    for name in ("Bert Jansen", "Carla Smit"):
        services.choose_case(
            case=case_of(world, member(world, name)), meeting=world.meeting, by=facilitator
        )
    with pytest.raises(services.CaseError, match="twee"):
        services.choose_case(case=world.case, meeting=world.meeting, by=facilitator)
    assert len(selectors.chosen_presenter_ids(world.meeting)) == 2
    assert RoleAssignment.objects.filter(meeting=world.meeting, role="presenter").count() == 2


def test_a_case_is_chosen_for_one_meeting_only(world):
    from tests.factories import MeetingFactory

    later = MeetingFactory(group=world.group, starts_at=world.meeting.starts_at.replace(month=3))
    services.volunteer_case(case=world.case, meeting=world.meeting, by=world.people["participant"])
    with pytest.raises(services.CaseError):
        services.choose_case(case=world.case, meeting=later, by=world.people["facilitator"])


def test_a_presenter_who_said_they_cannot_come_is_not_chosen(world):
    Attendance.objects.create(
        meeting=world.meeting,
        user=world.people["participant"],
        status=Attendance.Status.ABSENT_WITH_NOTICE,
    )
    with pytest.raises(services.CaseError):
        services.choose_case(case=world.case, meeting=world.meeting, by=world.people["facilitator"])


def test_choosing_swaps_roles_with_a_presenter_who_has_no_case(world):
    participant = world.people["participant"]
    first, second = member(world, "Bert Jansen"), member(world, "Carla Smit")
    RoleAssignment.objects.create(meeting=world.meeting, user=first, role="presenter")
    RoleAssignment.objects.create(meeting=world.meeting, user=second, role="presenter")
    RoleAssignment.objects.create(meeting=world.meeting, user=participant, role="timekeeper")
    services.volunteer_case(case=world.case, meeting=world.meeting, by=participant)
    roles = dict(
        RoleAssignment.objects.filter(meeting=world.meeting).values_list("user_id", "role")
    )
    assert roles[participant.pk] == "presenter"
    assert sorted(roles.values()) == ["presenter", "presenter", "timekeeper"]


def test_a_choice_goes_back_to_the_backlog(world, login):
    services.volunteer_case(case=world.case, meeting=world.meeting, by=world.people["participant"])
    login(world.people["facilitator"]).post(
        reverse(
            "meetings:remove_choice",
            kwargs={"meeting_id": world.meeting.pk, "case_id": world.case.pk},
        )
    )
    assert not MeetingCase.objects.exists()
    group_page = login(world.people["participant"]).get(
        reverse("groups:detail", kwargs={"group_id": world.group.pk})
    )
    assert world.case.title in group_page.content.decode()


def test_the_group_page_shows_for_which_meeting_a_case_is_chosen(world, login):
    services.volunteer_case(case=world.case, meeting=world.meeting, by=world.people["participant"])
    page = login(world.people["participant"]).get(
        reverse("groups:detail", kwargs={"group_id": world.group.pk})
    )
    assert "Voor de bijeenkomst van" in page.content.decode()
