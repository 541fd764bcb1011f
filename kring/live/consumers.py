"""The live session's socket: "changed, version N" through the channel layer, and to the
device its own stage.

Nothing of a session travels through the channel layer: a change sends every socket of
the session only its version. Each socket's consumer then renders the stage for its own
person (`kring.live.pushed`, through the policy, as the stage URL would) and sends it; the
device swaps it in without a request of its own. That render is the policy check before
every push: a member removed from the group is disconnected at the next change. The
policy is also asked on connect and on every message from the device (its heartbeat,
every `presence.HEARTBEAT_SECONDS`), which is answered with the version: a device that
missed one fetches its stage.

Every connect and every message from the device counts as a sign of presence
(`kring.live.presence`): the person becoming connected raises the version, at most once
per `PRESENCE_SETTLE_SECONDS` per session (a group joining together raises it once, not
once per device, each of which then gets a new stage); after a disconnect they count as
gone only once the grace period passed without a sign. A heartbeat costs the check and
one update; whoever went silent is looked for at most every `SWEEP_SECONDS` per session.
"""

import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import SyncToAsync
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import DatabaseError, connection
from django.utils import timezone

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core.prepared import PreparedQuery

from . import presence, pushed
from .models import LiveEvent, LiveSession

logger = logging.getLogger(__name__)

# Closed because the person may not see this session (or it does not exist for them).
REFUSED = 4403
# Presence raises a session's version at most this often (from this server).
PRESENCE_SETTLE_SECONDS = 2
# How often a session's heartbeats look for someone whose device went silent.
SWEEP_SECONDS = presence.HEARTBEAT_SECONDS

# Checks, stages and presence run on a few threads of their own, not all queued on the
# one thread Channels keeps for the database, and none depends on another's transaction.
# Each thread keeps its database connection: opening and closing one around every
# heartbeat and every pushed stage took about a quarter of the server's time. (Not
# DATABASE_CONN_MAX_AGE, which under ASGI would keep one per request thread.)
DATABASE_THREADS = 4
_threads = ThreadPoolExecutor(max_workers=DATABASE_THREADS, thread_name_prefix="live-db")


def _keep_or_close_connection() -> None:
    """After a call: keep the thread's connection unless it is broken or was left inside
    a transaction (as `close_if_unusable_or_obsolete`, without the age limit)."""
    if connection.connection is None:
        return
    broken = connection.errors_occurred and not connection.is_usable()
    if broken or connection.in_atomic_block or not connection.get_autocommit():
        connection.close()
    connection.errors_occurred = False


class _OnLiveThreads(SyncToAsync):
    def thread_handler(self, loop, *args, **kwargs):
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            _keep_or_close_connection()


# Set once any call ran on the threads (only then is there a connection to close).
_started = threading.Event()


def _db(function):
    call = _OnLiveThreads(function, thread_sensitive=False, executor=_threads)

    async def on_live_threads(*args, **kwargs):
        _started.set()
        return await call(*args, **kwargs)

    return on_live_threads


def threads_started() -> bool:
    return _started.is_set()


def close_database_connections() -> None:
    """Close the connection each of the threads keeps (a test database is about to be
    dropped; a server shutting down)."""
    everyone_there = threading.Barrier(DATABASE_THREADS, timeout=10)

    def close():
        connection.close()
        everyone_there.wait()  # so that each task runs on a thread of its own

    for done in [_threads.submit(close) for _ in range(DATABASE_THREADS)]:
        done.result()


def group_name(session_id: int) -> str:
    return f"live-session-{session_id}"


# What the policy asks about a session, with the ties version: one query compiled once.
_VISIBLE_SESSION = PreparedQuery(
    lambda session_id: (
        LiveSession.objects.select_related("meeting__group__programme")
        .annotate(ties_version=policy.ties_version())
        .filter(pk=session_id)
    )
)


def _visible_session(user_id: int | None, session_id: int) -> tuple[LiveSession, object] | None:
    """The session and the person, when the active person `user_id` may see it; None
    otherwise (also when there is no such session, so that its existence does not leak).
    The person's ties are those kept since the last change of anyone's."""
    session = _VISIBLE_SESSION.get(session_id)
    if session is None:
        return None
    with policy.viewer_scope():
        user = policy.kept_user(user_id, session.ties_version)
        if user is None or not policy.can(user, Action.VIEW_LIVE_SESSION, session):
            return None
    return session, user


