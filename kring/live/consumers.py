"""The live session's socket: it carries only "changed, version N".

Every device then fetches its own view, rendered for that viewer through the policy, so
nothing of the session travels through the channel layer or to anyone outside the group.
The policy is asked again on connect, on every message from the device and before every
push: a member removed from the group is disconnected at the next one.

Every connect and every message from the device counts as a sign of presence
(`kring.live.presence`): the person becoming connected raises the version; after a
disconnect they count as gone only once the grace period passed without a sign.
"""

import asyncio
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import DatabaseError

from kring.confidentiality import policy
from kring.confidentiality.policy import Action

from . import presence
from .models import LiveSession

logger = logging.getLogger(__name__)

# Closed because the person may not see this session (or it does not exist for them).
REFUSED = 4403


def group_name(session_id: int) -> str:
    return f"live-session-{session_id}"


@database_sync_to_async
def _version_for(user, session_id: int) -> int | None:
    """The session's version when `user` may see it; None otherwise (also when there is no
    such session, so that its existence does not leak)."""
    session = (
        LiveSession.objects.select_related("meeting__group__programme")
        .filter(pk=session_id)
        .first()
    )
    if session is None or not policy.can(user, Action.VIEW_LIVE_SESSION, session):
        return None
    return session.version


@database_sync_to_async
def _seen(user, session_id: int) -> int | None:
    """As `_version_for`, and the person noted as present (the version after that)."""
    session = (
        LiveSession.objects.select_related("meeting__group__programme")
        .filter(pk=session_id)
        .first()
    )
    if session is None or not policy.can(user, Action.VIEW_LIVE_SESSION, session):
        return None
    # Presence only advises: a database busy for a moment must not cost the socket.
    try:
        if presence.note_seen(session.pk, user):
            session.refresh_from_db(fields=["version"])
        else:
            presence.sweep(session.pk)  # someone whose phone went to sleep without a goodbye
    except DatabaseError:
        logger.warning("live session %s: presence not noted", session.pk, exc_info=True)
    return session.version


@database_sync_to_async
def _left(user, session_id: int) -> None:
    try:
        presence.note_left(session_id, user)
    except DatabaseError:
        logger.warning("live session %s: a goodbye not noted", session_id, exc_info=True)


@database_sync_to_async
def _sweep(session_id: int) -> None:
    try:
        presence.sweep(session_id)
    except DatabaseError:
        logger.warning("live session %s: presence not swept", session_id, exc_info=True)


# The checks waiting for a grace period to pass (kept so that they are not collected).
_pending: set[asyncio.Task] = set()


async def _sweep_after_grace(session_id: int) -> None:
    await asyncio.sleep(presence.GRACE_SECONDS + 1)
    await _sweep(session_id)


class LiveSessionConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.session_id = self.scope["url_route"]["kwargs"]["session_id"]
        self.joined = False
        version = await _seen(self.scope.get("user"), self.session_id)
        if version is None:
            await self.close(code=REFUSED)
            return
        # Joined after noting the connect: that push went to the others; this device
        # hears the version it makes below.
        await self.channel_layer.group_add(group_name(self.session_id), self.channel_name)
        self.joined = True
        await self.accept()
        # A (re)connect starts from the current version: the device fetches its snapshot.
        await self.send_json({"type": "changed", "version": version})

    async def disconnect(self, code):
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(group_name(self.session_id), self.channel_name)
            self.joined = False
            await _left(self.scope.get("user"), self.session_id)
            task = asyncio.get_running_loop().create_task(_sweep_after_grace(self.session_id))
            _pending.add(task)
            task.add_done_callback(_pending.discard)

    async def receive_json(self, content, **kwargs):
        """A heartbeat, or a device asking where the session is (after a missed push)."""
        version = await _seen(self.scope.get("user"), self.session_id)
        if version is None:
            await self._refuse()
            return
        await self.send_json({"type": "changed", "version": version})

    async def live_changed(self, event):
        if await _version_for(self.scope.get("user"), self.session_id) is None:
            await self._refuse()
            return
        await self.send_json({"type": "changed", "version": event["version"]})

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
