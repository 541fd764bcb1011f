"""The timer: an absolute end time, paused with its time left kept, extended by the
timekeeper or the lead, and only advisory."""

import pytest

from kring.live import selectors, services
from kring.live.models import LiveEvent

from .conftest import at


def test_pause_keeps_the_time_left_and_resume_continues_from_it(started):
    live = started  # phase 1: 10 minutes from T0
    session = services.pause(session=live.session, by=live.timekeeper, now=at(4))
    assert session.paused_at == at(4)
    assert selectors.remaining_seconds(session, at(4)) == 6 * 60
    assert selectors.remaining_seconds(session, at(30)) == 6 * 60  # no time passes paused
    assert LiveEvent.objects.filter(session=session).last().data == {"remaining": 360}
    session = services.resume(session=session, by=live.timekeeper, now=at(7))
    assert session.paused_at is None
    assert session.timer_ends_at == at(13)
    assert selectors.remaining_seconds(session, at(13)) == 0


def test_a_second_pause_or_resume_changes_nothing(started):
    live = started
    session = services.pause(session=live.session, by=live.timekeeper, now=at(1))
    again = services.pause(session=session, by=live.timekeeper, now=at(2))
    assert again.paused_at == at(1) and again.version == session.version
    session = services.resume(session=again, by=live.timekeeper, now=at(3))
    again = services.resume(session=session, by=live.timekeeper, now=at(4))
    assert again.timer_ends_at == at(12) and again.version == session.version


def test_extend_adds_minutes_to_the_end(started):
    live = started
    session = services.extend(session=live.session, by=live.timekeeper, minutes=5, now=at(3))
    assert session.timer_ends_at == at(15)
    assert LiveEvent.objects.filter(session=session).last().data == {"minutes": 5}


def test_extend_in_overtime_counts_from_now(started):
    live = started
    assert selectors.remaining_seconds(live.session, at(12)) == -120  # overtime
    session = services.extend(
        session=live.session, by=live.process_facilitator, minutes=5, now=at(12)
    )
    assert session.timer_ends_at == at(17)


def test_extend_while_paused_adds_to_the_time_left(started):
    live = started
    session = services.pause(session=live.session, by=live.timekeeper, now=at(4))
    session = services.extend(session=session, by=live.timekeeper, minutes=2, now=at(6))
    assert selectors.remaining_seconds(session, at(9)) == 8 * 60
    session = services.resume(session=session, by=live.timekeeper, now=at(10))
    assert session.timer_ends_at == at(18)


def test_extend_takes_whole_minutes_within_bounds(started):
    live = started
    for minutes in (0, -3, 61, 2.5, True, "5"):
        with pytest.raises(services.LiveError):
            services.extend(session=live.session, by=live.timekeeper, minutes=minutes, now=at(1))
    live.session.refresh_from_db()
    assert live.session.timer_ends_at == at(10)


def test_the_timer_never_blocks_the_lead(started):
    live = started
    session = services.advance(session=live.session, by=live.process_facilitator, now=at(45))
    assert session.phase == 2  # long in overtime, the meeting goes on
    session = services.advance(session=session, by=live.process_facilitator, now=at(46))
    assert session.phase == 3  # and well before the end, too


def test_only_the_timekeeper_and_the_lead_keep_time(started):
    live = started
    for user in (live.member, live.note_taker, live.presenter, live.facilitator):
        with pytest.raises(services.NotAllowed):
            services.pause(session=live.session, by=user, now=at(1))
        with pytest.raises(services.NotAllowed):
            services.extend(session=live.session, by=user, minutes=5, now=at(1))
    session = services.pause(session=live.session, by=live.process_facilitator, now=at(1))
    assert session.paused_at == at(1)
