from django.urls import reverse

from kring.meetings.models import Case


def test_a_member_brings_in_a_case_and_can_withdraw_it(world, login):
    client = login(world.people["participant"])
    response = client.post(
        reverse("meetings:add_case", kwargs={"group_id": world.group.pk}),
        {
            "title": "Een lastig gesprek",
            "situation": "Mijn cliënt vraagt steeds meer.",
            "question": "Hoe zeg ik nee?",
            "help_wanted": "Vragen",
            "kind": "approach",
        },
    )
    assert response.status_code == 302
    case = Case.objects.filter(presenter=world.people["participant"]).latest("pk")
    assert (case.title, case.question, case.kind) == (
        "Een lastig gesprek",
        "Hoe zeg ik nee?",
        "approach",
    )
    detail = reverse("groups:detail", kwargs={"group_id": world.group.pk})
    assert "Een lastig gesprek" in client.get(detail).content.decode()

    client.post(reverse("meetings:withdraw_case", kwargs={"case_id": case.pk}))
    case.refresh_from_db()
    assert case.status == Case.Status.WITHDRAWN
    # The presenter still sees it, marked as theirs alone; the facilitator no longer does.
    own_view = client.get(detail).content.decode()
    assert "Een lastig gesprek" in own_view and "alleen jij" in own_view.lower()
    facilitator_view = login(world.people["facilitator"]).get(detail).content.decode()
    assert "Een lastig gesprek" not in facilitator_view


def test_an_empty_case_is_refused_and_what_was_typed_is_kept(world, login):
    client = login(world.people["participant"])
    response = client.post(
        reverse("meetings:add_case", kwargs={"group_id": world.group.pk}),
        {"title": "Mijn titel", "situation": ""},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Mijn titel"' in body
    assert Case.objects.count() == 1  # only the case the world started with


def test_only_the_presenter_can_withdraw(world, login):
    # The facilitator reads the case, so it is no secret that it exists: 403, not 404.
    client = login(world.people["facilitator"])
    response = client.post(reverse("meetings:withdraw_case", kwargs={"case_id": world.case.pk}))
    assert response.status_code == 403
    world.case.refresh_from_db()
    assert world.case.status == Case.Status.OPEN
