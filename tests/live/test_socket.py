"""The socket, through the whole ASGI application with Django's session: the group and its
facilitator hear "changed, version N" and nothing else; everyone else is refused."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from kring.asgi import application
from kring.live import services
from kring.live.consumers import REFUSED

from .conftest import at

# The consumer reads the database through `database_sync_to_async`, which closes a
# connection that is inside a transaction (as a test's is): on PostgreSQL the test then
# loses its own connection. Committed data and real transactions, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def _cookie(user) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://localhost")]
    if user is None:
        return headers
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [*headers, (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode())]


def _socket(session, headers, session_id=None):
    return WebsocketCommunicator(
        application, f"/ws/live/{session_id or session.pk}/", headers=headers
    )


def _refused(session, user, session_id=None) -> bool:
    headers = _cookie(user)

    async def attempt():
        communicator = _socket(session, headers, session_id)
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return not connected and code == REFUSED

    return async_to_sync(attempt)()


def test_outsiders_coordinators_and_anonymous_clients_are_refused(started, zuid):
    live = started
    people = live.world.people
    for user in (
        None,
        people["coordinator"],
        people["sponsor"],
        people["other_participant"],
        people["other_facilitator"],
        people["admin"],
        zuid.people["zuid_participant"],
    ):
        assert _refused(live.session, user), user


def test_a_session_that_does_not_exist_is_refused_as_one_that_is_not_yours(started):
    live = started
    assert _refused(live.session, live.member, session_id=live.session.pk + 1000)


def test_a_member_hears_the_version_and_nothing_else(started, django_capture_on_commit_callbacks):
    live = started

    def advance():
        with django_capture_on_commit_callbacks(execute=True):
            services.advance(session=live.session, by=live.process_facilitator, now=at(1))

    member_headers, facilitator_headers = _cookie(live.member), _cookie(live.facilitator)

    async def run():
        member = _socket(live.session, member_headers)
        facilitator = _socket(live.session, facilitator_headers)
        # each one connecting raises the version (the lead's stage shows who is there)
        connected, _ = await member.connect()
        assert connected
        assert await member.receive_json_from() == {"type": "changed", "version": 2}
        connected, _ = await facilitator.connect()
        assert connected
        assert await facilitator.receive_json_from() == {"type": "changed", "version": 3}
        assert await member.receive_json_from() == {"type": "changed", "version": 3}
        await sync_to_async(advance)()
        for communicator in (member, facilitator):
            assert await communicator.receive_json_from() == {"type": "changed", "version": 4}
        await member.send_json_to({"type": "heartbeat"})
        assert await member.receive_json_from() == {"type": "changed", "version": 4}
        for communicator in (member, facilitator):
            assert await communicator.receive_nothing()
            await communicator.disconnect()

    async_to_sync(run)()


def test_a_member_who_left_the_group_is_disconnected_at_the_next_push(
    started, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    live = started

    def leave_and_advance():
        membership = live.member.group_memberships.get(group=live.meeting.group)
        membership.left_on = membership.joined_on + timedelta(days=1)
        membership.save()
        with django_capture_on_commit_callbacks(execute=True):
            services.advance(session=live.session, by=live.process_facilitator, now=at(1))

    headers = _cookie(live.member)

    async def run():
        communicator = _socket(live.session, headers)
        connected, _ = await communicator.connect()
        assert connected
        await communicator.receive_json_from()
        await sync_to_async(leave_and_advance)()
        output = await communicator.receive_output()
        assert output == {"type": "websocket.close", "code": REFUSED}
        await communicator.disconnect()

    async_to_sync(run)()


def test_a_channel_layer_that_is_down_does_not_undo_or_fail_the_change(
    started, monkeypatch, django_capture_on_commit_callbacks
):
    from kring.live import receivers

    class Down:
        async def group_send(self, group, message):
            raise ConnectionError("redis restarting")

    live = started
    monkeypatch.setattr(receivers, "get_channel_layer", lambda: Down())
    with django_capture_on_commit_callbacks(execute=True):
        session = services.advance(session=live.session, by=live.process_facilitator, now=at(1))
    session.refresh_from_db()
    assert (session.phase, session.version) == (2, 2)


def test_refused_people_leave_no_presence_and_raise_nothing(started, zuid):
    from kring.live import presence

    live = started
    people = live.world.people
    for user in (
        None,
        people["coordinator"],
        people["other_participant"],
        zuid.people["zuid_participant"],
    ):
        assert _refused(live.session, user)
    live.session.refresh_from_db()
    assert live.session.version == 1
    assert presence.connected_user_ids(live.session) == set()


def test_a_second_tab_counts_once_and_leaving_is_heard_after_the_grace_period(started, monkeypatch):
    from kring.live import presence

    live = started
    monkeypatch.setattr(presence, "GRACE_SECONDS", 0.2)
    member_headers, lead_headers = _cookie(live.member), _cookie(live.process_facilitator)

    async def run():
        lead = _socket(live.session, lead_headers)
        assert (await lead.connect())[0]
        assert await lead.receive_json_from() == {"type": "changed", "version": 2}
        first, second = _socket(live.session, member_headers), _socket(live.session, member_headers)
        assert (await first.connect())[0]
        assert await first.receive_json_from() == {"type": "changed", "version": 3}
        assert await lead.receive_json_from() == {"type": "changed", "version": 3}
        assert (await second.connect())[0]
        assert await second.receive_json_from() == {"type": "changed", "version": 3}
        assert await lead.receive_nothing()  # the second tab changes nothing
        await first.disconnect()
        await second.disconnect()
        assert await lead.receive_nothing(timeout=0.05)  # not gone at once
        # after the grace period the lead's stage hears that the member is gone
        assert await lead.receive_json_from(timeout=3) == {"type": "changed", "version": 4}
        connected = await sync_to_async(presence.connected_user_ids)(live.session)
        assert live.member.pk not in connected
        await lead.disconnect()

    async_to_sync(run)()
