"""The room screen: whoever leads a meeting on site opens it with a short code; the
projector, signed in as nobody, types the code and shows the phase, the timer and what the
phase reveals, without a name, a draft or an unrevealed statement; it closes with the
session or when the lead closes it; guessing codes is throttled; it posts nothing."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kring.confidentiality.models import AuditEvent
from kring.live import screen as screens
from kring.live import services
from kring.live.models import LiveSession, RoomScreen
from kring.planning.models import Meeting
from kring.records import services as record_services

pytestmark = pytest.mark.django_db


def _open(client, live) -> RoomScreen:
    response = client.post(reverse("screen:open", args=[live.meeting.pk]))
    assert response.status_code == 302
    return RoomScreen.objects.filter(session__meeting=live.meeting).latest("pk")


def _pair(code) -> Client:
    projector = Client()
    response = projector.post(reverse("screen:pair"), {"code": code})
    assert response.status_code == 302, response.content.decode()
    assert response.url == reverse("screen:view")
    return projector


def _paired(started, login):
    live = started
    screen = _open(login(live.process_facilitator), live)
    return live, screen, _pair(screen.code)


def _stage(projector) -> str:
    response = projector.get(reverse("screen:stage"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_lead_opens_the_screen_and_sees_the_code_and_the_address(started, login):
    live = started
    client = login(live.process_facilitator)
    page = client.get(reverse("live:page", args=[live.meeting.pk])).content.decode()
    assert 'id="live-screen-open"' in page
    screen = _open(client, live)
    assert len(screen.code) == 6 and set(screen.code) <= set(screens.ALPHABET)
    assert screen.code_expires_at - screen.created_at == timedelta(minutes=10)
    assert screen.expires_at - screen.created_at == timedelta(hours=12)
    page = client.get(reverse("live:page", args=[live.meeting.pk])).content.decode()
    assert f"{screen.code[:3]} {screen.code[3:]}" in page
    assert "/scherm/" in page


def test_only_whoever_leads_a_meeting_on_site_opens_it(started, login, zuid):
    live = started
    people = live.world.people
    for user in (live.member, live.presenter, live.timekeeper):
        client = login(user)
        page = client.get(reverse("live:page", args=[live.meeting.pk])).content.decode()
        assert "live-screen-open" not in page
        assert client.post(reverse("screen:open", args=[live.meeting.pk])).status_code == 403
    for user in (people["coordinator"], people["other_participant"], zuid.people["zuid_admin"]):
        client = login(user)
        assert client.post(reverse("screen:open", args=[live.meeting.pk])).status_code == 404
        assert client.post(reverse("screen:close", args=[live.meeting.pk])).status_code == 404
    anonymous = Client().post(reverse("screen:open", args=[live.meeting.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous.url
    assert not RoomScreen.objects.exists()


def test_an_online_meeting_has_no_room_screen(started, login):
    live = started
    Meeting.objects.filter(pk=live.meeting.pk).update(
        mode=Meeting.Mode.ONLINE, online_link="https://video.example/kring"
    )
    client = login(live.process_facilitator)
    page = client.get(reverse("live:page", args=[live.meeting.pk])).content.decode()
    assert "live-screen-open" not in page
    assert client.post(reverse("screen:open", args=[live.meeting.pk])).status_code == 403
    assert not RoomScreen.objects.exists()


def test_the_paired_screen_shows_the_phase_timer_and_the_groups_instruction(started, login):
    live, screen, projector = _paired(started, login)
    view = projector.get(reverse("screen:view"))
    assert view.status_code == 200
    html = _stage(projector)
    assert "Fase 1 van 6" in html
    assert "Situatie en vraag" in html
    assert "Je luistert alleen; je reageert nog niet." in html  # what the group does
    # not one person's role: the presenter's, the timekeeper's or the note taker's
    assert "Je schetst de situatie" not in html
    assert "Je bewaakt de 10 minuten" not in html
    assert 'data-timer-ends-at="' in html and 'data-server-now="' in html
    for person in live.members:
        assert person.full_name not in view.content.decode()
        assert person.full_name not in html
    # the pairing raised the version, so the lead's stage shows the screen is on
    screen.refresh_from_db()
    assert screen.code is None and screen.paired_at is not None
    page = login(live.process_facilitator).get(reverse("live:page", args=[live.meeting.pk]))
    assert 'id="live-screen-close"' in page.content.decode()


def test_questions_show_without_names_and_statements_only_once_revealed(started, login):
    live, _screen, projector = _paired(started, login)
    live.session.meeting.record = record_services.record_for(live.meeting)
    services.advance(session=live.session, by=live.process_facilitator)
    record_services.add_input(
        record=live.meeting.record,
        by=live.note_taker,
        kind="questions",
        phase=2,
        text="Wat heb je al geprobeerd?",
        author=live.member,
    )
    html = _stage(projector)
    assert "Wat heb je al geprobeerd?" in html
    assert live.member.full_name not in html and live.note_taker.full_name not in html

    services.advance(session=live.session, by=live.process_facilitator)
    record = live.meeting.record
    for author, text in [
        (live.member, "Het probleem is de verdeling van het werk."),
        (live.timekeeper, "Het probleem is dat niemand nee zegt."),
    ]:
        record_services.add_input(
            record=record, by=author, kind="problem_statements", phase=3, text=text, author=author
        )
    record_services.save_draft(
        record=record,
        by=live.note_taker,
        kind="problem_statements",
        phase=3,
        text="Een zin die nog niet af is",
        client_id=uuid.uuid4(),
        author=live.note_taker,
    )
    html = _stage(projector)
    assert "verdeling van het werk" not in html and "niemand nee zegt" not in html
    assert "nog niet af" not in html
    assert "2 geschreven" in html
    assert "Wat heb je al geprobeerd?" not in html  # only the current phase

    services.reveal(session=live.session, by=live.process_facilitator)
    html = _stage(projector)
    assert "verdeling van het werk" in html and "niemand nee zegt" in html
    assert "nog niet af" not in html  # a draft never
    for person in live.members:
        assert person.full_name not in html


def test_the_chosen_statement_is_shown_without_who_chose(started, login):
    live, _screen, projector = _paired(started, login)
    live.session.meeting.record = record_services.record_for(live.meeting)
    services.advance(session=live.session, by=live.process_facilitator)
    services.advance(session=live.session, by=live.process_facilitator)
    record = live.meeting.record
    chosen = record_services.add_input(
        record=record,
        by=live.member,
        kind="problem_statements",
        phase=3,
        text="Het probleem is de verdeling van het werk.",
        author=live.member,
    )
    services.reveal(session=live.session, by=live.process_facilitator)
    services.advance(session=live.session, by=live.process_facilitator)
    chosen.refresh_from_db()
    record_services.choose_statement(record=record, by=live.presenter, statement=chosen)
    html = _stage(projector)
    assert "De gekozen probleemstelling" in html
    assert "verdeling van het werk" in html
    assert live.presenter.full_name not in html and live.member.full_name not in html


def test_what_the_screen_shows_is_audited_under_its_opener(started, login):
    live, screen, projector = _paired(started, login)
    live.session.meeting.record = record_services.record_for(live.meeting)
    services.advance(session=live.session, by=live.process_facilitator)
    question = record_services.add_input(
        record=live.meeting.record,
        by=live.note_taker,
        kind="questions",
        phase=2,
        text="Wat heb je al geprobeerd?",
    )
    _stage(projector)
    reads = AuditEvent.objects.filter(
        event=AuditEvent.Event.READ, description=f"room screen #{screen.pk}"
    )
    assert reads.exists()
    assert {event.actor_id for event in reads} == {live.process_facilitator.pk}
    assert reads.filter(object_type__icontains="recordinput", object_id=str(question.pk)).exists()
    # in the capacity the opener reads the group's content in
    assert set(reads.values_list("capacity", flat=True)) <= {"member", "facilitator", "author"}


def test_the_screen_closes_with_the_session(started, login):
    live, _screen, projector = _paired(started, login)
    services.close_session(session=live.session, by=live.process_facilitator)
    assert projector.get(reverse("screen:stage")).status_code == 404
    view = projector.get(reverse("screen:view"))
    assert view.status_code == 302 and view.url == reverse("screen:pair")


def test_the_lead_closes_the_screen(started, login):
    live, _screen, projector = _paired(started, login)
    before = LiveSession.objects.get(pk=live.session.pk).version
    response = login(live.process_facilitator).post(reverse("screen:close", args=[live.meeting.pk]))
    assert response.status_code == 302
    assert projector.get(reverse("screen:stage")).status_code == 404
    assert LiveSession.objects.get(pk=live.session.pk).version == before + 1


def test_the_screen_expires_after_twelve_hours(started, login):
    live, screen, projector = _paired(started, login)
    RoomScreen.objects.filter(pk=screen.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert projector.get(reverse("screen:stage")).status_code == 404


def test_a_screen_whose_opener_left_the_group_closes(started, login):
    live, _screen, projector = _paired(started, login)
    membership = live.process_facilitator.group_memberships.get(group=live.meeting.group)
    membership.left_on = membership.joined_on + timedelta(days=1)
    membership.save()
    assert projector.get(reverse("screen:stage")).status_code == 404


def test_a_wrong_a_used_or_an_expired_code_is_refused_in_dutch(started, login):
    live = started
    screen = _open(login(live.process_facilitator), live)
    wrong = Client().post(reverse("screen:pair"), {"code": "AAAAAA"})
    assert wrong.status_code == 400
    assert "Die code klopt niet" in wrong.content.decode()
    # typed in lower case with a space: fine
    _pair(f"{screen.code[:3].lower()} {screen.code[3:]}")
    used = Client().post(reverse("screen:pair"), {"code": screen.code})
    assert used.status_code == 400

    later = _open(login(live.process_facilitator), live)
    RoomScreen.objects.filter(pk=later.pk).update(
        code_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert Client().post(reverse("screen:pair"), {"code": later.code}).status_code == 400


def test_a_new_code_closes_the_earlier_screen(started, login):
    live, _screen, projector = _paired(started, login)
    _open(login(live.process_facilitator), live)
    assert projector.get(reverse("screen:stage")).status_code == 404


def test_guessing_is_throttled_per_browser_and_per_address(started, login):
    live = started
    screen = _open(login(live.process_facilitator), live)
    guesser = Client()
    guesser.get(reverse("screen:pair"))
    for _ in range(screens.MAX_WRONG_PER_BROWSER):
        assert guesser.post(reverse("screen:pair"), {"code": "AAAAAA"}).status_code == 400
    throttled = guesser.post(reverse("screen:pair"), {"code": screen.code})
    assert throttled.status_code == 429
    assert "Te veel verkeerde codes" in throttled.content.decode()
    screen.refresh_from_db()
    assert screen.paired_at is None  # even the right code was not tried

    # a fresh cookie each time does not help: the address counts too
    for _ in range(screens.MAX_WRONG_PER_ADDRESS - screens.MAX_WRONG_PER_BROWSER):
        Client().post(reverse("screen:pair"), {"code": "AAAAAA"})
    assert Client().post(reverse("screen:pair"), {"code": screen.code}).status_code == 429
    # another address is not held back
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(reverse("screen:pair"), {"code": screen.code}).status_code == 302


def test_without_pairing_nobody_sees_a_screen(started, login, zuid):
    live = started
    _open(login(live.process_facilitator), live)
    people = live.world.people
    clients = [Client()] + [
        _signed_in(user)
        for user in (
            live.process_facilitator,
            live.member,
            people["coordinator"],
            zuid.people["zuid_participant"],
        )
    ]
    for client in clients:
        assert client.get(reverse("screen:stage")).status_code == 404
        view = client.get(reverse("screen:view"))
        assert view.status_code == 302 and view.url == reverse("screen:pair")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_screen_posts_nothing(started, login):
    live, _screen, projector = _paired(started, login)
    for name in ("screen:view", "screen:stage"):
        assert projector.post(reverse(name)).status_code == 405
    before = LiveSession.objects.get(pk=live.session.pk)
    for name in ("live:advance", "live:reveal", "live:close"):
        response = projector.post(reverse(name, args=[live.meeting.pk]))
        assert response.status_code in (302, 403, 404)
        assert "login" in response.get("Location", "login")
    for name in ("screen:open", "screen:close"):
        response = projector.post(reverse(name, args=[live.meeting.pk]))
        assert response.status_code == 302 and "login" in response.url
    after = LiveSession.objects.get(pk=live.session.pk)
    assert (after.phase, after.version, after.state) == (before.phase, before.version, "running")


def test_the_presenters_own_take_aways_stay_off_the_screen(started, login):
    live, _screen, projector = _paired(started, login)
    live.session.meeting.record = record_services.record_for(live.meeting)
    for _ in range(5):
        services.advance(session=live.session, by=live.process_facilitator)
    record_services.add_input(
        record=live.meeting.record,
        by=live.note_taker,
        kind="takeaways",
        phase=6,
        text="Ik ga morgen met mijn teamleider praten.",
        author=live.presenter,
    )
    html = _stage(projector)
    assert "De inbrenger reageert" in html
    assert "teamleider praten" not in html


def test_a_screen_paired_before_the_start_waits_and_reads_nothing(live, login):
    from kring.meetings.models import MeetingCase
    from tests import factories as f

    case = f.CaseFactory(group=live.meeting.group, presenter=live.presenter, title="Een casus")
    MeetingCase.objects.create(
        meeting=live.meeting, case=case, how="chosen", chosen_by=live.process_facilitator
    )
    services.session_for(live.meeting)
    screen = _open(login(live.process_facilitator), live)
    projector = _pair(screen.code)
    html = _stage(projector)
    assert "De bijeenkomst begint zo" in html
    assert "Een casus" not in html
    assert not AuditEvent.objects.filter(description=f"room screen #{screen.pk}").exists()

    services.start_session(meeting=live.meeting, by=live.process_facilitator)
    assert "Een casus" in _stage(projector)
