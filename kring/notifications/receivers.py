"""Events elsewhere that notify people: the dependency points from here to programmes
and planning, never back."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from kring.planning import signals as planning_signals
from kring.programmes.models import CommunicationMessage, Programme, StatusChange

from . import services


@receiver(post_save, sender=StatusChange, dispatch_uid="notifications-plan-submitted")
def _plan_submitted(sender, instance: StatusChange, created: bool, raw: bool = False, **kwargs):
    if created and not raw and instance.to_status == Programme.Status.SUBMITTED:
        services.plan_submitted(instance.programme)


@receiver(planning_signals.poll_opened, dispatch_uid="notifications-poll-opened")
def _poll_opened(sender, poll_id: int, **kwargs):
    # Sent by planning once the poll is committed; its mail goes from planning's own task.
    services.poll_opened(poll_id=poll_id)


@receiver(post_save, sender=CommunicationMessage, dispatch_uid="notifications-plan-changed")
def _message_changed(sender, instance: CommunicationMessage, raw: bool = False, **kwargs):
    if not raw:
        services.plan_changed(instance)
