"""Background work of planning. Each task only calls a service; each receiver queues a
task for a signal a service sent after its transaction committed (see signals.py)."""

from django.dispatch import receiver
from django_tasks import task

from . import scheduler, services, signals


@task()
def send_meeting_reminder(meeting_id: int, planned_start: str, days: int) -> int:
    return services.send_reminder(meeting_id=meeting_id, planned_start=planned_start, days=days)


@task()
def plan_programme(run_id: int) -> None:
    scheduler.run_planning(run_id=run_id)


@task()
def send_meeting_notices(meeting_ids: list[int], template: str) -> int:
    return services.send_meeting_notices(meeting_ids=meeting_ids, template=template)


@task()
def send_absence_resets(meeting_id: int, user_ids: list[int], previous_starts_at: str) -> int:
    return services.send_absence_resets(
        meeting_id=meeting_id, user_ids=user_ids, previous_starts_at=previous_starts_at
    )


@task()
def announce_poll(poll_id: int) -> int:
    return services.announce_poll(poll_id=poll_id)


@task()
def remind_poll(poll_id: int, closes_on: str) -> int:
    return services.remind_poll(poll_id=poll_id, closes_on=closes_on)


@receiver(signals.meeting_notices_due)
def _queue_meeting_notices(sender, meeting_ids, template, **kwargs):
    send_meeting_notices.enqueue(meeting_ids, template)


@receiver(signals.meeting_reminder_due)
def _queue_meeting_reminder(sender, meeting_id, planned_start, days, run_after, **kwargs):
    send_meeting_reminder.using(run_after=run_after).enqueue(meeting_id, planned_start, days)


@receiver(signals.absences_cleared)
def _queue_absence_resets(sender, meeting_id, user_ids, previous_starts_at, **kwargs):
    send_absence_resets.enqueue(meeting_id, user_ids, previous_starts_at)


@receiver(signals.poll_opened)
def _queue_poll_announcement(sender, poll_id, **kwargs):
    announce_poll.enqueue(poll_id)


@receiver(signals.poll_reminder_due)
def _queue_poll_reminder(sender, poll_id, closes_on, run_after, **kwargs):
    remind_poll.using(run_after=run_after).enqueue(poll_id, closes_on)


@receiver(signals.planning_run_due)
def _queue_planning_run(sender, run_id, **kwargs):
    plan_programme.enqueue(run_id)
