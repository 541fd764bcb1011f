"""The cycle plan listens to the planning app: a meeting planned, moved or cancelled
numbers its group's series again, and each planned meeting gets its plan."""

from django.dispatch import receiver

from kring.planning import signals as planning_signals
from kring.planning.models import Meeting

from . import cycle


def _reapply(meeting_ids) -> None:
    groups = {
        meeting.group_id: meeting.group
        for meeting in Meeting.objects.filter(pk__in=meeting_ids).select_related("group__programme")
    }
    for group in groups.values():
        cycle.reapply(group=group)


@receiver(planning_signals.meeting_scheduled, dispatch_uid="cycle_plan_after_scheduled")
def _plan_for_scheduled(sender, meeting_id, **kwargs):
    _reapply([meeting_id])


@receiver(planning_signals.meeting_notices_due, dispatch_uid="cycle_plan_after_cancelled")
def _plan_after_cancelled(sender, meeting_ids, template, **kwargs):
    if template == "meeting_cancelled":
        _reapply(meeting_ids)
