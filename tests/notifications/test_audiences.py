"""Who a planned message reaches, per audience."""

import pytest

from kring.notifications.audiences import audience_of
from kring.programmes.models import Registration


def _emails(world, audience):
    return {person.email for person in audience_of(world.programme, audience)}


def _of(world, *keys):
    return {world.people[key].email for key in keys}


@pytest.mark.parametrize(
    "audience, keys",
    [
        ("participants", ["participant", "other_participant"]),
        ("line_managers", ["line_manager"]),
        ("management", ["sponsor"]),
        ("facilitators", ["facilitator", "other_facilitator"]),
        (
            "everyone",
            [
                "sponsor",
                "participant",
                "other_participant",
                "facilitator",
                "other_facilitator",
                "line_manager",
            ],
        ),
    ],
)
def test_each_audience_reaches_its_roles_only(world, audience, keys):
    assert _emails(world, audience) == _of(world, *keys)


def test_a_line_manager_named_on_a_registration_is_reached(world, User):
    from tests.factories import MembershipFactory, UserFactory

    manager = UserFactory(email="teamleider@example.org")
    MembershipFactory(user=manager, organisation=world.organisation)
    Registration.objects.create(
        programme=world.programme, user=world.people["participant"], line_manager=manager
    )
    assert "teamleider@example.org" in _emails(world, "line_managers")


def test_a_switched_off_member_is_not_reached(world):
    world.people["other_participant"].memberships.update(is_active=False)
    assert _emails(world, "participants") == _of(world, "participant")
