"""The record page: the note taker fills it in (with and without htmx), a member reads it."""

import uuid

from django.urls import reverse

from kring.records.models import RecordInput


def _url(meeting, name="records:record"):
    return reverse(name, kwargs={"meeting_id": meeting.pk})


def test_the_note_taker_sees_every_phase_with_its_instruction_and_a_form(held, login):
    response = login(held.note_taker).get(_url(held.meeting))
    assert response.status_code == 200
    page = response.content.decode()
    for phase in held.meeting.method_version.content["phases"]:
        assert phase["title"]["nl"] in page or phase["title"]["en"] in page
    assert "Add the question" in page or "Vraag toevoegen" in page
    assert 'name="phase2-client_id"' in page
    assert "Nora Notulist" in page  # who held which role


def test_adding_a_question_without_javascript_and_a_double_submit(held, login):
    client = login(held.note_taker)
    data = {
        "phase": held.phases["questions"],
        "phase2-client_id": str(uuid.uuid4()),
        "phase2-text": "QUESTION-ONE",
        "phase2-author": str(held.member.pk),
    }
    response = client.post(_url(held.meeting, "records:add_input"), data)
    assert response.status_code == 302 and response["Location"].endswith("#phase-2")
    client.post(_url(held.meeting, "records:add_input"), data)
    item = RecordInput.objects.get()
    assert item.text == "QUESTION-ONE" and item.author == held.member
    assert item.entered_by == held.note_taker
    assert "QUESTION-ONE" in client.get(_url(held.meeting)).content.decode()


def test_adding_with_htmx_returns_the_phase_in_place(held, login):
    client = login(held.note_taker)
    response = client.post(
        _url(held.meeting, "records:add_input"),
        {
            "phase": held.phases["gossip"],
            "phase5-client_id": str(uuid.uuid4()),
            "phase5-text": "GOSSIP-NOTE",
        },
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<section id="phase-5"') and "GOSSIP-NOTE" in page


def test_an_empty_input_keeps_the_form_with_an_error(held, login):
    client = login(held.note_taker)
    response = client.post(
        _url(held.meeting, "records:add_input"),
        {"phase": held.phases["questions"], "phase2-client_id": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not RecordInput.objects.exists()


def test_a_member_reads_the_record_without_forms(held, login):
    from kring.records import services

    services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="questions",
        phase=held.phases["questions"],
        text="READ-ME",
    )
    response = login(held.member).get(_url(held.meeting))
    page = response.content.decode()
    assert response.status_code == 200 and "READ-ME" in page
    assert "<textarea" not in page and "records/inputs" not in page


def test_a_member_without_a_record_role_may_not_change_it(held, login):
    response = login(held.member).post(
        _url(held.meeting, "records:add_input"),
        {"phase": 2, "phase2-client_id": str(uuid.uuid4()), "phase2-text": "Nee"},
    )
    assert response.status_code == 403
    assert not RecordInput.objects.exists()


def test_editing_and_taking_out_an_input(held, login):
    from kring.records import services

    item = services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="questions",
        phase=held.phases["questions"],
        text="Oud",
    )
    client = login(held.facilitator)
    page = client.get(_url(held.meeting) + f"?edit={item.pk}").content.decode()
    assert f'name="edit{item.pk}-text"' in page
    client.post(
        reverse("records:edit_input", kwargs={"input_id": item.pk}),
        {f"edit{item.pk}-client_id": str(uuid.uuid4()), f"edit{item.pk}-text": "Nieuw"},
    )
    new = RecordInput.objects.current().get()
    assert new.text == "Nieuw" and new.replaces == item
    client.post(reverse("records:withdraw_input", kwargs={"input_id": new.pk}))
    assert not RecordInput.objects.current().exists()
    assert RecordInput.objects.count() == 2  # nothing deleted


def test_the_presenters_choice_and_the_agreements(held, login):
    from kring.records import services

    statement = services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="problem_statements",
        phase=held.phases["problem_statements"],
        text="Hoe stel ik grenzen?",
    )
    client = login(held.note_taker)
    client.post(
        _url(held.meeting, "records:choose"),
        {"client_id": str(uuid.uuid4()), "statement": statement.pk},
    )
    choice = RecordInput.objects.get(kind="presenter_choice")
    assert choice.refers_to == statement and choice.author == held.presenter
    client.post(_url(held.meeting, "records:agreements"), {"agreements": "AGREED-TEXT"})
    held.record.refresh_from_db()
    assert held.record.agreements == "AGREED-TEXT"
    page = login(held.member).get(_url(held.meeting)).content.decode()
    assert "AGREED-TEXT" in page and "Hoe stel ik grenzen?" in page


def test_a_meeting_without_a_method_says_so_and_links_to_choosing_one(world, login):
    page = login(world.people["facilitator"]).get(_url(world.meeting)).content.decode()
    assert reverse("methods:choose_for_meeting", kwargs={"meeting_id": world.meeting.pk}) in page
    page = login(world.people["participant"]).get(_url(world.meeting)).content.decode()
    assert "methods:choose" not in page
    assert (
        reverse("methods:choose_for_meeting", kwargs={"meeting_id": world.meeting.pk}) not in page
    )


def test_action_points_outside_the_phases_when_the_method_has_none(held, login):
    """The six-step method has no phase for action points; the presenter still leaves
    with some (they open the next meeting)."""
    client = login(held.note_taker)
    page = client.get(_url(held.meeting)).content.decode()
    assert 'id="phase-0"' in page
    client.post(
        _url(held.meeting, "records:add_input"),
        {
            "phase": 0,
            "phase0-client_id": str(uuid.uuid4()),
            "phase0-text": "Ik bel de dochter.",
            "phase0-author": str(held.presenter.pk),
        },
    )
    point = RecordInput.objects.get(kind="action_points")
    assert point.phase == 0 and point.author == held.presenter
    assert "Ik bel de dochter." in client.get(_url(held.meeting)).content.decode()


def test_a_phase_without_input_takes_none(held, login):
    response = login(held.note_taker).post(
        _url(held.meeting, "records:add_input"),
        {"phase": 1, "phase1-client_id": str(uuid.uuid4()), "phase1-text": "Iets"},
    )
    assert response.status_code == 404


def test_the_note_taker_has_the_chosen_case_and_its_question_at_hand(held, world, login):
    from kring.meetings.models import MeetingCase

    case = world.case
    case.question = "Hoe zeg ik nee zonder de relatie te schaden?"
    case.save()
    page = login(held.note_taker).get(_url(held.meeting)).content.decode()
    assert "Voor deze bijeenkomst is nog geen casus gekozen" in page
    MeetingCase.objects.create(meeting=held.meeting, case=case, how="chosen")
    page = login(held.note_taker).get(_url(held.meeting)).content.decode()
    assert case.title in page and "Hoe zeg ik nee zonder de relatie te schaden?" in page
