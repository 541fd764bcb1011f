"""Who the engine composes groups from: only registrations that hold a place."""

from kring.groups.composition import load_pool
from kring.programmes.models import Registration
from tests.factories import UserFactory


def test_a_self_registration_with_an_unconfirmed_address_is_not_put_in_a_group(world):
    confirmed = UserFactory()
    made_up = UserFactory(email_verified_at=None)
    for user in (confirmed, made_up):
        Registration.objects.create(
            programme=world.programme, user=user, source=Registration.Source.SELF
        )
    pool = load_pool(world.programme)
    assert confirmed.pk in pool.registrations
    assert made_up.pk not in pool.registrations

    made_up.email_verified_at = confirmed.email_verified_at
    made_up.save()
    assert made_up.pk in load_pool(world.programme).registrations
