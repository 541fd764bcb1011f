"""Keeping the record: every change is a new row or a state, raises the version, is
audited; a double submit is not a duplicate."""

import uuid

import pytest

from kring.confidentiality.models import AuditEvent
from kring.records import services
from kring.records.models import MeetingRecord, RecordInput
from kring.records.selectors import record_digest


def _digest_of(record):
    from kring.confidentiality import policy

    reader = record.meeting.group.facilitator
    return record_digest(policy.read_record(reader, record.meeting).record)


def _digest(held):
    return _digest_of(held.record)


def _add(held, kind, text, **kwargs):
    return services.add_input(
        record=held.record,
        by=held.note_taker,
        kind=kind,
        phase=held.phases[kind],
        text=text,
        **kwargs,
    )


def test_the_record_is_made_once_with_the_meetings_method_version(held):
    assert held.record.method_version == held.meeting.method_version
    assert services.record_for(held.meeting).pk == held.record.pk
    assert MeetingRecord.objects.filter(meeting=held.meeting).count() == 1


def test_a_record_made_before_the_method_takes_it_until_inputs_sit_in_a_phase(world):
    from .conftest import six_step

    record = services.record_for(world.meeting)
    assert record.method_version is None
    world.meeting.method_version = six_step()
    world.meeting.save()
    assert services.record_for(world.meeting).method_version == six_step()


def test_a_double_submit_with_the_same_client_id_is_one_input(held):
    client_id = uuid.uuid4()
    first = _add(held, "questions", "Wat heb je al geprobeerd?", client_id=client_id)
    again = _add(held, "questions", "Wat heb je al geprobeerd?", client_id=client_id)
    assert first.pk == again.pk
    assert held.record.inputs.count() == 1
    held.record.refresh_from_db()
    assert held.record.version == 1


def test_every_change_raises_the_version_and_is_audited(held):
    question = _add(held, "questions", "Wie is er nog meer bij betrokken?")
    edited = services.edit_input(item=question, by=held.note_taker, text="Wie nog meer?")
    services.withdraw_input(item=edited, by=held.note_taker)
    services.set_agreements(record=held.record, by=held.note_taker, text="Volgende keer Eva.")
    held.record.refresh_from_db()
    assert held.record.version == 4
    assert held.record.updated_by == held.note_taker
    events = list(AuditEvent.objects.filter(actor=held.note_taker).values_list("event", flat=True))
    assert events.count(AuditEvent.Event.CREATE) == 1
    assert events.count(AuditEvent.Event.CHANGE) == 3


def test_an_edit_is_a_new_row_and_the_old_one_stays(held):
    question = _add(held, "questions", "Eerste versie")
    edited = services.edit_input(item=question, by=held.note_taker, text="Tweede versie")
    assert edited.replaces == question
    assert RecordInput.objects.filter(pk=question.pk).exists()
    assert list(RecordInput.objects.current()) == [edited]
    with pytest.raises(services.RecordError):
        services.edit_input(item=question, by=held.note_taker, text="Derde")


def test_an_input_must_fit_its_phase(held):
    with pytest.raises(services.RecordError):
        services.add_input(
            record=held.record,
            by=held.note_taker,
            kind="advice",
            phase=held.phases["questions"],
            text="Bel de familie.",
        )
    with pytest.raises(services.RecordError):
        _add(held, "questions", "   ")


def test_take_aways_and_action_points_are_a_presenters(held):
    with pytest.raises(services.RecordError):
        services.add_input(
            record=held.record,
            by=held.note_taker,
            kind="takeaways",
            phase=held.phases["takeaways"],
            text="Ik neem mee dat ik grenzen mag stellen.",
            author=held.member,
        )
    takeaway = services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="takeaways",
        phase=held.phases["takeaways"],
        text="Ik neem mee dat ik grenzen mag stellen.",
        author=held.presenter,
    )
    assert takeaway.author == held.presenter


def test_the_presenters_choice_and_a_new_choice_replaces_it(held):
    first = _add(held, "problem_statements", "Hoe stel ik grenzen?")
    second = _add(held, "problem_statements", "Hoe blijf ik vriendelijk?")
    services.choose_statement(record=held.record, by=held.note_taker, statement=first)
    choice = services.choose_statement(record=held.record, by=held.note_taker, statement=second)
    assert choice.author == held.presenter
    assert _digest(held)["chosen_statement"] == "Hoe blijf ik vriendelijk?"
    # Editing the chosen statement: the choice follows the new version.
    services.edit_input(
        item=second, by=held.note_taker, text="Hoe blijf ik vriendelijk én duidelijk?"
    )
    assert _digest(held)["chosen_statement"] == "Hoe blijf ik vriendelijk én duidelijk?"


def test_rating_a_question_again_replaces_the_rating(world):
    from kring.meetings.models import RoleAssignment
    from kring.methods.models import Method
    from kring.records.services import phase_for
    from tests.factories import MeetingFactory

    presenter = world.people["participant"]
    meeting = MeetingFactory(
        group=world.group,
        method_version=Method.objects.get(builtin_key="socratic", organisation=None).current,
    )
    RoleAssignment.objects.create(meeting=meeting, user=presenter, role="presenter")
    record = services.record_for(meeting)
    by = world.people["facilitator"]
    question = services.add_input(
        record=record, by=by, kind="questions", phase=phase_for(record, "questions"), text="Waarom?"
    )
    services.rate_question(record=record, by=by, question=question, rating="cold")
    services.rate_question(record=record, by=by, question=question, rating="warm")
    assert _digest_of(record)["ratings"] == [("Waarom?", "warm")]
    with pytest.raises(services.RecordError):
        services.rate_question(record=record, by=by, question=question, rating="hot")


def test_the_digest_has_plain_text_per_kind_of_the_current_inputs(held):
    _add(held, "questions", "Vraag 1")
    gone = _add(held, "questions", "Vraag 2")
    services.withdraw_input(item=gone, by=held.note_taker)
    _add(held, "gossip", "Ze lijkt het al te weten.")
    services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="takeaways",
        phase=held.phases["takeaways"],
        text="Ik bel de dochter terug.",
        author=held.presenter,
    )
    services.set_agreements(record=held.record, by=held.note_taker, text="Volgende keer Eva.")
    digest = _digest(held)
    assert digest["questions"] == ["Vraag 1"]
    assert digest["gossip"] == ["Ze lijkt het al te weten."]
    assert digest["takeaways"] == ["Ik bel de dochter terug."]
    assert digest["agreements"] == "Volgende keer Eva."
    assert digest["action_points"] == [] and digest["advice"] == []


def test_revealing_a_phase_shows_its_statements_to_every_reader(held):
    from kring.confidentiality import policy
    from kring.planning.models import Meeting

    held.meeting.status = Meeting.Status.PLANNED  # during the meeting
    held.meeting.save()
    number = held.phases["problem_statements"]
    _add(held, "problem_statements", "Hoe stel ik grenzen?")
    assert policy.read_record(held.member, held.meeting).phases[number - 1].hidden == 1
    assert services.reveal_phase(record=held.record, by=held.note_taker, phase=number) == 1
    phase = policy.read_record(held.member, held.meeting).phases[number - 1]
    assert phase.hidden == 0 and [item.text for item in phase.entries] == ["Hoe stel ik grenzen?"]
