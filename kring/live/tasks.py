"""Background work of written rounds. Each task only calls a service of `written`; the
receiver queues them for a deadline a service set, once its transaction committed."""

from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from . import signals, written


@task()
def announce_round_phase(session_id: int, phase: int, deadline: str) -> int:
    return written.announce(session_id=session_id, phase=phase, deadline=deadline)


@task()
def remind_round_phase(session_id: int, phase: int, deadline: str) -> int:
    return written.remind(session_id=session_id, phase=phase, deadline=deadline)


@task()
def close_round_phase(session_id: int, phase: int, deadline: str) -> bool:
    return written.close_at_deadline(session_id=session_id, phase=phase, deadline=deadline)


@task()
def tell_presenters_questions_in(session_id: int, phase: int) -> int:
    return written.questions_in(session_id=session_id, phase=phase)


@receiver(signals.round_questions_in, dispatch_uid="round_questions_in_to_tasks")
def _queue_questions_in(sender, session_id, phase, **kwargs):
    tell_presenters_questions_in.enqueue(session_id, phase)


@receiver(signals.round_phase_due, dispatch_uid="round_phase_due_to_tasks")
def _queue_round_phase(sender, session_id, phase, deadline, remind_at, announce, **kwargs):
    planned = deadline.isoformat()
    if announce:
        announce_round_phase.enqueue(session_id, phase, planned)
    if remind_at > timezone.now():
        remind_round_phase.using(run_after=remind_at).enqueue(session_id, phase, planned)
    close_round_phase.using(run_after=deadline).enqueue(session_id, phase, planned)
