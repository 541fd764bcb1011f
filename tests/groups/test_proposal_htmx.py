"""The composition's progress and changes to a proposal without reloading the page
(htmx), and the same through plain links and form posts without JavaScript."""

from django.urls import reverse

from kring.groups.composition import default_rules
from kring.groups.models import Proposal

HTMX = {"HTTP_HX_REQUEST": "true"}


def _where(proposal):
    return {person: index for index, group in enumerate(proposal.groups) for person in group}


def _queued(world):
    return Proposal.objects.create(
        programme=world.programme,
        number=1,
        rules=default_rules(world.programme),
        status=Proposal.Status.RUNNING,
        progress={"elapsed_s": 3.0},
        created_by=world.people["coordinator"],
    )


def test_a_running_composition_polls_a_small_fragment_instead_of_refreshing_the_page(world, login):
    proposal = _queued(world)
    client = login(world.people["coordinator"])
    page = client.get(reverse("groups:proposal", kwargs={"proposal_id": proposal.pk}))
    body = page.content.decode()
    assert 'http-equiv="refresh"' not in body
    progress = reverse("groups:proposal_progress", kwargs={"proposal_id": proposal.pk})
    assert f'hx-get="{progress}"' in body and 'hx-trigger="every 2s"' in body
    # without JavaScript, a plain link shows the same
    assert f'href="{reverse("groups:proposal", kwargs={"proposal_id": proposal.pk})}"' in body

    fragment = client.get(progress, **HTMX).content.decode()
    assert "<html" not in fragment
    assert "3,0 seconden" in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_the_fragment_reloads_the_page_once_the_composition_is_done(world, login):
    proposal = _queued(world)
    proposal.status = Proposal.Status.READY
    proposal.save()
    response = login(world.people["coordinator"]).get(
        reverse("groups:proposal_progress", kwargs={"proposal_id": proposal.pk}), **HTMX
    )
    assert response.headers["HX-Refresh"] == "true"


def test_moving_someone_with_htmx_swaps_the_groups_in_place(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    proposal = compose()
    person = pool[6]
    target = next(i for i in range(len(proposal.groups)) if i != _where(proposal)[person.pk])
    response = login(world.people["coordinator"]).post(
        reverse("groups:proposal_move", kwargs={"proposal_id": proposal.pk}),
        {"person": person.pk, "to_group": target + 1},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="proposal-body"' in body
    assert "Verplaatst." in body  # the message travels with the fragment
    assert f'id="move-{person.pk}"' in body
    proposal.refresh_from_db()
    assert _where(proposal)[person.pk] == target


def test_a_refused_move_with_htmx_shows_the_reason_in_the_fragment(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    proposal = compose()
    manager_group = _where(proposal)[pool[0].pk]
    response = login(world.people["coordinator"]).post(
        reverse("groups:proposal_move", kwargs={"proposal_id": proposal.pk}),
        {"person": pool[1].pk, "to_group": manager_group + 1},
        **HTMX,
    )
    body = response.content.decode()
    assert 'class="messages"' in body
    assert "Deelnemer 00 is de leidinggevende van Deelnemer 01" in body


def test_without_javascript_a_move_posts_and_reloads_the_proposal(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    proposal = compose()
    person = pool[6]
    target = next(i for i in range(len(proposal.groups)) if i != _where(proposal)[person.pk])
    response = login(world.people["coordinator"]).post(
        reverse("groups:proposal_move", kwargs={"proposal_id": proposal.pk}),
        {"person": person.pk, "to_group": target + 1},
    )
    assert response.url == reverse("groups:proposal", kwargs={"proposal_id": proposal.pk})


def test_swapping_with_htmx_swaps_the_groups_in_place(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    proposal = compose()
    where = _where(proposal)
    first = pool[6]
    second = next(
        u
        for u in pool[7:]
        if where[u.pk] != where[first.pk]
        and u.pk not in {pool[0].pk, pool[1].pk, pool[2].pk, pool[3].pk}
    )
    response = login(world.people["coordinator"]).post(
        reverse("groups:proposal_swap", kwargs={"proposal_id": proposal.pk}),
        {"first": first.pk, "second": second.pk},
        **HTMX,
    )
    assert 'id="proposal-body"' in response.content.decode()
    proposal.refresh_from_db()
    assert _where(proposal)[first.pk] == where[second.pk]
