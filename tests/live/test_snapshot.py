"""One viewer's snapshot: the phase, their own instruction in their language, the timer as
an end time with the server's now, who is ready, and whether they lead or keep time."""

from datetime import datetime

from kring.live import selectors, services

from .conftest import T0, at


def test_each_viewer_gets_their_own_roles_instruction_in_their_language(started):
    live = started
    services.advance(session=live.session, by=live.process_facilitator, now=at(1))
    services.advance(session=live.session, by=live.process_facilitator, now=at(2))
    services.advance(session=live.session, by=live.process_facilitator, now=at(3))
    session = services.advance(session=live.session, by=live.process_facilitator, now=at(4))
    assert session.phase == 5  # gossip: the presenter only listens
    presenter = selectors.snapshot(session, live.presenter, now=at(5))
    assert presenter["role"] == "presenter"
    assert presenter["title"] == "Roddelen"
    assert "luister" in presenter["instruction"].lower()
    member = selectors.snapshot(session, live.member, now=at(5))
    assert member["role"] == "questioners"
    assert member["instruction"] and member["instruction"] != presenter["instruction"]
    lead = selectors.snapshot(session, live.process_facilitator, now=at(5))  # English
    assert lead["title"] == "Gossip"
    assert lead["role"] == "process_facilitator"


def test_the_timer_is_an_end_time_with_the_servers_now(started):
    live = started
    data = selectors.snapshot(live.session, live.member, now=at(3))
    assert datetime.fromisoformat(data["timer_ends_at"]) == at(10)
    assert datetime.fromisoformat(data["server_now"]) == at(3)
    assert datetime.fromisoformat(data["phase_started_at"]) == T0
    assert (data["paused"], data["remaining_seconds"]) == (False, 7 * 60)
    session = services.pause(session=live.session, by=live.timekeeper, now=at(4))
    data = selectors.snapshot(session, live.member, now=at(9))
    assert (data["paused"], data["remaining_seconds"]) == (True, 6 * 60)
    assert selectors.snapshot(session, live.member, now=at(20))["remaining_seconds"] == 360


def test_who_leads_keeps_time_and_is_ready(started):
    live = started
    services.mark_ready(session=live.session, by=live.member, now=at(1))
    session = services.mark_ready(session=live.session, by=live.presenter, now=at(1))
    member = selectors.snapshot(session, live.member, now=at(2))
    assert member["version"] == session.version
    assert member["ready"] == sorted([live.member.full_name, live.presenter.full_name])
    assert member["present_count"] == 5
    assert member["viewer_ready"] is True
    assert (member["leads"], member["keeps_time"], member["holds_lead"]) == (False, False, False)
    assert "not_ready" not in member
    lead = selectors.snapshot(session, live.process_facilitator, now=at(2))
    assert (lead["leads"], lead["keeps_time"], lead["holds_lead"]) == (True, True, True)
    assert live.timekeeper.full_name in lead["not_ready"]
    assert live.member.full_name not in lead["not_ready"]
    timekeeper = selectors.snapshot(session, live.timekeeper, now=at(2))
    assert (timekeeper["leads"], timekeeper["keeps_time"]) == (False, True)


def test_a_snapshot_holds_no_content(started):
    from kring.records import services as record_services

    live = started
    record_services.add_input(
        record=live.session.meeting.record,
        by=live.member,
        author=live.member,
        kind="questions",
        phase=2,
        text="Geheime vraag",
    )
    data = selectors.snapshot(live.session, live.member, now=at(1))
    assert "Geheime vraag" not in repr(data)
    assert live.world.case.title not in repr(data)


def test_a_session_not_started_yet_shows_no_phase(live):
    session = services.session_for(live.meeting)
    data = selectors.snapshot(session, live.member, now=at(0))
    assert (data["state"], data["phase"], data["timer_ends_at"]) == ("not_started", 0, None)
