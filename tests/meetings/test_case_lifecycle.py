"""A held meeting has discussed its chosen cases; a cancelled one gives them back."""

from django.urls import reverse

from kring.meetings import services
from kring.meetings.models import Case, CaseVote, MeetingCase
from kring.planning import services as planning_services

from .case_helpers import case_of, member


def test_holding_the_meeting_marks_its_cases_discussed(
    world, login, django_capture_on_commit_callbacks
):
    participant = world.people["participant"]
    services.volunteer_case(case=world.case, meeting=world.meeting, by=participant)
    with django_capture_on_commit_callbacks(execute=True):
        planning_services.record_attendance(
            meeting=world.meeting,
            statuses={participant.pk: "present"},
            by=world.people["facilitator"],
        )
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.DISCUSSED
    assert world.case.discussed_at == world.meeting
    page = login(participant).get(reverse("groups:detail", kwargs={"group_id": world.group.pk}))
    assert "besproken op" in page.content.decode()


def test_a_case_whose_presenter_was_not_there_goes_back_to_the_backlog(
    world, django_capture_on_commit_callbacks
):
    participant = world.people["participant"]
    services.volunteer_case(case=world.case, meeting=world.meeting, by=participant)
    with django_capture_on_commit_callbacks(execute=True):
        planning_services.record_attendance(
            meeting=world.meeting,
            statuses={participant.pk: "absent"},
            by=world.people["facilitator"],
        )
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.OPEN
    assert not MeetingCase.objects.exists()


def test_a_case_not_chosen_stays_in_the_backlog(world, django_capture_on_commit_callbacks):
    other = case_of(world, member(world, "Bert Jansen"))
    services.volunteer_case(case=world.case, meeting=world.meeting, by=world.people["participant"])
    with django_capture_on_commit_callbacks(execute=True):
        planning_services.record_attendance(
            meeting=world.meeting,
            statuses={world.people["participant"].pk: "present"},
            by=world.people["facilitator"],
        )
    other.refresh_from_db()
    assert other.status == Case.Status.OPEN and other.discussed_at is None


def test_cancelling_the_meeting_frees_its_cases_and_its_vote(world):
    services.volunteer_case(case=world.case, meeting=world.meeting, by=world.people["participant"])
    CaseVote.objects.create(meeting=world.meeting)
    planning_services.cancel(meeting=world.meeting, by=world.people["facilitator"])
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.OPEN
    assert not MeetingCase.objects.exists() and not CaseVote.objects.exists()
