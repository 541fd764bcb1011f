"""Who may lead a group: only people with the facilitator role in the programme's
organisation or in the firm that runs it, because a facilitator reads the group's content."""

import pytest

from kring.confidentiality.models import AuditEvent
from kring.groups import services
from kring.groups.models import Group, GroupMembership
from kring.organisations.models import Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm_facilitator(world):
    firm = f.OrganisationFactory(
        name="Begeleiding BV", slug="begeleiding", is_facilitation_firm=True
    )
    world.programme.run_by = firm
    world.programme.save(update_fields=["run_by"])
    person = f.UserFactory(email="firm.facilitator@example.org", full_name="Firm Facilitator")
    f.MembershipFactory(user=person, organisation=firm, role=Membership.Role.FACILITATOR)
    return person


def test_a_facilitator_of_the_organisation_can_be_assigned_and_it_is_audited(world):
    group, coordinator = world.group, world.people["coordinator"]
    services.assign_facilitator(
        group=group, facilitator=world.people["other_facilitator"], by=coordinator
    )
    group.refresh_from_db()
    assert group.facilitator == world.people["other_facilitator"]
    entry = AuditEvent.objects.get(object_type="groups.group", object_id=str(group.pk))
    assert entry.event == AuditEvent.Event.CHANGE
    assert entry.actor == coordinator
    assert entry.subject == world.people["other_facilitator"]


def test_a_facilitator_of_the_firm_that_runs_the_programme_can_be_assigned(world, firm_facilitator):
    services.assign_facilitator(
        group=world.group, facilitator=firm_facilitator, by=world.people["coordinator"]
    )
    world.group.refresh_from_db()
    assert world.group.facilitator == firm_facilitator


@pytest.mark.parametrize(
    "who",
    [
        "participant",  # a member without the facilitator role
        "coordinator",  # organisational role, no content
        "admin",
        "other_admin",  # another organisation
        "platform_staff",  # a superuser without any role
        "facilitator_elsewhere",  # facilitator role, but in another organisation
        "deactivated_facilitator",  # their membership was switched off
    ],
)
def test_anyone_else_is_refused_and_nothing_changes(who, world):
    if who == "platform_staff":
        person = f.UserFactory(is_staff=True, is_superuser=True)
    elif who == "facilitator_elsewhere":
        person = f.UserFactory()
        f.MembershipFactory(
            user=person, organisation=world.other_organisation, role=Membership.Role.FACILITATOR
        )
    elif who == "deactivated_facilitator":
        person = world.people["other_facilitator"]
        Membership.objects.filter(user=person).update(is_active=False)
    else:
        person = world.people[who]
    with pytest.raises(services.FacilitatorError, match="begeleider|facilitator"):
        services.assign_facilitator(
            group=world.group, facilitator=person, by=world.people["coordinator"]
        )
    world.group.refresh_from_db()
    assert world.group.facilitator == world.people["facilitator"]
    assert not AuditEvent.objects.filter(object_type="groups.group").exists()


def test_publishing_refuses_a_programme_facilitator_who_lost_the_role(
    world,
    pool,  # noqa: F811
    compose,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    proposal = compose()
    Membership.objects.filter(user=world.people["other_facilitator"]).update(
        role=Membership.Role.MEMBER
    )
    groups_before = list(Group.objects.values_list("pk", "facilitator"))
    memberships_before = list(GroupMembership.objects.values_list("pk", "left_on"))
    with pytest.raises(services.CompositionError) as refused:
        services.publish(proposal=proposal, by=world.people["coordinator"])
    assert any("Other Facilitator" in reason for reason in refused.value.reasons)
    assert list(Group.objects.values_list("pk", "facilitator")) == groups_before
    assert list(GroupMembership.objects.values_list("pk", "left_on")) == memberships_before


def test_publishing_takes_facilitators_of_the_firm_that_runs_the_programme(
    world,
    pool,  # noqa: F811
    compose,  # noqa: F811
    firm_facilitator,
    django_capture_on_commit_callbacks,
):
    world.programme.roles.filter(role="facilitator").delete()
    world.programme.roles.create(user=firm_facilitator, role="facilitator")
    proposal = compose()
    with django_capture_on_commit_callbacks(execute=True):
        groups = services.publish(proposal=proposal, by=world.people["coordinator"])
    assert {group.facilitator for group in groups} == {firm_facilitator}
