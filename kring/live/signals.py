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
