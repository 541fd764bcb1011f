"""The live page for whoever leads: start, next (with a confirmation naming who is not
ready), back to a chosen phase, reveal, hand over and close, without JavaScript (post,
redirect back) and with it (the stage fragment comes back)."""

from django.urls import reverse

from kring.live import services
from kring.live.models import LiveEvent, LiveSession
from kring.planning.models import Meeting

FETCH = {"HTTP_HX_REQUEST": "true"}


def url(name, live):
    return reverse(f"live:{name}", kwargs={"meeting_id": live.meeting.pk})


def session_of(live):
    return LiveSession.objects.get(meeting=live.meeting)


def test_the_lead_starts_the_meeting_from_the_page(client, live):
    client.force_login(live.process_facilitator)
    page = client.get(url("page", live))
    assert page.status_code == 200
    assert b'id="live-start"' in page.content
    response = client.post(url("start", live))
    assert response.status_code == 302
    assert response["Location"] == url("page", live)
    session = session_of(live)
    assert (session.state, session.phase, session.led_by) == (
        "running",
        1,
        live.process_facilitator,
    )
    page = client.get(url("page", live))
    assert b"Phase 1 of 6" in page.content  # the lead reads English
    assert b"Situation and question" in page.content


def test_a_member_sees_the_meeting_has_not_started_and_cannot_start_it(client, live):
    client.force_login(live.member)
    page = client.get(url("page", live))
    assert "nog niet begonnen" in page.content.decode()
    assert b'id="live-start"' not in page.content
    response = client.post(url("start", live), **FETCH)
    assert response.status_code == 403
    assert "Alleen wie de bijeenkomst leidt" in response.content.decode()
    assert session_of(live).state == "not_started"


def test_next_asks_for_confirmation_naming_who_is_not_ready(client, started):
    live = started
    services.mark_ready(session=live.session, by=live.member)
    client.force_login(live.process_facilitator)
    response = client.post(url("advance", live), {"from_phase": 1})
    assert response.status_code == 200  # the page with the confirmation, nothing changed
    text = response.content.decode()
    assert "Not everyone is ready" in text
    for person in (live.presenter, live.timekeeper, live.note_taker):
        assert person.full_name in text
    assert live.member.full_name + " is" not in text
    assert (
        live.process_facilitator.full_name
        not in text.split("Not everyone is ready")[1].split("</p>")[0]
    )
    assert 'name="confirmed"' in text and "Wait" in text
    assert session_of(live).phase == 1
    response = client.post(url("advance", live), {"from_phase": 1, "confirmed": "1"})
    assert response.status_code == 302
    assert session_of(live).phase == 2


def test_next_without_confirmation_when_everyone_is_ready(client, started):
    live = started
    for user in (live.presenter, live.timekeeper, live.note_taker, live.member):
        services.mark_ready(session=live.session, by=user)
    client.force_login(live.process_facilitator)
    response = client.post(url("advance", live), {"from_phase": 1}, **FETCH)
    assert response.status_code == 200
    assert 'data-phase="2"' in response.content.decode()
    assert session_of(live).phase == 2


def test_a_second_next_from_the_same_phase_changes_nothing(client, started):
    live = started
    client.force_login(live.process_facilitator)
    client.post(url("advance", live), {"from_phase": 1, "confirmed": "1"})
    client.post(url("advance", live), {"from_phase": 1, "confirmed": "1"})
    assert session_of(live).phase == 2


def test_the_fragment_answers_the_confirmation_too(client, started):
    live = started
    client.force_login(live.process_facilitator)
    response = client.post(url("advance", live), {"from_phase": 1}, **FETCH)
    text = response.content.decode()
    assert text.lstrip().startswith('<div class="live-stage')
    assert "<html" not in text
    assert "Go on anyway" in text


def test_back_to_a_chosen_earlier_phase(client, started):
    live = started
    for number in (1, 2, 3):
        services.advance(session=session_of(live), by=live.process_facilitator, from_phase=number)
    client.force_login(live.process_facilitator)
    page = client.get(url("page", live)).content.decode()
    assert 'name="to_phase"' in page and "2. Asking questions" in page
    response = client.post(url("back", live), {"to_phase": 2, "from_phase": 4})
    assert response.status_code == 302
    assert session_of(live).phase == 2
    assert LiveEvent.objects.filter(kind="back").count() == 1


def test_back_refuses_a_later_phase_and_says_so(client, started):
    live = started
    client.force_login(live.process_facilitator)
    response = client.post(url("back", live), {"to_phase": 3, "from_phase": 1})
    assert response.status_code == 400
    assert "Choose an earlier phase" in response.content.decode()
    assert session_of(live).phase == 1


