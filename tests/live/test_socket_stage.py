"""The stage each socket gets after a change: its own person's view, rendered through the
policy as the stage URL answers it, with forms the browser can post."""

import re

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.urls import reverse

from kring.asgi import application
from kring.live import services
from kring.live.consumers import REFUSED

from .conftest import at

pytestmark = pytest.mark.django_db(transaction=True)

CSRF_SECRET = "k" * 32  # as the browser got it with the live page


@pytest.fixture(autouse=True)
def _presence_at_once(monkeypatch):
    from kring.live import consumers

    monkeypatch.setattr(consumers, "PRESENCE_SETTLE_SECONDS", 0)
    monkeypatch.setattr(consumers, "_announced_at", {})
    monkeypatch.setattr(consumers, "_announcing", {})


def _browser(user) -> tuple[Client, list[tuple[bytes, bytes]]]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}"
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    return client, [*headers, (b"cookie", cookie.encode())]


def _socket(session, headers):
    return WebsocketCommunicator(application, f"/ws/live/{session.pk}/", headers=headers)


@pytest.fixture
def advance(started, django_capture_on_commit_callbacks):
    """The lead goes to the next phase, pushed as after the commit: the new version."""

    def step() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            session = services.advance(
                session=started.session, by=started.process_facilitator, now=at(1)
            )
        return session.version

    return step


async def _stage_at(communicator, version: int) -> dict:
    """The stage pushed at `version` or later (the others' connects push some first)."""
    while True:
        message = await communicator.receive_json_from(timeout=10)
        if message["type"] == "stage" and message["version"] >= version:
            return message


def test_after_a_change_each_socket_gets_its_own_persons_stage(started, advance):
    live = started
    _, member_headers = _browser(live.member)
    _, presenter_headers = _browser(live.presenter)

    async def run():
        member, presenter = (
            _socket(live.session, member_headers),
            _socket(live.session, presenter_headers),
        )
        for communicator in (member, presenter):
            assert (await communicator.connect())[0]
        version = await sync_to_async(advance)()
        member_stage = await _stage_at(member, version)
        presenter_stage = await _stage_at(presenter, version)
        for communicator in (member, presenter):
            await communicator.disconnect()
        return member_stage, presenter_stage

    member_stage, presenter_stage = async_to_sync(run)()
    live.session.refresh_from_db()
    for stage in (member_stage, presenter_stage):
        assert stage["version"] == live.session.version
        assert f'data-version="{live.session.version}"' in stage["html"]
        assert 'data-phase="2"' in stage["html"]
        # no lead's controls for either
        assert 'id="live-advance"' not in stage["html"]
    # each in their own role, with their own instruction (both Dutch)
    assert "Vragensteller" in member_stage["html"]
    assert "Inbrenger" in presenter_stage["html"]
    assert member_stage["html"] != presenter_stage["html"]


def test_a_pushed_stage_is_the_stage_url_s_answer_and_its_forms_can_be_posted(started, advance):
    live = started
    client, headers = _browser(live.member)

    async def run():
        communicator = _socket(live.session, headers)
        assert (await communicator.connect())[0]
        version = await sync_to_async(advance)()
        stage = await _stage_at(communicator, version)
        await communicator.disconnect()
        return stage

    pushed = async_to_sync(run)()["html"]
    fetched = client.get(reverse("live:stage", args=[live.meeting.pk])).content.decode()

    def without_moments(html):  # the token is masked anew, the clock moves on
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        html = re.sub(r'data-server-now="[^"]+"', "", html)
        return re.sub(r'data-remaining="[^"]*"|id="live-timer-value">[^<]*', "", html)

    assert without_moments(pushed) == without_moments(fetched)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pushed).group(1)
    ready = client.post(
        reverse("live:ready", args=[live.meeting.pk]),
        {"ready": "1", "csrfmiddlewaretoken": token},
        HTTP_X_LIVE="fetch",
    )
    assert ready.status_code == 200
    assert 'aria-pressed="true"' in ready.content.decode()


def test_a_socket_without_a_csrf_cookie_is_told_the_version_and_fetches(started, advance):
    """(No form could be posted from a stage rendered without the browser's secret.)"""
    live = started
    client = Client()
    client.force_login(live.member)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    headers = [(b"origin", b"http://localhost"), (b"cookie", f"sessionid={session}".encode())]

    async def run():
        communicator = _socket(live.session, headers)
        assert (await communicator.connect())[0]
        await communicator.receive_json_from()
        await sync_to_async(advance)()
        message = await communicator.receive_json_from()
        await communicator.disconnect()
        return message

    live.session.refresh_from_db()
    message = async_to_sync(run)()
    assert message["type"] == "changed"
    assert "html" not in message


def test_a_member_switched_off_in_the_organisation_gets_no_stage_and_is_refused(started, advance):
    live = started
    _, headers = _browser(live.member)

    def switch_off_and_advance():
        membership = live.member.memberships.get(organisation=live.world.organisation)
        membership.is_active = False
        membership.save()
        advance()

    async def run():
        communicator = _socket(live.session, headers)
        assert (await communicator.connect())[0]
        await communicator.receive_json_from()
        await sync_to_async(switch_off_and_advance)()
        outputs = []
        while True:
            output = await communicator.receive_output(timeout=10)
            outputs.append(output)
            if output["type"] == "websocket.close":
                break
        await communicator.disconnect()
        return outputs

    outputs = async_to_sync(run)()
    assert outputs[-1] == {"type": "websocket.close", "code": REFUSED}
    assert not any("stage" in str(output.get("text", "")) for output in outputs)


def test_members_with_the_same_view_share_one_render_with_their_own_token(started, monkeypatch):
    from django.middleware.csrf import _unmask_cipher_token
    from django.utils import timezone

    from kring.live import pushed
    from tests import factories as f

    live = started
    # One moment for every render: the time left is part of the view (it moves each second).
    monkeypatch.setattr(timezone, "now", lambda: at(5))
    anna = f.UserFactory(full_name="Anna Lid", email="anna@example.org", language="nl")
    f.MembershipFactory(user=anna, organisation=live.world.organisation)
    f.GroupMembershipFactory(group=live.world.group, user=anna)
    renders = []
    render = pushed.render_to_string
    monkeypatch.setattr(
        pushed, "render_to_string", lambda *a, **k: renders.append(a[0]) or render(*a, **k)
    )
    secrets = {live.member.pk: "m" * 32, anna.pk: "a" * 32, live.presenter.pk: "p" * 32}

    def stages():
        return {
            user_id: pushed.stage_for(
                user_id, live.session.pk, {settings.CSRF_COOKIE_NAME: secret}, "localhost"
            ).html
            for user_id, secret in secrets.items()
        }

    first = stages()
    assert len(renders) == 2  # the two members without a role share one; the presenter's own
    for user_id, html in first.items():
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert {_unmask_cipher_token(token) for token in tokens} == {secrets[user_id]}
        assert re.search(r'data-server-now="\d{4}-\d\d-\d\dT[^"]+"', html)
        assert "kring-" not in html
    assert "Anna Lid" in first[live.member.pk] and "Vragensteller" in first[anna.pk]

    # Anna is ready: from this version on her stage differs from Mark's.
    renders.clear()
    services.mark_ready(session=live.session, by=anna, now=at(1))
    second = stages()
    assert len(renders) == 3
    assert 'aria-pressed="true"' in second[anna.pk]
    assert 'aria-pressed="false"' in second[live.member.pk]
