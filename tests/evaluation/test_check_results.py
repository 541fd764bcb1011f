from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kring.confidentiality.policy import CHECK_OPEN_FOR
from kring.evaluation.models import CheckAnswer, CheckSettings
from kring.planning import services as planning_services
from kring.planning.models import Meeting
from tests import factories as f


def _results(client, meeting):
    return client.get(reverse("evaluation:results", kwargs={"meeting_id": meeting.pk}))


def test_below_three_answers_the_group_sees_only_how_many_more_are_needed(
    held, members, answer, login
):
    answer(members[0], held, remark="Te vroeg om te tonen")
    body = _results(login(members[1]), held).content.decode()
    assert "Antwoorden tot nu toe: 1." in body
    assert "zodra nog 2 mensen hebben geantwoord" in body
    assert "Te vroeg om te tonen" not in body and "gemiddeld" not in body


def test_from_three_answers_members_see_averages_distribution_and_remarks(
    held, members, answer, login
):
    answer(members[0], held, usefulness="5", safety="4", remark="Eerste opmerking")
    answer(members[1], held, usefulness="4", safety="4", remark="Tweede opmerking")
    answer(members[2], held, usefulness="3", safety="5")
    body = _results(login(members[0]), held).content.decode()
    assert "3 mensen hebben geantwoord." in body
    assert "gemiddeld 4.0 (van 1 tot 5)" in body or "gemiddeld 4,0 (van 1 tot 5)" in body
    assert "gemiddeld 4.3" in body or "gemiddeld 4,3" in body
    assert body.count("<meter") == 10
    assert "Eerste opmerking" in body and "Tweede opmerking" in body


def test_the_facilitator_sees_the_results_on_the_meeting_page(held, members, answer, login, world):
    for user in members[:3]:
        answer(user, held, remark=f"Opmerking van {user.full_name}")
    page = login(world.people["facilitator"]).get(
        reverse("planning:meeting_detail", kwargs={"meeting_id": held.pk})
    )
    body = page.content.decode()
    assert "Check van één minuut" in body
    assert "3 mensen hebben geantwoord." in body
    assert "Opmerking van Member 1" in body


def test_remarks_are_shown_in_shuffled_order(held, members, answer, login):
    for number, user in enumerate(members[:3]):
        answer(user, held, remark=f"R{number}")
    client = login(members[0])
    orders = set()
    for _ in range(30):
        body = _results(client, held).content.decode()
        orders.add(tuple(sorted(("R0", "R1", "R2"), key=body.index)))
    assert len(orders) > 1


def test_a_programme_can_ask_for_more_answers_than_three(held, members, answer, login, world):
    CheckSettings.objects.create(programme=world.programme, minimum_answers=4)
    for user in members[:3]:
        answer(user, held)
    body = _results(login(members[0]), held).content.decode()
    assert "zodra nog 1 persoon heeft geantwoord" in body


def test_coordinator_sponsor_line_manager_admin_and_others_get_404(
    held, members, answer, login, world
):
    for user in members[:3]:
        answer(user, held)
    for role in [
        "coordinator",
        "sponsor",
        "line_manager",
        "admin",
        "other_participant",
        "other_facilitator",
        "other_admin",
        "outsider",
    ]:
        assert _results(login(world.people[role]), held).status_code == 404, role


def test_the_meeting_page_invites_a_member_to_answer_until_they_have(held, members, answer, login):
    url = reverse("planning:meeting_detail", kwargs={"meeting_id": held.pk})
    check_link = f'href="{reverse("evaluation:answer", kwargs={"meeting_id": held.pk})}"'
    assert check_link in login(members[0]).get(url).content.decode()
    answer(members[0], held)
    assert check_link not in login(members[0]).get(url).content.decode()


# Results wait until the check closes or everyone asked has answered: results that grew
# answer by answer would tell whoever saw them before and after what the last one said.


@pytest.fixture
def held_all_present(world, members, django_capture_on_commit_callbacks):
    """Yesterday's meeting of group 1 with all four members present."""
    meeting = f.MeetingFactory(group=world.group, starts_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        planning_services.record_attendance(
            meeting=meeting,
            statuses={user.pk: "present" for user in members},
            by=world.people["facilitator"],
        )
    return meeting


def test_results_wait_while_someone_asked_may_still_answer(
    held_all_present, members, answer, login
):
    for user in members[:3]:
        answer(user, held_all_present, remark=f"Opmerking van {user.full_name}")
    body = _results(login(members[0]), held_all_present).content.decode()
    assert "3 mensen hebben tot nu toe geantwoord." in body
    assert "als iedereen heeft geantwoord" in body
    assert "Opmerking van" not in body and "gemiddeld" not in body

    answer(members[3], held_all_present)  # the last one asked
    body = _results(login(members[0]), held_all_present).content.decode()
    assert "4 mensen hebben geantwoord." in body and "Opmerking van Member 1" in body


def test_once_the_check_closes_the_results_show_and_no_answer_is_taken(
    held_all_present, members, answer, login
):
    for user in members[:3]:
        answer(user, held_all_present)
    Meeting.objects.filter(pk=held_all_present.pk).update(
        starts_at=timezone.now() - CHECK_OPEN_FOR - timedelta(hours=3)
    )
    body = _results(login(members[0]), held_all_present).content.decode()
    assert "3 mensen hebben geantwoord." in body and "gemiddeld" in body
    late = answer(members[3], held_all_present)
    assert late.status_code in {403, 404}
    assert CheckAnswer.objects.filter(meeting=held_all_present).count() == 3
