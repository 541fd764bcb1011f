"""Background work of composing groups. This module imports services; services never
import it: a proposal created queued is handed to the worker here, once it commits."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_tasks import task

from . import services
from .models import Proposal


@task()
def compose_groups(proposal_id: int) -> None:
    """Run the grouping engine for one proposal (it may take a minute)."""
    services.run_composition(proposal_id=proposal_id)


@receiver(post_save, sender=Proposal, dispatch_uid="groups.compose_queued_proposals")
def _compose_when_queued(sender, instance, created, **kwargs):
    if created and instance.status == Proposal.Status.QUEUED:
        transaction.on_commit(lambda: compose_groups.enqueue(instance.pk))
