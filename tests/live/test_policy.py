"""The live session is the group's: its current members and its facilitator see it; the
lead and the timer are for whoever holds them. Nobody else, and services say so."""

from datetime import timedelta

import pytest
from django.http import Http404

from kring.confidentiality.policy import Action, can
from kring.live import selectors, services
from kring.live.models import LiveEvent

from .conftest import at

OUTSIDERS = [
    "coordinator",
    "sponsor",
    "admin",
    "line_manager",
    "other_participant",
    "other_facilitator",
    "outsider",
    "privacy_officer",
    "other_admin",
]


def _leave(user, live):
    membership = user.group_memberships.get(group=live.meeting.group)
    membership.left_on = membership.joined_on + timedelta(days=1)
    membership.save()


def _outsiders(live, zuid):
    people = [live.world.people[key] for key in OUTSIDERS]
    return people + list(zuid.people.values())


def test_the_group_and_its_facilitator_view_the_session(started):
    live = started
    for user in [*live.members, live.facilitator]:
        assert can(user, Action.VIEW_LIVE_SESSION, live.session)
        assert selectors.snapshot(live.session, user, now=at(1))["phase"] == 1


def test_nobody_outside_the_group_views_leads_or_keeps_time(started, zuid):
    live = started
    for user in _outsiders(live, zuid):
        for action in (Action.VIEW_LIVE_SESSION, Action.LEAD_LIVE_SESSION, Action.KEEP_TIME):
            assert not can(user, action, live.session), (user, action)
        with pytest.raises(Http404):
            selectors.snapshot(live.session, user, now=at(1))


def test_outsiders_cannot_take_any_step_and_are_told_so(started, zuid):
    live = started
    version = live.session.version
    for user in _outsiders(live, zuid):
        for step, kwargs in [
            (services.advance, {}),
            (services.go_back, {}),
            (services.mark_ready, {}),
            (services.pause, {}),
            (services.extend, {"minutes": 5}),
            (services.hand_over, {"to": user}),
            (services.close_session, {}),
        ]:
            with pytest.raises(services.NotAllowed, match="alleen voor de groep"):
                step(session=live.session, by=user, now=at(1), **kwargs)
    live.session.refresh_from_db()
    assert live.session.version == version
    assert LiveEvent.objects.count() == 1


def test_outsiders_cannot_start_a_session(live, zuid):
    for user in _outsiders(live, zuid):
        with pytest.raises(services.NotAllowed):
            services.start_session(meeting=live.meeting, by=user, now=at(0))


def test_a_former_member_loses_the_session_and_the_lead(started):
    live = started
    session = services.hand_over(
        session=live.session, by=live.process_facilitator, to=live.member, now=at(1)
    )
    _leave(live.member, live)
    assert not can(live.member, Action.VIEW_LIVE_SESSION, session)
    assert not can(live.member, Action.LEAD_LIVE_SESSION, session)
    with pytest.raises(services.NotAllowed):
        services.advance(session=session, by=live.member, now=at(2))
    # the process facilitator, whose role it is, can still lead the meeting on
    assert services.advance(session=session, by=live.process_facilitator, now=at(2)).phase == 2


def test_a_process_facilitator_who_left_the_group_no_longer_leads(started):
    live = started
    _leave(live.process_facilitator, live)
    assert not can(live.process_facilitator, Action.LEAD_LIVE_SESSION, live.session)


def test_the_timekeeper_keeps_time_but_does_not_lead(started):
    live = started
    assert can(live.timekeeper, Action.KEEP_TIME, live.session)
    assert not can(live.timekeeper, Action.LEAD_LIVE_SESSION, live.session)
    assert not can(live.member, Action.KEEP_TIME, live.session)


def test_the_groups_facilitator_leads_only_while_nobody_else_does(live):
    session = services.session_for(live.meeting)
    assert can(live.facilitator, Action.LEAD_LIVE_SESSION, session)  # before anyone leads
    session = services.start_session(meeting=live.meeting, by=live.process_facilitator, now=at(0))
    assert not can(live.facilitator, Action.LEAD_LIVE_SESSION, session)
    assert can(live.facilitator, Action.VIEW_LIVE_SESSION, session)
