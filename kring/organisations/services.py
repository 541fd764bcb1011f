from django.db import transaction

from .models import Membership


@transaction.atomic
def update_membership(*, membership: Membership, data: dict, extra_attributes: dict) -> Membership:
    for field, value in data.items():
        setattr(membership, field, value)
    membership.extra_attributes = extra_attributes
    membership.save()
    return membership
