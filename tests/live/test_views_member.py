"""The live page for a member and the timekeeper: their own role's instruction (never
another role's), "ready" pressed and unpressed, the timer paused, resumed and extended."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from kring.live import selectors, services
from kring.live.models import LiveSession
from kring.methods import structure

FETCH = {"HTTP_HX_REQUEST": "true"}


def url(name, live):
    return reverse(f"live:{name}", kwargs={"meeting_id": live.meeting.pk})


def session_of(live):
    return LiveSession.objects.get(meeting=live.meeting)


def _instructions(live, phase):
    return selectors.phases_of(session_of(live))[phase - 1]["instructions"]


def test_each_viewer_reads_their_own_instruction_and_no_other(client, started):
    live = started
    for _ in range(4):
        services.advance(session=session_of(live), by=live.process_facilitator)
    instructions = _instructions(live, 5)  # gossip: the presenter only listens
    viewers = {
        "presenter": live.presenter,
        "questioners": live.member,
        "timekeeper": live.timekeeper,
        "note_taker": live.note_taker,
    }
    for role, person in viewers.items():
        client.force_login(person)
        stage = client.get(url("stage", live)).content.decode()
        own = structure.localised(instructions[role], "nl")
        assert own in stage, role
        for other, text in instructions.items():
            if other != role:
                assert structure.localised(text, "nl") not in stage, (role, other)
                assert structure.localised(text, "en") not in stage, (role, other)
    client.force_login(live.process_facilitator)  # reads English
    stage = client.get(url("stage", live)).content.decode()
    assert structure.localised(instructions["process_facilitator"], "en") in stage
    assert "Your role: Process facilitator" in stage


def test_the_page_names_the_phase_and_the_time_left(client, started):
    live = started
    session = session_of(live)
    session.timer_ends_at = timezone.now() + timedelta(minutes=5)
    session.save()
    client.force_login(live.member)
    stage = client.get(url("stage", live)).content.decode()
    assert "Fase 1 van 6" in stage and "Situatie en vraag" in stage
    assert "Tijd over" in stage
    assert re.search(r'id="live-timer-value">\d+:\d\d<', stage)
    assert "Jouw rol: Vragensteller" in stage


def test_overtime_is_shown_with_a_plus(client, started):
    live = started
    session = session_of(live)
    session.timer_ends_at -= timedelta(hours=2)  # well past the phase's ten minutes
    session.save()
    client.force_login(live.member)
    stage = client.get(url("stage", live)).content.decode()
    assert "Uitloop" in stage and 'class="live-timer is-overtime"' in stage
    assert re.search(r'id="live-timer-value">\+\d+:\d\d<', stage)


def test_a_member_marks_ready_and_takes_it_back(client, started):
    live = started
    client.force_login(live.member)
    response = client.post(url("ready", live), {"ready": "1"})
    assert response.status_code == 302 and response["Location"] == url("page", live)
    assert live.member.pk in selectors.ready_in_current_phase(session_of(live))
    stage = client.get(url("stage", live)).content.decode()
    assert 'aria-pressed="true"' in stage and "Klaar: 1 van 5" in stage
    client.post(url("ready", live), {"ready": "1"})  # a second press of the same form
    assert live.member.pk in selectors.ready_in_current_phase(session_of(live))
    response = client.post(url("ready", live), {"ready": "0"}, **FETCH)
    assert response.status_code == 200 and "Klaar: 0 van 5" in response.content.decode()
    assert live.member.pk not in selectors.ready_in_current_phase(session_of(live))


def test_the_group_facilitator_who_is_not_at_the_meeting_has_no_ready_button(client, started):
    client.force_login(started.facilitator)
    stage = client.get(url("stage", started)).content.decode()
    assert 'id="live-ready"' not in stage
    response = client.post(url("ready", started), {"ready": "1"}, **FETCH)
    assert response.status_code == 403


def test_the_timekeeper_pauses_resumes_and_extends(client, started):
    live = started
    client.force_login(live.timekeeper)
    stage = client.get(url("stage", live)).content.decode()
    assert 'id="live-pause"' in stage and 'id="live-extend-5"' in stage
    assert 'id="live-advance"' not in stage
    response = client.post(url("timer", live), {"action": "pause"})
    assert response.status_code == 302
    assert session_of(live).paused_at is not None
    stage = client.get(url("stage", live)).content.decode()
    assert "Gepauzeerd" in stage and 'data-paused="true"' in stage and 'id="live-resume"' in stage
    client.post(url("timer", live), {"action": "resume"})
    assert session_of(live).paused_at is None
    response = client.post(url("timer", live), {"action": "extend", "minutes": "5"}, **FETCH)
    assert response.status_code == 200
    # in overtime (the fixture's phase began hours ago) five more minutes count from now
    left = session_of(live).timer_ends_at - timezone.now()
    assert timedelta(minutes=4) < left <= timedelta(minutes=5)


def test_a_timer_step_that_makes_no_sense_is_said_and_changes_nothing(client, started):
    live = started
    client.force_login(live.timekeeper)
    version = session_of(live).version
    for data in [
        {"action": "extend", "minutes": "x"},
        {"action": "extend", "minutes": "0"},
        {"action": "dance"},
    ]:
        response = client.post(url("timer", live), data, **FETCH)
        assert response.status_code == 400
        assert b'class="message error live-error"' in response.content
    assert session_of(live).version == version


def test_the_lead_also_keeps_time(client, started):
    live = started
    client.force_login(live.process_facilitator)
    client.post(url("timer", live), {"action": "extend", "minutes": "1"})
    assert session_of(live).version == 2


def test_a_member_sees_who_leads_and_who_is_ready(client, started):
    live = started
    services.mark_ready(session=session_of(live), by=live.presenter)
    client.force_login(live.member)
    stage = client.get(url("stage", live)).content.decode()
    assert f"{live.process_facilitator.full_name} leidt de bijeenkomst" in stage
    for person in live.members:
        assert person.full_name in stage


def test_without_javascript_the_confirmation_wait_link_goes_back_to_the_page(client, started):
    live = started
    client.force_login(live.process_facilitator)
    response = client.post(url("advance", live), {"from_phase": 1})
    wait = re.search(r'href="([^"]+)" data-live-dismiss id="live-wait"', response.content.decode())
    assert wait and wait.group(1) == url("page", live)


def test_the_lead_sees_who_is_connected(client, started):
    from kring.live import presence

    live = started
    presence.note_seen(session_of(live).pk, live.presenter)
    client.force_login(live.process_facilitator)
    stage = client.get(url("stage", live)).content.decode()
    people = stage.split('id="live-people-details"')[1]
    presenter = people.split(live.presenter.full_name)[1].split("</li>")[0]
    member = people.split(live.member.full_name)[1].split("</li>")[0]
    assert "live-dot is-on" in presenter and "not connected" not in presenter
    assert "not connected" in member
