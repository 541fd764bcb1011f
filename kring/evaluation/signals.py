"""Work the check's services hand to the worker (queued by `tasks.py`, as in planning)."""

from django.dispatch import Signal

# meeting_id, run_after — remind those who have not answered yet
check_reminder_due = Signal()
