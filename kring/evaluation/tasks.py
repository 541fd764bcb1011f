"""Background work of the check. Each task only calls a service; each receiver queues a
task for a signal that a service sent after its transaction committed."""

from django.dispatch import receiver
from django_tasks import task

from kring.planning import signals as planning_signals

from . import services, signals


@task()
def open_check(meeting_id: int, planned_start: str | None = None) -> int:
    return services.open_check(meeting_id=meeting_id, planned_start=planned_start)


@task()
def remind_check(meeting_id: int) -> int:
    return services.remind(meeting_id=meeting_id)


@receiver(planning_signals.meeting_held)
def _queue_check_after_held(sender, meeting_id, **kwargs):
    open_check.enqueue(meeting_id)


@receiver(planning_signals.meeting_scheduled)
def _queue_check_after_end(sender, meeting_id, planned_start, ends_at, **kwargs):
    open_check.using(run_after=ends_at).enqueue(meeting_id, planned_start)


@receiver(signals.check_reminder_due)
def _queue_check_reminder(sender, meeting_id, run_after, **kwargs):
    remind_check.using(run_after=run_after).enqueue(meeting_id)
