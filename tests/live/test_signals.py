"""Every change tells, once committed, which session changed and its version: never
state or content."""

import pytest

from kring.live import services
from kring.live.signals import live_changed

from .conftest import at


@pytest.fixture
def heard():
    messages = []

    def listen(sender, **kwargs):
        messages.append({key: value for key, value in kwargs.items() if key != "signal"})

    live_changed.connect(listen)
    yield messages
    live_changed.disconnect(listen)


def test_every_service_sends_the_new_version_on_commit(
    live, heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = services.start_session(
            meeting=live.meeting, by=live.process_facilitator, now=at(0)
        )
        services.mark_ready(session=session, by=live.member, now=at(1))
        services.unmark_ready(session=session, by=live.member, now=at(1))
        services.pause(session=session, by=live.timekeeper, now=at(2))
        services.resume(session=session, by=live.timekeeper, now=at(3))
        services.extend(session=session, by=live.timekeeper, minutes=2, now=at(4))
        services.advance(session=session, by=live.process_facilitator, now=at(5))
        services.go_back(session=session, by=live.process_facilitator, now=at(6))
        services.hand_over(session=session, by=live.process_facilitator, to=live.member)
        services.close_session(session=session, by=live.member, now=at(8))
    assert heard == [{"session_id": session.pk, "version": v} for v in range(1, 11)]


def test_a_refused_step_sends_nothing(started, heard, django_capture_on_commit_callbacks):
    live = started
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(services.NotAllowed):
            services.advance(session=live.session, by=live.member, now=at(1))
    assert heard == []


def test_nothing_is_sent_before_the_commit(live, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.start_session(meeting=live.meeting, by=live.process_facilitator, now=at(0))
    assert heard == [] and len(callbacks) == 1
