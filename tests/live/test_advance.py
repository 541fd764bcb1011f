"""Advancing: the lead sees who is not ready yet; a second click changes nothing; inputs
stay; a phase shown only when revealed waits for the lead to reveal it."""

import pytest

from kring.live import selectors, services
from kring.live.models import LiveEvent
from kring.planning.models import Attendance
from kring.records import services as record_services
from kring.records.models import RecordInput

from .conftest import at


def test_not_ready_lists_the_members_present_who_have_not_marked_ready(started):
    live = started
    assert {u.pk for u in selectors.not_ready(live.session)} == {u.pk for u in live.members}
    services.mark_ready(session=live.session, by=live.member, now=at(1))
    services.mark_ready(session=live.session, by=live.presenter, now=at(2))
    live.session.refresh_from_db()  # each mark raised the version the stages show
    waiting = {u.pk for u in selectors.not_ready(live.session)}
    assert waiting == {live.process_facilitator.pk, live.timekeeper.pk, live.note_taker.pk}


def test_a_member_reported_absent_is_not_waited_for(started):
    live = started
    Attendance.objects.create(
        meeting=live.meeting, user=live.member, status=Attendance.Status.ABSENT_WITH_NOTICE
    )
    assert live.member not in selectors.not_ready(live.session)
    with pytest.raises(services.NotAllowed):
        services.mark_ready(session=live.session, by=live.member, now=at(1))


def test_advance_moves_to_the_next_phase_and_records_who_was_not_ready(started):
    live = started
    services.mark_ready(session=live.session, by=live.member, now=at(1))
    session = services.advance(session=live.session, by=live.process_facilitator, now=at(8))
    assert session.phase == 2
    assert session.phase_started_at == at(8)
    assert session.timer_ends_at == at(8 + 15)
    event = LiveEvent.objects.filter(session=session).last()
    assert event.kind == "advance" and event.phase == 2 and event.data["left"] == 1
    assert live.member.pk not in event.data["not_ready"]
    assert live.presenter.pk in event.data["not_ready"]
    # the new phase asks everyone again
    assert len(selectors.not_ready(session)) == len(live.members)


def test_unmarking_ready_counts_again(started):
    live = started
    services.mark_ready(session=live.session, by=live.member, now=at(1))
    again = services.mark_ready(session=live.session, by=live.member, now=at(2))
    assert again.version == 2  # a second "ready" changes nothing
    services.unmark_ready(session=live.session, by=live.member, now=at(3))
    assert live.member in selectors.not_ready(live.session)


def test_a_second_click_on_next_from_the_same_phase_changes_nothing(started):
    live = started
    first = services.advance(
        session=live.session, by=live.process_facilitator, from_phase=1, now=at(5)
    )
    second = services.advance(session=first, by=live.process_facilitator, from_phase=1, now=at(5))
    assert second.phase == 2
    assert second.version == first.version


def test_only_the_lead_advances(started):
    live = started
    for user in (live.member, live.timekeeper, live.note_taker, live.facilitator):
        with pytest.raises(services.NotAllowed):
            services.advance(session=live.session, by=user, now=at(5))
    live.session.refresh_from_db()
    assert live.session.phase == 1


def test_the_last_phase_is_closed_not_advanced(started):
    live = started
    for minute in range(1, 6):
        services.advance(session=live.session, by=live.process_facilitator, now=at(minute))
    with pytest.raises(services.LiveError, match="laatste fase"):
        services.advance(session=live.session, by=live.process_facilitator, now=at(9))


def _to_statements_phase(live):
    services.advance(session=live.session, by=live.process_facilitator, now=at(1))
    return services.advance(session=live.session, by=live.process_facilitator, now=at(2))


def test_statements_stay_hidden_when_advancing_until_the_lead_reveals(started):
    live = started
    session = _to_statements_phase(live)
    assert session.phase == 3  # the problem in one sentence: shown only when revealed
    record = session.meeting.record
    statement = record_services.add_input(
        record=record,
        by=live.member,
        author=live.member,
        kind="problem_statements",
        phase=3,
        text="Hoe zeg ik nee?",
    )
    session = services.advance(session=session, by=live.process_facilitator, now=at(3))
    statement.refresh_from_db()
    assert statement.state == RecordInput.State.SUBMITTED  # advancing reveals nothing
    session = services.go_back(session=session, by=live.process_facilitator, now=at(4))
    session = services.reveal(session=session, by=live.process_facilitator, now=at(5))
    statement.refresh_from_db()
    assert statement.state == RecordInput.State.REVEALED
    assert LiveEvent.objects.filter(session=session).last().data == {"shown": 1}


def test_reveal_is_for_phases_shown_only_when_revealed_and_for_the_lead(started):
    live = started
    with pytest.raises(services.LiveError):
        services.reveal(session=live.session, by=live.process_facilitator, now=at(1))
    session = _to_statements_phase(live)
    with pytest.raises(services.NotAllowed):
        services.reveal(session=session, by=live.member, now=at(3))