@_db
def _stage(scope, user_id: int | None, session_id: int) -> pushed.PushedStage | None:
    host = dict(scope.get("headers", ())).get(b"host", b"").decode("latin-1")
    return pushed.stage_for(user_id, session_id, scope.get("cookies", {}), host)


# When each session was last swept (by this server).
_swept_at: dict[int, float] = {}


@_db
def _seen(user_id: int | None, session_id: int) -> tuple[int, bool] | None:
    """The session's version when the person may see it, with whether this sign made them
    connected (the version then still has to be raised: `_announce`); None when they may
    not see it."""
    visible = _visible_session(user_id, session_id)
    if visible is None:
        return None
    session, user = visible
    # Presence only advises: a database busy for a moment must not cost the socket.
    joined = False
    try:
        joined = presence.note_seen(session.pk, user, announce_now=False)
        moment = time.monotonic()
        if not joined and moment - _swept_at.get(session.pk, float("-inf")) >= SWEEP_SECONDS:
            _swept_at[session.pk] = moment
            if presence.sweep(session.pk):  # a phone that went to sleep without a goodbye
                session.refresh_from_db(fields=["version"])
    except DatabaseError:
        logger.warning("live session %s: presence not noted", session.pk, exc_info=True)
    return session.version, joined


@_db
def _raise_presence(session_id: int) -> int | None:
    try:
        return presence.raise_version(
            session_id, LiveEvent.Kind.PRESENCE, now=timezone.now(), connected=True
        )
    except DatabaseError:
        logger.warning("live session %s: presence not announced", session_id, exc_info=True)
        return None


@_db
def _left(user_id: int | None, session_id: int) -> None:
    try:
        presence.note_left(session_id, user_id)
    except DatabaseError:
        logger.warning("live session %s: a goodbye not noted", session_id, exc_info=True)


@_db
def _sweep(session_id: int) -> None:
    try:
        presence.sweep(session_id)
    except DatabaseError:
        logger.warning("live session %s: presence not swept", session_id, exc_info=True)


# The tasks waiting for a grace period or a presence announcement (kept so that they are
# not collected).
_pending: set[asyncio.Task] = set()
# When each session's version was last raised for presence, and the announcement waiting.
_announced_at: dict[int, float] = {}
_announcing: dict[int, asyncio.Task] = {}


def _keep(task: asyncio.Task) -> None:
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def _sweep_after_grace(session_id: int) -> None:
    await asyncio.sleep(presence.GRACE_SECONDS + 1)
    await _sweep(session_id)


async def _announce(session_id: int) -> int | None:
    """Someone became connected: raise the version now (the new version), or, when it was
    raised for presence less than `PRESENCE_SETTLE_SECONDS` ago, once at the end of that
    time for everyone who joined meanwhile (None)."""
    if session_id in _announcing:
        return None  # already on its way; the stage it brings reads presence then
    wait = _announced_at.get(session_id, float("-inf")) + PRESENCE_SETTLE_SECONDS
    wait -= time.monotonic()
    if wait <= 0:
        _announced_at[session_id] = time.monotonic()
        return await _raise_presence(session_id)
    task = asyncio.get_running_loop().create_task(_announce_later(session_id, wait))
    _announcing[session_id] = task
    _keep(task)
    return None


async def _announce_later(session_id: int, wait: float) -> None:
    try:
        await asyncio.sleep(wait)
    finally:
        _announcing.pop(session_id, None)
    _announced_at[session_id] = time.monotonic()
    await _raise_presence(session_id)


class LiveSessionConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        # Who signed in on this browser; whether they still may see the session is asked
        # again (with their account read again when anyone's ties changed) every time.
        self.user_id = getattr(self.scope.get("user"), "pk", None)  # resolved by AuthMiddleware
        self.joined = False
        self.stage_version = 0  # the version of the last stage sent
        seen = await _seen(self.user_id, self.session_id)
        if seen is None:
            await self.close(code=REFUSED)
            return
        version, became_connected = seen
        if became_connected:
            # Raised before joining: that push goes to the others; this device hears the
            # version it makes below (or the later push of an announcement held back).
            version = await _announce(self.session_id) or version
        await self.channel_layer.group_add(group_name(self.session_id), self.channel_name)
        self.joined = True
        await self.accept()
        # A (re)connect starts from the current version: a device that has not got its
        # stage at that version fetches it (after a reload it came with the page).
        self.stage_version = version
        await self.send_json({"type": "changed", "version": version})

    async def disconnect(self, code):
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(group_name(self.session_id), self.channel_name)
            self.joined = False
            await _left(self.user_id, self.session_id)
            _keep(asyncio.get_running_loop().create_task(_sweep_after_grace(self.session_id)))

    async def receive_json(self, content, **kwargs):
        """A heartbeat, or a device asking where the session is (after a missed push)."""
        seen = await _seen(self.user_id, self.session_id)
        if seen is None:
            await self._refuse()
            return
        version, became_connected = seen
        if became_connected:  # back after counting as gone
            version = await _announce(self.session_id) or version
        if version > self.stage_version:
            # A change whose push is still queued behind this message (a busy server):
            # the stage now, rather than the device fetching it and then getting it again.
            await self._send_stage(version)
        else:
            await self.send_json({"type": "changed", "version": version})

    async def live_changed(self, event):
        await self._send_stage(event["version"])

    async def _send_stage(self, version: int):
        # A consumer handles its messages one at a time: pushes that queued up during a
        # render are answered by the stage it sent, which was read after them.
        if version <= self.stage_version:
            return
        try:
            stage = await _stage(self.scope, self.user_id, self.session_id)
        except Exception:  # a stage that fails here must not cost the socket: fetch it
            logger.exception("live session %s: stage not rendered", self.session_id)
            await self.send_json({"type": "changed", "version": version})
            return
        if stage is None:
            await self._refuse()
            return
        self.stage_version = stage.version
        if stage.html is None:
            await self.send_json({"type": "changed", "version": stage.version})
        else:
            await self.send_json({"type": "stage", "version": stage.version, "html": stage.html})

    async def _refuse(self):
        await self.disconnect(REFUSED)
        await self.close(code=REFUSED)


@database_sync_to_async
def _screen_session(scope) -> tuple[int, int] | None:
    """(session id, version) of the open room screen whose token this browser's session
    holds; None for everyone else (signed in or not: a person is not a screen)."""
    from .screen import SESSION_KEY, screen_for_token

    django_session = scope.get("session")
    token = django_session.get(SESSION_KEY) if django_session is not None else None
    screen = screen_for_token(token)
    if screen is None:
        return None
    return screen.session_id, screen.session.version


class RoomScreenConsumer(AsyncJsonWebsocketConsumer):
    """The room screen's socket: as a device's, "changed, version N" only; the screen's
    token is checked on connect, on every message and before every push, so the socket
    closes when the lead closes the screen, the session closes or its time is up."""

    async def connect(self):
        self.joined = None
        found = await _screen_session(self.scope)
        if found is None:
            await self.close(code=REFUSED)
            return
        session_id, version = found
        await self.channel_layer.group_add(group_name(session_id), self.channel_name)
        self.joined = session_id
        await self.accept()
        await self.send_json({"type": "changed", "version": version})

    async def disconnect(self, code):
        if getattr(self, "joined", None) is not None:
            await self.channel_layer.group_discard(group_name(self.joined), self.channel_name)
            self.joined = None

    async def receive_json(self, content, **kwargs):
        found = await _screen_session(self.scope)
        if found is None or found[0] != self.joined:
            await self._refuse()
            return
        await self.send_json({"type": "changed", "version": found[1]})

    async def live_changed(self, event):
        found = await _screen_session(self.scope)
        if found is None or found[0] != self.joined:
            await self._refuse()
            return
        await self.send_json({"type": "changed", "version": event["version"]})

    async def _refuse(self):
        await self.disconnect(REFUSED)
        await self.close(code=REFUSED)
