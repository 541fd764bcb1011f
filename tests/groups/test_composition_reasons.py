"""Why rules cannot hold, and why a change is refused: in Dutch, with names and numbers,
never with the engine's ids or English."""

import re

from django.urls import reverse

from kring.groups.models import Proposal
from kring.programmes.models import Registration
from tests.factories import UserFactory


def _where(proposal):
    return {person: index for index, group in enumerate(proposal.groups) for person in group}


def _page(client, proposal):
    return client.get(reverse("groups:proposal", kwargs={"proposal_id": proposal.pk})).content


def test_a_too_narrow_size_range_says_in_dutch_what_to_change_with_the_right_numbers(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    for _ in range(15):  # 31 people in all
        Registration.objects.create(programme=world.programme, user=UserFactory())
    proposal = compose(group_size_min=8, group_size_max=8)
    assert proposal.status == Proposal.Status.INFEASIBLE
    body = _page(login(world.people["coordinator"]), proposal).decode()
    assert "31 aangemelde deelnemers passen niet in groepen van precies 8." in body
    # 4 groups of 7-8 hold 31; 8-9 and 8-10 cannot, and 8-11 is beyond the form's 10
    assert "Maak de groepsgrootte 7–8." in body
    assert "cannot be split" not in body and "widen" not in body
    assert "8-8" not in body


def test_a_move_that_puts_a_report_with_their_manager_is_refused_with_both_names(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    proposal = compose()
    manager_group = _where(proposal)[pool[0].pk]
    response = login(world.people["coordinator"]).post(
        reverse("groups:proposal_move", kwargs={"proposal_id": proposal.pk}),
        {"person": pool[1].pk, "to_group": manager_group + 1},
        follow=True,
    )
    body = response.content.decode()
    assert "Deelnemer 00 is de leidinggevende van Deelnemer 01" in body
    assert "is the line manager" not in body
    proposal.refresh_from_db()
    assert _where(proposal)[pool[1].pk] != manager_group


def test_a_move_against_a_not_with_wish_is_refused_naming_the_group_but_not_the_people(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    proposal = compose()
    # Deelnemer 02 does not want to be with Deelnemer 03 (a private wish).
    target = _where(proposal)[pool[3].pk]
    response = login(world.people["coordinator"]).post(
        reverse("groups:proposal_move", kwargs={"proposal_id": proposal.pk}),
        {"person": pool[2].pk, "to_group": target + 1},
        follow=True,
    )
    messages = re.search(r'<ul class="messages".*?</ul>', response.content.decode(), re.S)
    text = messages.group()
    assert f"Groep {target + 1} zou twee mensen bevatten die niet samen in een groep mogen" in text
    assert "Deelnemer 02" not in text and "Deelnemer 03" not in text
    proposal.refresh_from_db()
    assert _where(proposal)[pool[2].pk] != target


def test_a_swap_out_of_a_locked_place_is_refused_by_the_engine_with_the_name(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    from kring.groups import services

    proposal = compose()
    where = _where(proposal)
    free = [u for u in pool[4:] if u.pk != pool[5].pk]
    first = free[0]
    second = next(u for u in free if where[u.pk] != where[first.pk])
    services.set_lock(
        proposal=proposal, people=[first.pk], locked=True, by=world.people["coordinator"]
    )
    response = login(world.people["coordinator"]).post(
        reverse("groups:proposal_swap", kwargs={"proposal_id": proposal.pk}),
        {"first": first.pk, "second": second.pk},
        follow=True,
    )
    assert (
        f"{first.full_name} staat vast in groep {where[first.pk] + 1}. Maak die persoon eerst los."
        in response.content.decode()
    )


def test_the_same_reason_reads_in_english_for_an_english_reader(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    for _ in range(15):
        Registration.objects.create(programme=world.programme, user=UserFactory())
    proposal = compose(group_size_min=8, group_size_max=8)
    coordinator = world.people["coordinator"]
    coordinator.language = "en"
    coordinator.save()
    client = login(coordinator)
    client.post(reverse("accounts:switch_language"), {"language": "en", "next": "/"})
    body = _page(client, proposal).decode()
    assert "31 registered participants do not fit in groups of exactly 8." in body
    assert "Make the group size 7–8." in body
