"""A pool of sixteen registered people and a helper that composes a proposal for them."""

import pytest

from kring.groups import composition, services
from kring.programmes.models import Programme, Registration, Wish
from tests.factories import FunctionLevelFactory, MembershipFactory, UserFactory

DEPARTMENTS = ["Wijkzorg", "Thuiszorg", "GGZ", "Revalidatie"]


@pytest.fixture
def pool(world):
    """Sixteen registered people; person 0 manages person 1; person 2 does not want person 3."""
    programme = world.programme
    programme.status = Programme.Status.REGISTRATION_OPEN
    programme.group_size_min, programme.group_size_max = 4, 6
    programme.save()
    levels = [FunctionLevelFactory(organisation=world.organisation, rank=r) for r in (1, 2, 3)]
    people = []
    for index in range(16):
        user = UserFactory(full_name=f"Deelnemer {index:02d}")
        MembershipFactory(user=user, organisation=world.organisation)
        people.append(user)
        Registration.objects.create(
            programme=programme,
            user=user,
            department=DEPARTMENTS[index % 4],
            location=["Zwolle", "Deventer"][index % 2],
            profession="Verpleegkundige",
            function_level=levels[index % 3],
            line_manager=people[0] if index == 1 else None,
        )
        programme.roles.get_or_create(user=user, role="participant")
    Wish.objects.create(
        registration=Registration.objects.get(user=people[2]), kind="avoid", other=people[3]
    )
    Wish.objects.create(
        registration=Registration.objects.get(user=people[4]), kind="prefer", other=people[5]
    )
    return people


@pytest.fixture
def compose(world, django_capture_on_commit_callbacks, run_tasks):
    def _compose(based_on=None, **rules):
        settings = {**composition.default_rules(world.programme), "time_limit": 1, **rules}
        with django_capture_on_commit_callbacks(execute=True):
            proposal = services.start_composition(
                programme=world.programme,
                rules=settings,
                by=world.people["coordinator"],
                based_on=based_on,
            )
        run_tasks()
        proposal.refresh_from_db()
        return proposal

    return _compose
