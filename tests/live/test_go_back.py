"""Going back reopens an earlier phase: recorded as an event, nothing deleted."""

import pytest

from kring.live import selectors, services
from kring.live.models import LiveEvent, PhaseReady
from kring.records import services as record_services
from kring.records.models import RecordInput

from .conftest import at


def test_going_back_keeps_the_inputs_and_records_the_event(started):
    live = started
    session = services.advance(session=live.session, by=live.process_facilitator, now=at(9))
    question = record_services.add_input(
        record=session.meeting.record,
        by=live.member,
        author=live.member,
        kind="questions",
        phase=2,
        text="Wat heb je al geprobeerd?",
    )
    session = services.advance(session=session, by=live.process_facilitator, now=at(20))
    session = services.go_back(session=session, by=live.process_facilitator, now=at(21))
    assert session.phase == 2
    assert session.phase_started_at == at(21)
    assert session.timer_ends_at == at(21 + 15)  # the phase's full time again
    assert list(RecordInput.objects.current()) == [question]
    kinds = list(LiveEvent.objects.filter(session=session).values_list("kind", "phase"))
    assert kinds == [("start", 1), ("advance", 2), ("advance", 3), ("back", 2)]
    assert LiveEvent.objects.filter(session=session).last().data == {"left": 3}


def test_going_back_several_phases_and_asking_ready_again(started):
    live = started
    services.mark_ready(session=live.session, by=live.member, now=at(1))
    session = live.session
    for minute in (2, 3, 4):
        session = services.advance(session=session, by=live.process_facilitator, now=at(minute))
    session = services.go_back(session=session, by=live.process_facilitator, to_phase=1, now=at(5))
    assert session.phase == 1
    assert PhaseReady.objects.filter(user=live.member, phase=1).exists()  # kept
    assert live.member in selectors.not_ready(session)  # but this visit asks again


def test_there_is_no_phase_before_the_first(started):
    live = started
    with pytest.raises(services.LiveError):
        services.go_back(session=live.session, by=live.process_facilitator, now=at(1))
    with pytest.raises(services.LiveError):
        services.go_back(session=live.session, by=live.process_facilitator, to_phase=1, now=at(1))


def test_only_the_lead_goes_back(started):
    live = started
    session = services.advance(session=live.session, by=live.process_facilitator, now=at(1))
    with pytest.raises(services.NotAllowed):
        services.go_back(session=session, by=live.timekeeper, now=at(2))
