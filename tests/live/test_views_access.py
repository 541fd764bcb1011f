"""The live page is the group's: every URL answers 404 to an outsider, a coordinator,
someone of another organisation and a member who left; an anonymous visitor is sent to
log in, as everywhere on the site. A refused post changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from kring.live.models import LiveEvent, LiveSession, PhaseReady

GETS = ["page", "stage"]
POSTS = {
    "start": {},
    "advance": {"from_phase": 1, "confirmed": "1"},
    "back": {"to_phase": 1},
    "reveal": {},
    "ready": {"ready": "1"},
    "timer": {"action": "extend", "minutes": "5"},
    "hand_over": {"to": "0"},
    "close": {"confirmed": "1"},
}
REFUSED = ["coordinator", "outsider", "other_participant", "other_facilitator", "sponsor"]


def url(name, meeting):
    return reverse(f"live:{name}", kwargs={"meeting_id": meeting.pk})


def _left(user, live):
    membership = user.group_memberships.get(group=live.meeting.group)
    membership.left_on = membership.joined_on + timedelta(days=1)
    membership.save()


def _nobody(live, zuid, who):
    if who == "removed":
        _left(live.member, live)
        return live.member
    if who == "zuid":
        return zuid.people["zuid_facilitator"]
    if who == "other_admin":
        return live.world.people["other_admin"]
    return live.world.people[who]


def _state(live):
    session = LiveSession.objects.get(meeting=live.meeting)
    return (
        session.state,
        session.phase,
        session.version,
        session.led_by_id,
        session.timer_ends_at,
        LiveEvent.objects.count(),
        PhaseReady.objects.count(),
    )


@pytest.mark.parametrize("who", [*REFUSED, "removed", "zuid", "other_admin"])
def test_everyone_outside_the_group_gets_404_and_changes_nothing(client, started, zuid, who):
    live = started
    hand_to = live.member.pk
    person = _nobody(live, zuid, who)
    client.force_login(person)
    before = _state(live)
    for name in GETS:
        assert client.get(url(name, live.meeting)).status_code == 404, name
    for name, data in POSTS.items():
        data = {**data, "to": str(hand_to)} if name == "hand_over" else data
        assert client.post(url(name, live.meeting), data).status_code == 404, name
        assert client.post(url(name, live.meeting), data, HTTP_HX_REQUEST="true").status_code == 404
    assert _state(live) == before


def test_an_outsider_cannot_start_a_session_that_has_not_started(client, live, zuid):
    for person in [live.world.people["coordinator"], zuid.people["zuid_facilitator"]]:
        client.force_login(person)
        assert client.post(url("start", live.meeting)).status_code == 404
    assert not LiveSession.objects.filter(meeting=live.meeting, state="running").exists()


def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(client, started):
    live = started
    before = _state(live)
    login = reverse("accounts:login")
    for name in GETS:
        response = client.get(url(name, live.meeting))
        assert response.status_code == 302 and response["Location"].startswith(login)
    for name, data in POSTS.items():
        response = client.post(url(name, live.meeting), data)
        assert response.status_code == 302 and response["Location"].startswith(login)
    assert _state(live) == before


def test_a_meeting_that_does_not_exist_is_404(client, started):
    client.force_login(started.process_facilitator)
    for name in GETS:
        assert (
            client.get(f"/meetings/999999/live/{'' if name == 'page' else 'stage/'}").status_code
            == 404
        )


def test_the_group_and_its_facilitator_open_the_page(client, started):
    live = started
    for person in [*live.members, live.facilitator]:
        client.force_login(person)
        assert client.get(url("page", live.meeting)).status_code == 200
        assert client.get(url("stage", live.meeting)).status_code == 200


def test_the_page_shows_the_chosen_case_to_the_group_only(client, started):
    from kring.meetings.models import MeetingCase

    live = started
    MeetingCase.objects.create(meeting=live.meeting, case=live.world.case)
    client.force_login(live.member)
    page = client.get(url("page", live.meeting)).content.decode()
    assert live.world.case.title in page
    stage = client.get(url("stage", live.meeting)).content.decode()
    assert live.world.case.title not in stage  # read once per page, not with every change


def test_a_member_who_left_is_refused_also_after_the_page_was_open(client, started):
    live = started
    client.force_login(live.member)
    assert client.get(url("stage", live.meeting)).status_code == 200
    _left(live.member, live)
    before = _state(live)
    assert client.get(url("stage", live.meeting)).status_code == 404
    assert client.post(url("ready", live.meeting), {"ready": "1"}).status_code == 404
    assert _state(live) == before


def test_steps_only_for_the_lead_are_refused_to_a_member_with_a_message(client, started):
    live = started
    client.force_login(live.member)
    before = _state(live)
    for name in ["advance", "back", "reveal", "hand_over", "close"]:
        data = {**POSTS[name], "to": str(live.member.pk)} if name == "hand_over" else POSTS[name]
        response = client.post(url(name, live.meeting), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 403, name
        assert "Alleen wie de bijeenkomst leidt" in response.content.decode()
    response = client.post(url("timer", live.meeting), POSTS["timer"], HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert "tijdbewaker" in response.content.decode()
    assert _state(live) == before
    # without JavaScript the page itself says so
    response = client.post(url("advance", live.meeting), POSTS["advance"])
    assert response.status_code == 403 and b"<html" in response.content
    assert "Alleen wie de bijeenkomst leidt" in response.content.decode()


def test_the_stage_has_no_lead_controls_for_a_member(client, started):
    client.force_login(started.member)
    stage = client.get(url("stage", started.meeting)).content.decode()
    for control in ["live-advance", "live-back", "live-hand-over", "live-close", "live-pause"]:
        assert f'id="{control}"' not in stage


def test_the_meeting_page_links_to_the_live_page_for_the_group_only(client, live):
    meeting_page = reverse("planning:meeting_detail", kwargs={"meeting_id": live.meeting.pk})
    live_page = url("page", live.meeting)
    for person in [live.member, live.facilitator]:
        client.force_login(person)
        assert f'href="{live_page}"' in client.get(meeting_page).content.decode()
    client.force_login(live.world.people["coordinator"])
    response = client.get(meeting_page)
    assert response.status_code == 200 and f'href="{live_page}"' not in response.content.decode()


def test_no_live_link_without_a_method_or_once_closed(client, live):
    from kring.live import services

    meeting_page = reverse("planning:meeting_detail", kwargs={"meeting_id": live.meeting.pk})
    live_page = url("page", live.meeting)
    client.force_login(live.member)
    method = live.meeting.method_version
    live.meeting.method_version = None
    live.meeting.save()
    assert f'href="{live_page}"' not in client.get(meeting_page).content.decode()
    live.meeting.method_version = method
    live.meeting.save()
    session = services.start_session(meeting=live.meeting, by=live.process_facilitator)
    live.meeting.status = "held"  # running live keeps the way in
    live.meeting.save()
    assert f'href="{live_page}"' in client.get(meeting_page).content.decode()
    services.close_session(session=session, by=live.process_facilitator)
    assert f'href="{live_page}"' not in client.get(meeting_page).content.decode()
