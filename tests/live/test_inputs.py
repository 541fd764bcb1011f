"""Inputs from everyone's own device: typed text is a draft on the server under the id the
device made, a submit turns it into one input (a resend is never a second one), a late
input is kept and marked late, and drafts are nobody's but their writer's."""

import uuid

import pytest
from django.urls import reverse

from kring.confidentiality import policy
from kring.live import inputs
from kring.live import services as live_services
from kring.live.models import LiveSession
from kring.records.models import RecordInput
from kring.records.selectors import record_digest
from kring.reports import services as report_services  # noqa: F401 - the report draft

from .conftest import at

pytestmark = pytest.mark.django_db


def to_phase(live, number):
    session = live.session
    while session.phase < number:
        session = live_services.advance(
            session=session, by=live.process_facilitator, now=at(session.phase)
        )
    live.session = session
    return session


def post(client, name, meeting, **data):
    return client.post(
        reverse(f"live_inputs:{name}", kwargs={"meeting_id": meeting.pk}),
        data,
        HTTP_HX_REQUEST="true",
    )


def rows(live):
    return list(RecordInput.objects.filter(record__meeting=live.meeting))


def test_a_draft_then_its_submit_is_one_input(started, login):
    to_phase(started, 2)  # questions
    client = login(started.member)
    client_id = str(uuid.uuid4())
    assert (
        post(client, "draft", started.meeting, client_id=client_id, phase=2, text="Wat").status_code
        == 204
    )
    assert (
        post(
            client, "draft", started.meeting, client_id=client_id, phase=2, text="Wat deed je?"
        ).status_code
        == 204
    )
    [draft] = rows(started)
    assert draft.state == "draft" and draft.text == "Wat deed je?"

    response = post(
        client, "submit", started.meeting, client_id=client_id, phase=2, text="Wat deed je toen?"
    )
    assert response.status_code == 200
    [item] = rows(started)
    assert item.pk == draft.pk and item.state == "submitted" and item.text == "Wat deed je toen?"
    assert item.author == started.member and not item.late
    assert "Wat deed je toen?" in response.content.decode()


def test_a_resubmit_after_a_reconnect_is_not_a_duplicate(started, login):
    to_phase(started, 2)
    client = login(started.member)
    client_id = str(uuid.uuid4())
    for _attempt in range(3):
        post(client, "submit", started.meeting, client_id=client_id, phase=2, text="Een vraag?")
    assert len(rows(started)) == 1
    # An autosave arriving after the submit changes nothing and says it was sent.
    response = post(client, "draft", started.meeting, client_id=client_id, phase=2, text="Ander")
    assert response.json() == {"submitted": True}
    assert rows(started)[0].text == "Een vraag?"


def test_a_submit_for_a_phase_left_behind_is_kept_and_marked_late(started, login):
    to_phase(started, 2)
    client = login(started.member)
    client_id = str(uuid.uuid4())
    post(client, "draft", started.meeting, client_id=client_id, phase=2, text="Nog een vraag")
    to_phase(started, 3)
    page = client.get(reverse("live_inputs:panel", kwargs={"meeting_id": started.meeting.pk}))
    assert "Nog een vraag" in page.content.decode()  # under "not sent yet"
    post(client, "submit", started.meeting, client_id=client_id, phase=2, text="Nog een vraag")
    [item] = rows(started)
    assert item.state == "submitted" and item.late and item.phase == 2
    record = client.get(reverse("records:record", kwargs={"meeting_id": started.meeting.pk}))
    assert "te laat" in record.content.decode()


def test_a_submit_after_the_close_is_kept_and_late(started, login):
    to_phase(started, 6)  # take-aways, the presenter's
    client = login(started.presenter)
    client_id = str(uuid.uuid4())
    post(client, "draft", started.meeting, client_id=client_id, phase=6, text="Ik neem mee")
    live_services.close_session(session=started.session, by=started.process_facilitator, now=at(70))
    post(client, "submit", started.meeting, client_id=client_id, phase=6, text="Ik neem mee")
    [item] = rows(started)
    assert item.state == "submitted" and item.late and item.kind == "takeaways"


