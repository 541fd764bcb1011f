"""The audit log of content reads: every view that shows content calls `record_read`."""

from collections.abc import Iterable

from django.db import models

from .models import AuditEvent


def record_read(user, objects: models.Model | Iterable[models.Model], *, description=""):
    if isinstance(objects, models.Model):
        objects = [objects]
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user=user,
            action=AuditEvent.Action.READ,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            description=description[:200],
        )
        for obj in objects
    )
