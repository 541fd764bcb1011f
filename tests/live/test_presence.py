"""Presence from heartbeats: a person is connected from their first sign and counts as
gone only after the grace period; several tabs count once; both raise the version."""

import pytest

from kring.live import presence
from kring.live.models import LiveEvent, LiveSession

from .conftest import at

pytestmark = pytest.mark.django_db


def _version(session):
    return LiveSession.objects.get(pk=session.pk).version


def test_connecting_raises_the_version_once_and_a_heartbeat_does_not(
    started, django_capture_on_commit_callbacks
):
    live = started
    with django_capture_on_commit_callbacks() as pushes:
        assert presence.note_seen(live.session.pk, live.member, now=at(1))
    assert _version(live.session) == 2
    assert len(pushes) == 1
    event = LiveEvent.objects.get(session=live.session, version=2)
    assert (event.kind, event.by, event.data) == ("presence", live.member, {"connected": True})

    assert not presence.note_seen(live.session.pk, live.member, now=at(1, 15))
    assert _version(live.session) == 2
    assert presence.connected_user_ids(live.session, now=at(1, 20)) == {live.member.pk}


def test_two_tabs_of_one_person_count_once(started):
    live = started
    assert presence.note_seen(live.session.pk, live.member, now=at(1))
    assert not presence.note_seen(live.session.pk, live.member, now=at(1, 2))  # second tab
    presence.note_left(live.session.pk, live.member, now=at(1, 30))  # one tab closed
    presence.note_seen(live.session.pk, live.member, now=at(1, 40))  # the other's heartbeat
    assert presence.sweep(live.session.pk, now=at(2, 20)) == set()
    assert presence.connected_user_ids(live.session, now=at(2, 20)) == {live.member.pk}
    assert _version(live.session) == 2


def test_gone_only_after_the_grace_period(started):
    live = started
    presence.note_seen(live.session.pk, live.member, now=at(1))
    presence.note_seen(live.session.pk, live.presenter, now=at(1))
    presence.note_left(live.session.pk, live.member, now=at(2))
    before = _version(live.session)

    # within the grace period: still connected, nothing changes
    just_before = at(2, presence.GRACE_SECONDS - 1)
    presence.note_seen(live.session.pk, live.presenter, now=just_before)
    assert presence.sweep(live.session.pk, now=just_before) == set()
    assert live.member.pk in presence.connected_user_ids(live.session, now=just_before)
    assert _version(live.session) == before

    after = at(2, presence.GRACE_SECONDS + 1)
    assert presence.sweep(live.session.pk, now=after) == {live.member.pk}
    assert presence.connected_user_ids(live.session, now=after) == {live.presenter.pk}
    assert _version(live.session) == before + 1
    event = LiveEvent.objects.get(session=live.session, version=before + 1)
    assert event.data == {"connected": False, "gone": [live.member.pk]}
    # swept once: a second sweep changes nothing
    assert presence.sweep(live.session.pk, now=after) == set()
    assert _version(live.session) == before + 1


def test_back_within_the_grace_period_is_never_gone(started):
    live = started
    presence.note_seen(live.session.pk, live.member, now=at(1))
    presence.note_left(live.session.pk, live.member, now=at(2))  # a reload
    assert not presence.note_seen(live.session.pk, live.member, now=at(2, 3))
    assert presence.sweep(live.session.pk, now=at(2, presence.GRACE_SECONDS + 1)) == set()
    assert _version(live.session) == 2


def test_a_device_that_stops_without_goodbye_is_gone_after_the_grace_period(started):
    live = started
    presence.note_seen(live.session.pk, live.member, now=at(1))
    presence.note_seen(live.session.pk, live.presenter, now=at(1))
    # the member's phone sleeps; the presenter's heartbeat sweeps
    presence.note_seen(live.session.pk, live.presenter, now=at(1, 50))
    assert presence.sweep(live.session.pk, now=at(1, 50)) == {live.member.pk}


def test_coming_back_after_being_gone_raises_the_version_again(started):
    live = started
    presence.note_seen(live.session.pk, live.member, now=at(1))
    presence.note_left(live.session.pk, live.member, now=at(2))
    presence.sweep(live.session.pk, now=at(3))
    before = _version(live.session)
    assert presence.note_seen(live.session.pk, live.member, now=at(4))
    assert _version(live.session) == before + 1
    assert presence.connected_user_ids(live.session, now=at(4)) == {live.member.pk}


def test_a_closed_session_changes_no_more(started):
    from kring.live import services

    live = started
    services.close_session(session=live.session, by=live.process_facilitator, now=at(5))
    before = _version(live.session)
    assert not presence.note_seen(live.session.pk, live.member, now=at(6))
    assert _version(live.session) == before


def test_nobody_is_connected_before_a_sign(live):
    from kring.live import services

    session = services.session_for(live.meeting)
    assert presence.connected_user_ids(session) == set()
    # before the start, the lead sees who is waiting
    assert presence.note_seen(session.pk, live.member)
    assert presence.connected_user_ids(session) == {live.member.pk}
