"""Who is connected to a live session, from their sockets' heartbeats.

Channels' groups cannot be listed, so presence has its own rows: one per person and
session (several tabs or devices count once), with when the person was last seen (a
connect or any message; devices send a heartbeat every `HEARTBEAT_SECONDS`). A person
counts as gone only after `GRACE_SECONDS` without a sign, so a reload or a short drop of
the network changes nothing on the lead's stage.

A person becoming connected, or counting as gone, raises the session's version (locked,
logged as a `LiveEvent`, pushed once committed), so every stage shows it. Outside the
consumer nothing is pushed: `connected_user_ids` is a plain read for the snapshot.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .models import LiveEvent, LivePresence, LiveSession

HEARTBEAT_SECONDS = 15
GRACE_SECONDS = 45


def _cutoff(now: datetime) -> datetime:
    return now - timedelta(seconds=GRACE_SECONDS)


def connected_user_ids(session: LiveSession | int, now: datetime | None = None) -> set[int]:
    """The people with a device on the session, gone ones only after the grace period."""
    now = now or timezone.now()
    session_id = getattr(session, "pk", session)
    return set(
        LivePresence.objects.filter(
            session_id=session_id, last_seen__gt=_cutoff(now), last_seen__lte=now
        ).values_list("user_id", flat=True)
    )


def raise_version(session_id: int, kind: str, *, by=None, now: datetime, **data) -> int | None:
    """Raise the session's version for a change that is not one of the lead's steps (as
    `services._changed` does: locked, logged, pushed once committed). A closed session
    changes no more: None."""
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None or session.state == LiveSession.State.CLOSED:
            return None
        session.log_change(kind, by=by, at=now, fields=[], **data)
        return session.version


def note_seen(session_id: int, user, now: datetime | None = None, *, announce_now=True) -> bool:
    """A connect or a message from one of the person's devices. True when this made them
    connected (and raised the version, unless `announce_now` is false: the consumer then
    raises it once for several people joining together); a heartbeat of someone counted
    costs one update."""
    now = now or timezone.now()
    mine = LivePresence.objects.filter(session_id=session_id, user=user)
    if mine.filter(counted=True).update(last_seen=now):
        return False
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None:
            return False
        # Another tab of theirs may have connected meanwhile (the lock orders them).
        if mine.filter(counted=True).update(last_seen=now):
            return False
        announce = session.state != LiveSession.State.CLOSED
        LivePresence.objects.update_or_create(
            session_id=session_id, user=user, defaults={"last_seen": now, "counted": announce}
        )
        if announce and announce_now:
            raise_version(session_id, LiveEvent.Kind.PRESENCE, by=user, now=now, connected=True)
        return announce


def note_left(session_id: int, user, now: datetime | None = None) -> datetime:
    """A device closed its socket: the person was last seen now. Whether they are gone is
    decided by `sweep` after the grace period (another tab may still be open)."""
    now = now or timezone.now()
    LivePresence.objects.filter(session_id=session_id, user=user, last_seen__lt=now).update(
        last_seen=now
    )
    return now


def sweep(session_id: int, now: datetime | None = None) -> set[int]:
    """Mark as gone whoever was counted and has not been seen for the grace period, and
    raise the version once for them. Run after a disconnect's grace period and on every
    heartbeat (a phone that went to sleep never says goodbye). Returns who went."""
    now = now or timezone.now()
    stale = LivePresence.objects.filter(
        session_id=session_id, counted=True, last_seen__lte=_cutoff(now)
    )
    if not stale.exists():
        return set()
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().filter(pk=session_id).first()
        if session is None:
            return set()
        gone = set(stale.values_list("user_id", flat=True))
        if not gone:
            return set()
        LivePresence.objects.filter(session_id=session_id, user_id__in=gone).update(counted=False)
        raise_version(
            session_id, LiveEvent.Kind.PRESENCE, now=now, connected=False, gone=sorted(gone)
        )
        return gone
