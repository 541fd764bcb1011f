"""Starting a session: the server holds the phase, the timer's end time and who leads."""

import pytest

from kring.live import services
from kring.live.models import LiveEvent, LiveSession
from kring.planning.models import Meeting
from kring.records.models import MeetingRecord

from .conftest import T0, at


def test_the_process_facilitator_starts_at_phase_one_with_its_minutes(live):
    session = services.start_session(meeting=live.meeting, by=live.process_facilitator, now=T0)
    assert session.state == LiveSession.State.RUNNING
    assert session.phase == 1
    assert session.phase_started_at == T0
    assert session.timer_ends_at == at(minutes=10)  # the six-step method's first phase
    assert session.paused_at is None
    assert session.led_by == live.process_facilitator
    assert session.started_at == T0
    assert session.version == 1
    event = LiveEvent.objects.get(session=session)
    assert (event.kind, event.version, event.phase, event.by) == (
        "start",
        1,
        1,
        live.process_facilitator,
    )


def test_starting_makes_the_meetings_record_in_its_method_version(live):
    session = services.start_session(meeting=live.meeting, by=live.process_facilitator, now=T0)
    record = MeetingRecord.objects.get(meeting=live.meeting)
    assert record.method_version == live.meeting.method_version
    assert session.meeting.record == record


def test_the_groups_facilitator_may_start_and_then_leads(live):
    session = services.start_session(meeting=live.meeting, by=live.facilitator, now=T0)
    assert session.led_by == live.facilitator


def test_a_member_without_the_process_role_cannot_start(live):
    for user in (live.member, live.timekeeper, live.presenter):
        with pytest.raises(services.NotAllowed):
            services.start_session(meeting=live.meeting, by=user, now=T0)
    assert not LiveSession.objects.filter(state=LiveSession.State.RUNNING).exists()


def test_a_session_starts_once(live):
    services.start_session(meeting=live.meeting, by=live.process_facilitator, now=T0)
    with pytest.raises(services.LiveError):
        services.start_session(meeting=live.meeting, by=live.process_facilitator, now=T0)
    assert LiveEvent.objects.count() == 1


def test_a_meeting_without_a_method_or_not_planned_cannot_be_run_live(live):
    live.meeting.method_version = None
    live.meeting.save()
    with pytest.raises(services.LiveError, match="werkvorm"):
        services.start_session(meeting=live.meeting, by=live.process_facilitator, now=T0)
    live.meeting.status = Meeting.Status.CANCELLED
    live.meeting.save()
    with pytest.raises(services.LiveError):
        services.start_session(meeting=live.meeting, by=live.process_facilitator, now=T0)
