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


def test_publishing_records_who_was_given_access_to_each_group(world, run_tasks):
    from kring.confidentiality.models import AuditEvent
    from kring.groups import services
    from kring.groups.composition import default_rules
    from kring.groups.models import Group, Proposal

    people = []
    for _ in range(6):
        user = UserFactory()
        Registration.objects.create(programme=world.programme, user=user)
        people.append(user.pk)
    world.programme.status = "registration_open"
    world.programme.save()
    proposal = Proposal.objects.create(
        programme=world.programme,
        number=1,
        rules=default_rules(world.programme),
        groups=[people],
        status=Proposal.Status.READY,
        created_by=world.people["coordinator"],
    )
    before = set(Group.objects.values_list("pk", flat=True))
    services.publish(proposal=proposal, by=world.people["coordinator"])
    (group,) = Group.objects.exclude(pk__in=before)
    granted = set(
        AuditEvent.objects.filter(
            event="create", object_type="groups.group", object_id=str(group.pk)
        ).values_list("subject_id", flat=True)
    )
    assert set(people) <= granted
