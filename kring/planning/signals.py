"""Work a planning action hands to the worker.

A service sends one of these once its transaction has committed; `tasks.py`, connected
when the app is loaded, queues the matching task. So services never import the task
module while the task module imports services: the dependency goes one way. Other apps
may listen too (the notifications app can add an in-app notice when a poll opens).
"""

from django.db import transaction
from django.dispatch import Signal

# meeting_ids: list[int], template: str — mail everyone these meetings concern
meeting_notices_due = Signal()
# meeting_id, planned_start (ISO), days, run_after — one reminder before a meeting
meeting_reminder_due = Signal()
# meeting_id, user_ids, previous_starts_at (ISO) — absence notices that a move cleared
absences_cleared = Signal()
# poll_id — a new poll to announce to its group
poll_opened = Signal()
# poll_id, closes_on (ISO), run_after — remind whoever has not answered yet
poll_reminder_due = Signal()
# run_id — a planning run to solve
planning_run_due = Signal()
# meeting_id, planned_start (ISO), ends_at — a meeting (re)planned; others act once it ends
meeting_scheduled = Signal()
# meeting_id — attendance recorded, the meeting held (the one-minute check asks its members)
meeting_held = Signal()


def send_on_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=None, **kwargs))