def test_drafts_are_their_writers_only(started, login):
    to_phase(started, 2)
    post(
        login(started.member),
        "draft",
        started.meeting,
        client_id=str(uuid.uuid4()),
        phase=2,
        text="GEHEIM-KLAD",
    )
    for reader in [
        started.timekeeper,
        started.note_taker,
        started.process_facilitator,
        started.facilitator,
    ]:
        client = login(reader)
        panel = client.get(reverse("live_inputs:panel", kwargs={"meeting_id": started.meeting.pk}))
        assert panel.status_code == 200
        assert "GEHEIM-KLAD" not in panel.content.decode()
        record = client.get(reverse("records:record", kwargs={"meeting_id": started.meeting.pk}))
        assert "GEHEIM-KLAD" not in record.content.decode()
        view = policy.read_record(reader, started.meeting)
        assert "GEHEIM-KLAD" not in str(record_digest(view.record))
    # the writer sees it again on a reload
    mine = login(started.member).get(
        reverse("live_inputs:panel", kwargs={"meeting_id": started.meeting.pk})
    )
    assert "GEHEIM-KLAD" in mine.content.decode()


def test_statements_written_apart_are_hidden_until_revealed(started, login):
    to_phase(started, 3)  # problem statements, shown on reveal
    post(
        login(started.member),
        "submit",
        started.meeting,
        client_id=str(uuid.uuid4()),
        phase=3,
        text="STELLING-MARK",
    )
    url = reverse("live_inputs:panel", kwargs={"meeting_id": started.meeting.pk})
    for reader in [
        started.timekeeper,
        started.note_taker,
        started.process_facilitator,
        started.presenter,
    ]:
        body = login(reader).get(url).content.decode()
        assert "STELLING-MARK" not in body
        assert "1 input is shown once it is revealed" in body or "wordt getoond" in body
    assert "STELLING-MARK" in login(started.member).get(url).content.decode()  # one's own
    live_services.reveal(session=started.session, by=started.process_facilitator, now=at(30))
    assert "STELLING-MARK" in login(started.timekeeper).get(url).content.decode()


def test_the_note_taker_enters_for_a_member_without_a_device(started, login):
    to_phase(started, 2)
    client = login(started.note_taker)
    response = post(
        client,
        "submit",
        started.meeting,
        client_id=str(uuid.uuid4()),
        phase=2,
        text="Mark vraagt: hoe voelde dat?",
        author=started.member.pk,
    )
    assert response.status_code == 200
    [item] = rows(started)
    assert item.author == started.member and item.entered_by == started.note_taker


def test_a_member_cannot_enter_for_another(started, login):
    to_phase(started, 2)
    response = post(
        login(started.timekeeper),
        "submit",
        started.meeting,
        client_id=str(uuid.uuid4()),
        phase=2,
        text="Namens Mark",
        author=started.member.pk,
    )
    assert response.status_code == 404 and rows(started) == []


def test_the_presenter_rates_a_question(world, live, login):
    from kring.methods.models import Method

    socratic = Method.objects.get(builtin_key="socratic", organisation=None).current
    live.meeting.method_version = socratic
    live.meeting.save()
    session = live_services.start_session(
        meeting=live.meeting, by=live.process_facilitator, now=at(0)
    )
    live.session = session
    to_phase(live, 2)
    post(
        login(live.member),
        "submit",
        live.meeting,
        client_id=str(uuid.uuid4()),
        phase=2,
        text="Wat wil je echt?",
    )
    to_phase(live, 3)  # ratings, shown on reveal
    [question] = rows(live)
    client = login(live.presenter)
    body = client.get(
        reverse("live_inputs:panel", kwargs={"meeting_id": live.meeting.pk})
    ).content.decode()
    assert "Wat wil je echt?" in body
    response = post(
        client,
        "rate",
        live.meeting,
        client_id=str(uuid.uuid4()),
        question=question.pk,
        rating="warm",
    )
    assert response.status_code == 200
    rating = RecordInput.objects.get(kind="ratings")
    assert (
        rating.refers_to == question and rating.rating == "warm" and rating.author == live.presenter
    )
    assert (
        'value="warm" class="secondary rating-warm" aria-pressed="true"'
        in response.content.decode()
    )
    # A questioner may not rate.
    assert (
        post(
            login(live.member),
            "rate",
            live.meeting,
            client_id=str(uuid.uuid4()),
            question=question.pk,
            rating="cold",
        ).status_code
        == 400
    )
    assert RecordInput.objects.filter(kind="ratings").count() == 1


