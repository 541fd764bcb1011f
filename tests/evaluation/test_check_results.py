from django.urls import reverse

from kring.evaluation.models import CheckSettings


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
