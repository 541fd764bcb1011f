"""A page in the browser hears a started live session over the ASGI server's socket:
first the current version, then "changed, version N+1" when the lead goes on; a browser
that is not signed in is refused."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from kring.live import services
from kring.meetings.models import RoleAssignment
from kring.methods.models import Method
from kring.methods.services import load_builtin_methods
from kring.planning.models import Meeting
from tests import factories as f

from .asgi_server import device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """(url) => new Promise((resolve) => {
  window.heard = [];
  window.closedWith = null;
  const socket = new WebSocket(url);
  socket.onmessage = (event) => window.heard.push(JSON.parse(event.data));
  socket.onclose = (event) => { window.closedWith = event.code; resolve("closed"); };
  socket.onopen = () => resolve("open");
})"""


def _heard_until(page, done, timeout=10):
    """What the page heard, once `done(heard)` (polled here: the pages' Content Security
    Policy forbids the string evaluation of Playwright's wait_for_function)."""
    deadline = time.monotonic() + timeout
    while True:
        heard = page.evaluate("window.heard")
        if done(heard) or time.monotonic() > deadline:
            return heard
        time.sleep(0.05)


def _started_session(server, world):
    load_builtin_methods()  # a flushed database has lost the methods' data migration
    lead = world.people["participant"]
    meeting = f.MeetingFactory(
        group=world.group,
        starts_at=timezone.now() - timedelta(minutes=5),
        status=Meeting.Status.PLANNED,
        method_version=Method.objects.get(builtin_key="six-step", organisation=None).current,
    )
    RoleAssignment.objects.create(meeting=meeting, user=lead, role="process_facilitator")
    return lead, server.call(services.start_session, meeting=meeting, by=lead)


def _page(browser, server, user=None):
    page = device(browser, server, user, locale="en-US", timeout=10_000)
    page.goto(f"{server.url}/")
    return page


def test_a_member_hears_the_version_and_gets_their_stage_at_each_change(
    asgi_live_server, browser, world
):
    lead, session = _started_session(asgi_live_server, world)
    page = _page(browser, asgi_live_server, lead)

    assert page.evaluate(LISTEN, f"/ws/live/{session.pk}/") == "open"
    first = _heard_until(page, len)[0]
    # The current version (a connect may itself raise it: the lead shows who is there).
    assert first["type"] == "changed" and first["version"] >= session.version

    # The lead goes on, in the server as a request would.
    after = asgi_live_server.call(services.advance, session=session, by=lead, from_phase=1)
    assert after.phase == 2 and after.version > first["version"]
    heard = _heard_until(page, lambda heard: any(m["version"] >= after.version for m in heard))
    # The change brings the lead's own stage at that version (the browser has the CSRF
    # cookie of the page it loaded, so the stage's forms can be posted).
    stage = next(m for m in heard if m["version"] >= after.version)
    assert stage["type"] == "stage"
    assert f'data-version="{stage["version"]}"' in stage["html"]
    assert 'data-phase="2"' in stage["html"]
    assert 'id="live-advance"' in stage["html"]  # the lead's controls
    assert all(set(m) == {"type", "version"} for m in heard if m["type"] == "changed")
    page.context.close()


def test_a_browser_not_signed_in_is_refused(asgi_live_server, browser, world):
    _, session = _started_session(asgi_live_server, world)
    page = _page(browser, asgi_live_server)

    # Refused at the handshake: the socket never opens (a browser reports 1006).
    assert page.evaluate(LISTEN, f"/ws/live/{session.pk}/") == "closed"
    assert page.evaluate("window.heard") == []
    page.context.close()