def test_reveal_is_offered_in_a_phase_shown_on_reveal(client, started):
    live = started
    client.force_login(live.process_facilitator)
    assert b'id="live-reveal"' not in client.get(url("stage", live)).content
    services.advance(session=session_of(live), by=live.process_facilitator)
    services.advance(session=session_of(live), by=live.process_facilitator)  # problem statements
    assert b'id="live-reveal"' in client.get(url("stage", live)).content
    response = client.post(url("reveal", live), **FETCH)
    assert response.status_code == 200
    assert LiveEvent.objects.filter(kind="reveal").count() == 1


def test_reveal_in_a_phase_shown_at_once_is_refused(client, started):
    live = started
    client.force_login(live.process_facilitator)
    response = client.post(url("reveal", live), **FETCH)
    assert response.status_code == 400
    assert "shows its inputs at once" in response.content.decode()


def test_hand_over_to_a_member_present_or_the_facilitator(client, started):
    live = started
    client.force_login(live.process_facilitator)
    stage = client.get(url("stage", live)).content.decode()
    assert f'value="{live.member.pk}"' in stage
    assert f'value="{live.facilitator.pk}"' in stage
    response = client.post(url("hand_over", live), {"to": live.facilitator.pk})
    assert response.status_code == 302
    assert session_of(live).led_by == live.facilitator
    client.force_login(live.facilitator)
    stage = client.get(url("stage", live)).content.decode()
    assert 'id="live-advance"' in stage and "Jij leidt de bijeenkomst" in stage


def test_hand_over_to_an_outsider_is_refused(client, started):
    live = started
    client.force_login(live.process_facilitator)
    outsider = live.world.people["outsider"]
    response = client.post(url("hand_over", live), {"to": outsider.pk}, **FETCH)
    assert response.status_code == 400
    response = client.post(url("hand_over", live), {"to": "nobody"}, **FETCH)
    assert response.status_code == 400
    assert session_of(live).led_by == live.process_facilitator


def test_close_asks_first_then_takes_the_lead_to_the_check(client, started):
    live = started
    client.force_login(live.process_facilitator)
    response = client.post(url("close", live))
    assert response.status_code == 200
    assert "Close the live meeting?" in response.content.decode()
    assert session_of(live).state == "running"
    response = client.post(url("close", live), {"confirmed": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "evaluation:answer", kwargs={"meeting_id": live.meeting.pk}
    )
    assert session_of(live).state == "closed"
    live.meeting.refresh_from_db()
    assert live.meeting.status == Meeting.Status.HELD


def test_after_closing_the_note_taker_goes_to_the_report_draft(client, started):
    live = started
    services.close_session(session=live.session, by=live.process_facilitator)
    client.force_login(live.note_taker)
    stage = client.get(url("stage", live)).content.decode()
    report = reverse("reports:edit", kwargs={"meeting_id": live.meeting.pk})
    assert f'data-next-url="{report}"' in stage
    client.force_login(live.member)
    stage = client.get(url("stage", live)).content.decode()
    check = reverse("evaluation:answer", kwargs={"meeting_id": live.meeting.pk})
    assert f'data-next-url="{check}"' in stage


def test_a_lead_who_is_the_note_taker_is_taken_to_the_report(client, started):
    live = started
    services.hand_over(session=live.session, by=live.process_facilitator, to=live.note_taker)
    client.force_login(live.note_taker)
    response = client.post(url("close", live), {"confirmed": "1"})
    assert response["Location"] == reverse("reports:edit", kwargs={"meeting_id": live.meeting.pk})


def test_closing_with_fetch_answers_the_closed_stage_with_where_to_go(client, started):
    live = started
    client.force_login(live.process_facilitator)
    response = client.post(url("close", live), {"confirmed": "1"}, **FETCH)
    assert response.status_code == 200
    assert 'data-state="closed"' in response.content.decode()
    check = reverse("evaluation:answer", kwargs={"meeting_id": live.meeting.pk})
    assert f'data-next-url="{check}"' in response.content.decode()


def test_no_start_without_a_method_and_the_service_says_why(client, live):
    live.meeting.method_version = None
    live.meeting.save()
    client.force_login(live.process_facilitator)
    page = client.get(url("page", live)).content.decode()
    assert 'id="live-start"' not in page
    assert "No method has been chosen for this meeting yet." in page
    response = client.post(url("start", live), **FETCH)
    assert response.status_code == 400
    assert "Choose a method for this meeting first." in response.content.decode()
    assert session_of(live).state == "not_started"
