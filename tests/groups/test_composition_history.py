"""“Were in a group together before” means earlier programmes and rounds: never the
proposal being looked at, nor the groups just published from it."""

from django.urls import reverse

from kring.groups import services
from kring.groups.models import Group


def _pairs_met_before(client, proposal):
    response = client.get(reverse("groups:proposal", kwargs={"proposal_id": proposal.pk}))
    return response.context["summary"]["pairs_met_before"]


def test_publishing_does_not_make_its_own_groups_count_as_met_before(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    Group.objects.filter(programme=world.programme).delete()
    older = compose(weight_department=0)
    published = compose()
    client = login(world.people["coordinator"])
    assert _pairs_met_before(client, published) == 0
    assert _pairs_met_before(client, older) == 0
    services.publish(proposal=published, by=world.people["coordinator"])
    assert _pairs_met_before(client, published) == 0
    assert _pairs_met_before(client, older) == 0


def test_a_proposal_for_the_next_round_counts_the_published_groups(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    Group.objects.filter(programme=world.programme).delete()
    first = compose()
    services.publish(proposal=first, by=world.people["coordinator"])
    again = compose(weight_history=0, weight_department=0, weight_location=0)
    # the same groups again, composed after the first round was published
    again.groups = first.groups
    again.save(update_fields=["groups"])
    pairs = sum(len(g) * (len(g) - 1) // 2 for g in first.groups)
    assert _pairs_met_before(login(world.people["coordinator"]), again) == pairs
