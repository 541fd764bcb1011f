"""Closing: the meeting counts as held, the report is drafted from the record for the note
taker, and the one-minute check opens as when a meeting's attendance is recorded."""

import pytest

from kring.evaluation.models import CheckParticipation
from kring.live import services
from kring.live.models import LiveEvent, LiveSession
from kring.planning.models import Attendance, Meeting
from kring.records import services as record_services
from kring.reports.models import Report

from .conftest import at


def _close(live, by=None, **kwargs):
    return services.close_session(session=live.session, by=by or live.process_facilitator, **kwargs)


def test_closing_drafts_the_report_for_the_note_taker_and_opens_the_check(
    started, run_tasks, django_capture_on_commit_callbacks
):
    live = started
    record_services.add_input(
        record=live.session.meeting.record,
        by=live.note_taker,
        author=live.member,
        kind="questions",
        phase=2,
        text="Wat heb je al geprobeerd?",
    )
    with django_capture_on_commit_callbacks(execute=True):
        session = _close(live, now=at(60))
    assert session.state == LiveSession.State.CLOSED
    assert session.closed_at == at(60)
    live.meeting.refresh_from_db()
    assert live.meeting.status == Meeting.Status.HELD
    report = Report.objects.get(meeting=live.meeting)
    assert report.created_by == live.note_taker
    event = LiveEvent.objects.filter(session=session).last()
    assert event.kind == "close" and event.data == {"report": report.pk}
    run_tasks()
    asked = set(
        CheckParticipation.objects.filter(meeting=live.meeting).values_list("user", flat=True)
    )
    assert asked == {user.pk for user in live.members}


def test_members_reported_absent_are_not_asked_for_the_check(
    started, run_tasks, django_capture_on_commit_callbacks
):
    live = started
    Attendance.objects.create(
        meeting=live.meeting, user=live.member, status=Attendance.Status.ABSENT_WITH_NOTICE
    )
    with django_capture_on_commit_callbacks(execute=True):
        _close(live, now=at(60))
    run_tasks()
    asked = set(
        CheckParticipation.objects.filter(meeting=live.meeting).values_list("user", flat=True)
    )
    assert live.member.pk not in asked and live.presenter.pk in asked


def test_a_report_already_drafted_is_left_as_it_is(started):
    live = started
    live.meeting.status = Meeting.Status.HELD  # held on paper meanwhile
    live.meeting.save()
    from kring.reports import services as report_services

    existing = report_services.draft_report(live.meeting, live.note_taker)
    _close(live, now=at(60))
    assert list(Report.objects.filter(meeting=live.meeting)) == [existing]


def test_without_a_note_taker_the_groups_facilitator_closing_gets_the_draft(live):
    live.meeting.role_assignments.filter(role="note_taker").delete()
    session = services.start_session(meeting=live.meeting, by=live.facilitator, now=at(0))
    services.close_session(session=session, by=live.facilitator, now=at(60))
    assert Report.objects.get(meeting=live.meeting).created_by == live.facilitator


def test_a_closed_session_takes_no_more_steps(started):
    live = started
    session = _close(live, now=at(60))
    for step in (services.advance, services.go_back, services.close_session, services.pause):
        with pytest.raises(services.LiveError, match="loopt niet"):
            step(session=session, by=live.process_facilitator, now=at(61))
    with pytest.raises(services.LiveError, match="loopt niet"):
        services.mark_ready(session=session, by=live.member, now=at(61))


def test_only_the_lead_closes(started):
    live = started
    with pytest.raises(services.NotAllowed):
        _close(live, by=live.note_taker)
    live.session.refresh_from_db()
    assert live.session.state == LiveSession.State.RUNNING
    assert not Report.objects.exists()
