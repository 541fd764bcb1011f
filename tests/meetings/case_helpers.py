"""Small builders for the case tests: more members in the world's group."""

from kring.meetings.models import RoleAssignment
from tests import factories as f


def member(world, name):
    user = f.UserFactory(full_name=name, email=f"{name.lower().replace(' ', '.')}@example.org")
    f.MembershipFactory(user=user, organisation=world.organisation)
    f.GroupMembershipFactory(group=world.group, user=user)
    return user


def process_facilitator(world, meeting=None):
    user = member(world, "Procesbegeleider Piet")
    RoleAssignment.objects.create(
        meeting=meeting or world.meeting, user=user, role=RoleAssignment.Role.PROCESS_FACILITATOR
    )
    return user


def case_of(world, presenter, title="Een casus", **fields):
    return f.CaseFactory(group=world.group, presenter=presenter, title=title, **fields)
