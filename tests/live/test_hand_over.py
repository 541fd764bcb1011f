"""The lead is handed over during the meeting, and only that changes it."""

import inspect

import pytest

from kring.live import services
from kring.live.models import LiveEvent
from kring.planning.models import Attendance

from .conftest import at


def test_the_lead_goes_to_another_member_who_then_leads(started):
    live = started
    session = services.hand_over(
        session=live.session, by=live.process_facilitator, to=live.member, now=at(3)
    )
    assert session.led_by == live.member
    event = LiveEvent.objects.filter(session=session).last()
    assert event.kind == "hand_over"
    assert event.data == {"handed_from": live.process_facilitator.pk, "to": live.member.pk}
    session = services.advance(session=session, by=live.member, now=at(4))
    assert session.phase == 2


def test_the_groups_facilitator_hands_the_lead_to_the_process_facilitator(live):
    session = services.start_session(meeting=live.meeting, by=live.facilitator, now=at(0))
    session = services.hand_over(
        session=session, by=live.facilitator, to=live.process_facilitator, now=at(1)
    )
    # having handed it over, the facilitator no longer leads
    with pytest.raises(services.NotAllowed):
        services.advance(session=session, by=live.facilitator, now=at(2))
    assert services.advance(session=session, by=live.process_facilitator, now=at(2)).phase == 2


def test_the_process_facilitator_can_take_the_lead_back(started):
    live = started
    session = services.hand_over(
        session=live.session, by=live.process_facilitator, to=live.member, now=at(1)
    )
    session = services.hand_over(
        session=session, by=live.process_facilitator, to=live.process_facilitator, now=at(2)
    )
    assert session.led_by == live.process_facilitator
    with pytest.raises(services.NotAllowed):
        services.advance(session=session, by=live.member, now=at(3))


def test_the_lead_goes_only_to_someone_at_the_meeting(started):
    live = started
    world = live.world
    Attendance.objects.create(
        meeting=live.meeting, user=live.member, status=Attendance.Status.ABSENT_WITH_NOTICE
    )
    for user in (
        live.member,
        world.people["coordinator"],
        world.people["other_participant"],
        world.people["other_facilitator"],
    ):
        with pytest.raises(services.LiveError):
            services.hand_over(session=live.session, by=live.process_facilitator, to=user)
    live.session.refresh_from_db()
    assert live.session.led_by == live.process_facilitator


def test_only_the_lead_hands_over(started):
    live = started
    with pytest.raises(services.NotAllowed):
        services.hand_over(session=live.session, by=live.timekeeper, to=live.timekeeper)


def test_a_dropped_connection_changes_nothing_only_hand_over_sets_the_lead(started):
    """There is no code path from a connection to the lead: among the services only
    starting and handing over assign `led_by`, and a reconnect reads a snapshot."""
    from kring.live import selectors

    live = started
    before = live.session.version
    selectors.snapshot(live.session, live.member)  # a reconnect: a read, no change
    live.session.refresh_from_db()
    assert (live.session.led_by, live.session.version) == (live.process_facilitator, before)
    setters = {
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == services.__name__
        and "session.led_by =" in inspect.getsource(function)
    }
    assert setters == {"start_session", "hand_over"}
