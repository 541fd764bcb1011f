"""Background work of composing groups. Each task only calls a service; each receiver
queues a task for a signal a service sent after its transaction committed (signals.py)."""

from django.dispatch import receiver
from django_tasks import task

from . import services, signals


@task()
def compose_groups(proposal_id: int) -> None:
    """Run the grouping engine for one proposal (it may take a minute)."""
    services.run_composition(proposal_id=proposal_id)


@receiver(signals.composition_requested, dispatch_uid="groups.compose_groups")
def _compose(sender, proposal_id: int, **kwargs) -> None:
    compose_groups.enqueue(proposal_id)
