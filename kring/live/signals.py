"""What a live session tells the rest of the project once a change has committed.

The channel layer carries only this: which session changed and its new version. Each
client then fetches its own view, rendered for that viewer through the policy, so no
state or content travels through the layer (a restart of Redis loses nothing).
"""

from django.db import transaction
from django.dispatch import Signal

# session_id: int, version: int — a live session changed
live_changed = Signal()


def send_on_commit(*, session_id: int, version: int) -> None:
    transaction.on_commit(
        lambda: live_changed.send(sender=None, session_id=session_id, version=version)
    )


# session_id, phase, deadline, remind_at (datetimes), announce (bool) — in writing, a
# phase's deadline was set: it closes then, those still to contribute are reminded at
# remind_at, and (announce) the round's people hear that it opened. The tasks check the
# session again when they run: a deadline moved since makes them do nothing.
round_phase_due = Signal()


def send_round_phase_on_commit(**kwargs) -> None:
    transaction.on_commit(lambda: round_phase_due.send(sender=None, **kwargs))


# session_id, phase — in writing, every questioner's questions are in: the presenter hears.
round_questions_in = Signal()


def send_questions_in_on_commit(**kwargs) -> None:
    transaction.on_commit(lambda: round_questions_in.send(sender=None, **kwargs))
