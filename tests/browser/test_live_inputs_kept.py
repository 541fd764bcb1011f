"""On a phone during a live meeting nothing typed is lost: the text is back after a reload,
a submit made while offline is sent once the connection returns (once, not twice), and a
phase change while typing keeps the text in the field."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from kring.live import services
from kring.meetings.models import RoleAssignment
from kring.methods.models import Method
from kring.methods.services import load_builtin_methods
from kring.planning.models import Meeting
from kring.records.models import MeetingRecord, RecordInput
from tests import factories as f

from .asgi_server import device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _until(check, timeout=10):
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result


@pytest.fixture
def meeting_in_questions(asgi_live_server, world):
    load_builtin_methods()  # a flushed database has lost the methods' data migration
    lead = world.people["participant"]
    member = f.UserFactory(full_name="Mark Lid", email="mark@example.org")
    f.MembershipFactory(user=member, organisation=world.organisation)
    f.GroupMembershipFactory(group=world.group, user=member)
    meeting = f.MeetingFactory(
        group=world.group,
        starts_at=timezone.now() - timedelta(minutes=5),
        status=Meeting.Status.PLANNED,
        method_version=Method.objects.get(builtin_key="six-step", organisation=None).current,
    )
    RoleAssignment.objects.create(meeting=meeting, user=lead, role="process_facilitator")
    session = asgi_live_server.call(services.start_session, meeting=meeting, by=lead)
    session = asgi_live_server.call(services.advance, session=session, by=lead, from_phase=1)
    return meeting, session, lead, member


def _phone(browser, server, user, meeting):
    page = device(browser, server, user, timeout=10_000)
    page.goto(f"{server.url}/meetings/{meeting.pk}/live/")
    return page


def _inputs(meeting):
    return list(RecordInput.objects.filter(record__meeting=meeting).order_by("pk"))


def _record_version(meeting) -> str:
    return str(MeetingRecord.objects.get(meeting=meeting).version)


def _panel_version(page) -> str | None:
    return page.locator(".live-inputs-panel").get_attribute("data-record-version")


def test_typed_text_survives_a_reload_and_a_dropped_connection(
    asgi_live_server, browser, meeting_in_questions
):
    meeting, session, lead, member = meeting_in_questions
    page = _phone(browser, asgi_live_server, member, meeting)
    field = page.locator("#live-inputs form[data-fresh] textarea").first
    field.click()
    field.press_sequentially("Wat maakte het zo lastig?")
    # Saved on the server as a draft after a pause in typing (on a busy machine a pause
    # can fall mid-sentence too: the draft then follows the rest of the typing).
    assert _until(
        lambda: (
            [(i.state, i.text) for i in _inputs(meeting)]
            == [("draft", "Wat maakte het zo lastig?")]
        )
    )

    field.press_sequentially(" En toen?")
    page.reload()  # at once: the last words reached only this device's storage
    texts = page.locator("#live-inputs form[data-live-input] textarea")
    assert _until(
        lambda: (
            "Wat maakte het zo lastig? En toen?"
            in texts.evaluate_all("els => els.map(e => e.value)")
        )
    )

    # The restored words reach the server as a draft, which changes the record and so
    # refreshes the panel (its stage now comes over the socket, offline or not): the
    # click below must land on the panel that stays, not on one about to be replaced.
    assert _until(lambda: _inputs(meeting)[0].text == "Wat maakte het zo lastig? En toen?")
    assert _until(lambda: _panel_version(page) == _record_version(meeting))

    page.context.set_offline(True)
    page.locator(
        "#live-inputs form[data-live-input]:not([data-fresh]) button[type=submit]"
    ).first.click()
    offline = page.locator(".live-inputs-panel").get_attribute("data-status-offline")
    assert _until(lambda: offline in page.locator("#live-inputs").inner_text())
    assert _inputs(meeting)[0].state == "draft"

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    assert _until(lambda: [i.state for i in _inputs(meeting)] == ["submitted"])
    page.evaluate("document.dispatchEvent(new Event('live:online'))")  # a second resend
    time.sleep(1)
    [item] = _inputs(meeting)  # never a duplicate
    assert item.text == "Wat maakte het zo lastig? En toen?" and item.author == member
    assert page.evaluate(f"localStorage.getItem('kring-live-outbox:{meeting.pk}')") == "[]"
    page.context.close()


def test_a_phase_change_while_typing_keeps_the_text(
    asgi_live_server, browser, meeting_in_questions
):
    meeting, session, lead, member = meeting_in_questions
    page = _phone(browser, asgi_live_server, member, meeting)
    field = page.locator("#live-inputs form[data-fresh] textarea").first
    field.click()
    field.press_sequentially("Een vraag die nog niet af is")
    asgi_live_server.call(services.advance, session=session, by=lead, from_phase=2)
    panel = page.locator("#live-inputs .live-inputs-panel")
    assert _until(lambda: panel.get_attribute("data-phase") == "3")
    texts = page.locator("#live-inputs form[data-live-input] textarea")
    assert _until(
        lambda: "Een vraag die nog niet af is" in texts.evaluate_all("els => els.map(e => e.value)")
    )
    # Sent now, it is kept and marked late.
    form = page.locator("#live-inputs .live-earlier form[data-live-input]").first
    form.locator("button[type=submit]:not([data-discard])").click()
    assert _until(lambda: [(i.state, i.late) for i in _inputs(meeting)] == [("submitted", True)])
    page.context.close()
