"""Whoever accepted the programme's ground rules when registering is not asked again on
the group page: only when the rules changed since, or the group added rules."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kring.groups import services
from kring.groups.models import Group, GroupMembership
from tests.factories import GroundRuleFactory, GroundRuleSetFactory

ASKED = "Ik accepteer deze spelregels"


def _publish(world, compose, pool):
    """Publish groups of people who all accepted the programme's rules when registering."""
    template = GroundRuleSetFactory(organisation=world.organisation)
    GroundRuleFactory(rule_set=template, text="Wat in de groep gezegd wordt, blijft daar.")
    world.programme.ground_rule_set = template
    world.programme.save()
    world.programme.registrations.filter(user__in=pool).update(
        accepted_ground_rules_at=timezone.now()
    )
    Group.objects.filter(programme=world.programme).delete()
    proposal = compose()
    services.publish(proposal=proposal, by=world.people["coordinator"])
    return template


def _group_page(client, user):
    group = GroupMembership.objects.current().get(user=user).group
    response = client.get(reverse("groups:detail", kwargs={"group_id": group.pk}))
    return group, response.content.decode()


def test_a_member_who_accepted_at_registration_is_not_asked_again(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    _publish(world, compose, pool)
    member = pool[5]
    group, body = _group_page(login(member), member)
    assert ASKED not in body
    assert "spelregels geaccepteerd" in body
    assert "spelregels nog niet geaccepteerd" not in body  # the whole group accepted


def test_rules_the_group_added_are_asked_for(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    _publish(world, compose, pool)
    member = pool[5]
    group, _body = _group_page(login(member), member)
    rules = group.ground_rule_set
    GroundRuleFactory(rule_set=rules, text="Telefoons gaan weg.")
    rules.revision += 1
    rules.save()
    assert ASKED in _group_page(login(member), member)[1]


def test_a_yes_to_rules_that_changed_after_registering_does_not_count(
    world, pool, login, compose, django_capture_on_commit_callbacks
):
    template = GroundRuleSetFactory(organisation=world.organisation)
    GroundRuleFactory(rule_set=template)
    world.programme.registrations.filter(user__in=pool).update(
        accepted_ground_rules_at=timezone.now() - timedelta(days=3)
    )
    template.revision += 1  # the coordinator reworded the rules since
    template.save()
    world.programme.ground_rule_set = template
    world.programme.save()
    Group.objects.filter(programme=world.programme).delete()
    services.publish(proposal=compose(), by=world.people["coordinator"])
    member = pool[5]
    assert ASKED in _group_page(login(member), member)[1]
