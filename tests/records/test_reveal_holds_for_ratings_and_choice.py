"""Inputs of a phase shown only when revealed stay hidden from the record's readers (who
do not keep it) until revealed or the meeting is held: also the presenter's ratings of the
Socratic dialogue, and a presenter's choice that would show a statement still hidden."""

from kring.confidentiality import policy
from kring.methods.models import Method
from kring.planning.models import Meeting
from kring.records import services


def _during(held, method_key=None):
    if method_key:
        version = Method.objects.get(builtin_key=method_key, organisation=None).current
        held.meeting.method_version = version
        held.record.method_version = version
        held.record.save()
    held.meeting.status = Meeting.Status.PLANNED
    held.meeting.save()


def _number(record, kind):
    return services.phase_for(record, kind)


def test_ratings_wait_for_the_reveal(held):
    _during(held, "socratic")
    question = services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="questions",
        phase=_number(held.record, "questions"),
        text="Wat maakt het moeilijk?",
    )
    services.rate_question(record=held.record, by=held.note_taker, question=question, rating="cold")
    phase = policy.read_record(held.member, held.meeting).phases[
        _number(held.record, "ratings") - 1
    ]
    assert [item.rating for item in phase.rated] == [None]
    assert phase.hidden == 1
    # The note taker sees it; once revealed, everyone does.
    keeper = policy.read_record(held.note_taker, held.meeting).phases[
        _number(held.record, "ratings") - 1
    ]
    assert keeper.rated[0].rating.rating == "cold"
    services.reveal_phase(
        record=held.record, by=held.note_taker, phase=_number(held.record, "ratings")
    )
    phase = policy.read_record(held.member, held.meeting).phases[
        _number(held.record, "ratings") - 1
    ]
    assert phase.rated[0].rating.rating == "cold" and phase.hidden == 0


def test_a_choice_does_not_show_a_statement_still_hidden(held):
    _during(held)  # six-step: statements shown on reveal, then the presenter's choice
    statement = services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="problem_statements",
        phase=_number(held.record, "problem_statements"),
        text="VERBORGEN-STELLING",
    )
    services.choose_statement(record=held.record, by=held.note_taker, statement=statement)
    view = policy.read_record(held.member, held.meeting)
    choice = view.phases[_number(held.record, "presenter_choice") - 1]
    assert all(statement is None for _presenter, statement in choice.choices)
    assert "VERBORGEN-STELLING" not in {item.text for item in view.shown_inputs}