def test_the_presenter_chooses_a_revealed_statement(started, login):
    to_phase(started, 3)
    post(
        login(started.member),
        "submit",
        started.meeting,
        client_id=str(uuid.uuid4()),
        phase=3,
        text="Het gaat om grenzen",
    )
    live_services.reveal(session=started.session, by=started.process_facilitator, now=at(30))
    to_phase(started, 4)
    [statement] = rows(started)
    response = post(
        login(started.presenter),
        "choose",
        started.meeting,
        client_id=str(uuid.uuid4()),
        statement=statement.pk,
    )
    assert response.status_code == 200
    choice = RecordInput.objects.get(kind="presenter_choice")
    assert choice.refers_to == statement and choice.author == started.presenter


def test_a_submit_raises_the_session_version_a_draft_does_not(started, login):
    to_phase(started, 2)
    client = login(started.member)
    version = LiveSession.objects.get(pk=started.session.pk).version
    client_id = str(uuid.uuid4())
    post(client, "draft", started.meeting, client_id=client_id, phase=2, text="Klad")
    assert LiveSession.objects.get(pk=started.session.pk).version == version
    post(client, "submit", started.meeting, client_id=client_id, phase=2, text="Klad")
    assert LiveSession.objects.get(pk=started.session.pk).version == version + 1


def test_withdrawing_and_changing_ones_own_input(started, login):
    to_phase(started, 2)
    client = login(started.member)
    post(
        client,
        "submit",
        started.meeting,
        client_id=str(uuid.uuid4()),
        phase=2,
        text="Eerste versie",
    )
    [item] = rows(started)
    client.post(
        reverse("live_inputs:edit", kwargs={"meeting_id": started.meeting.pk, "input_id": item.pk}),
        {"client_id": str(uuid.uuid4()), "text": "Tweede versie"},
        HTTP_HX_REQUEST="true",
    )
    new = RecordInput.objects.get(replaces=item)
    assert new.text == "Tweede versie"
    # Somebody else's input is not theirs to take back.
    other = login(started.timekeeper).post(
        reverse(
            "live_inputs:withdraw", kwargs={"meeting_id": started.meeting.pk, "input_id": new.pk}
        )
    )
    assert other.status_code == 404
    login(started.member).post(
        reverse(
            "live_inputs:withdraw", kwargs={"meeting_id": started.meeting.pk, "input_id": new.pk}
        )
    )
    new.refresh_from_db()
    assert new.state == "withdrawn"


def test_a_plain_form_goes_back_to_the_live_page(started, login):
    to_phase(started, 2)
    response = login(started.member).post(
        reverse("live_inputs:submit", kwargs={"meeting_id": started.meeting.pk}),
        {"client_id": str(uuid.uuid4()), "phase": 2, "text": "Zonder JavaScript"},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("live:page", kwargs={"meeting_id": started.meeting.pk}))


def test_the_presenter_listens_in_the_question_round(started, login):
    to_phase(started, 2)
    response = post(
        login(started.presenter),
        "submit",
        started.meeting,
        client_id=str(uuid.uuid4()),
        phase=2,
        text="Mijn eigen vraag",
    )
    assert response.status_code == 400 and rows(started) == []
    assert inputs.fits(started.presenter, "problem_statements", [started.presenter])


def test_the_report_drafted_at_the_close_leaves_drafts_out(started, login):
    from kring.reports.models import Report

    to_phase(started, 2)
    client = login(started.member)
    post(
        client,
        "submit",
        started.meeting,
        client_id=str(uuid.uuid4()),
        phase=2,
        text="VERSTUURDE-VRAAG",
    )
    post(
        client,
        "draft",
        started.meeting,
        client_id=str(uuid.uuid4()),
        phase=2,
        text="NOOIT-VERSTUURD",
    )
    to_phase(started, 6)
    live_services.close_session(session=started.session, by=started.process_facilitator, now=at(70))
    report = Report.objects.get(meeting=started.meeting)
    assert "VERSTUURDE-VRAAG" in report.sections
    assert "NOOIT-VERSTUURD" not in report.sections


def test_the_presenter_leaves_with_action_points_in_the_take_away_phase(started, login):
    """The six-step method has no phase for action points: they are kept outside the
    phases, written in the take-away phase."""
    to_phase(started, 6)
    client = login(started.presenter)
    body = client.get(reverse("live_inputs:panel", kwargs={"meeting_id": started.meeting.pk}))
    assert body.content.decode().count('name="phase" value="0"') == 1
    post(
        client,
        "submit",
        started.meeting,
        client_id=str(uuid.uuid4()),
        phase=0,
        text="Ik bel haar dochter",
    )
    [item] = rows(started)
    assert item.kind == "action_points" and item.phase == 0 and not item.late
    assert item.author == started.presenter
