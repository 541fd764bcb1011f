"""Bringing in a case and withdrawing it (also once it is chosen for a meeting)."""

from django.urls import reverse

from kring.meetings import services
from kring.meetings.models import Case, MeetingCase

CASE = {
    "title": "Een lastig gesprek",
    "situation": "Mijn cliënt vraagt steeds meer.",
    "question": "Hoe zeg ik nee?",
    "help_wanted": "Vragen die me verder helpen",
    "kind": "approach",
}


def test_a_member_brings_in_a_case_with_its_question_help_and_kind(world, login):
    client = login(world.people["participant"])
    response = client.post(reverse("meetings:add_case", kwargs={"group_id": world.group.pk}), CASE)
    assert response.status_code == 302
    case = Case.objects.filter(presenter=world.people["participant"]).latest("pk")
    assert (case.situation, case.question, case.help_wanted, case.kind) == (
        "Mijn cliënt vraagt steeds meer.",
        "Hoe zeg ik nee?",
        "Vragen die me verder helpen",
        "approach",
    )
    page = client.get(reverse("meetings:case_detail", kwargs={"case_id": case.pk})).content
    assert "Hoe zeg ik nee?" in page.decode() and "Een aanpakvraag" in page.decode()


def test_not_sure_of_the_kind_is_fine(world, login):
    client = login(world.people["participant"])
    client.post(
        reverse("meetings:add_case", kwargs={"group_id": world.group.pk}), CASE | {"kind": ""}
    )
    case = Case.objects.filter(presenter=world.people["participant"]).latest("pk")
    assert case.kind == ""
    page = client.get(reverse("meetings:case_detail", kwargs={"case_id": case.pk})).content
    assert "Weet ik niet" in page.decode()


def test_the_question_and_help_are_required_and_what_was_typed_is_kept(world, login):
    client = login(world.people["participant"])
    response = client.post(
        reverse("meetings:add_case", kwargs={"group_id": world.group.pk}),
        CASE | {"question": "", "help_wanted": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("question") and form.has_error("help_wanted")
    assert 'value="Een lastig gesprek"' in response.content.decode()
    assert Case.objects.count() == 1  # only the case the world started with


def test_the_facilitator_brings_no_case(world, login):
    response = login(world.people["facilitator"]).post(
        reverse("meetings:add_case", kwargs={"group_id": world.group.pk}), CASE
    )
    assert response.status_code == 403


def test_withdrawing_and_seeing_it_alone(world, login):
    client = login(world.people["participant"])
    client.post(reverse("meetings:withdraw_case", kwargs={"case_id": world.case.pk}))
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.WITHDRAWN
    detail = reverse("groups:detail", kwargs={"group_id": world.group.pk})
    own_view = client.get(detail).content.decode()
    assert world.case.title in own_view and "alleen jij" in own_view.lower()
    assert world.case.title not in login(world.people["facilitator"]).get(detail).content.decode()


def test_withdrawing_a_chosen_case_takes_it_off_the_meeting(world, login):
    services.volunteer_case(case=world.case, meeting=world.meeting, by=world.people["participant"])
    assert MeetingCase.objects.filter(meeting=world.meeting).exists()
    login(world.people["participant"]).post(
        reverse("meetings:withdraw_case", kwargs={"case_id": world.case.pk})
    )
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.WITHDRAWN
    assert not MeetingCase.objects.filter(meeting=world.meeting).exists()
    page = login(world.people["facilitator"]).get(
        reverse("planning:meeting_detail", kwargs={"meeting_id": world.meeting.pk})
    )
    assert world.case.title not in page.content.decode()


def test_only_the_presenter_can_withdraw(world, login):
    response = login(world.people["facilitator"]).post(
        reverse("meetings:withdraw_case", kwargs={"case_id": world.case.pk})
    )
    assert response.status_code == 403
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.OPEN
