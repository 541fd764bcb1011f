"""Reading a record is audited per input shown; a refusal is audited and answers 404."""

import pytest
from django.http import Http404

from kring.confidentiality import policy
from kring.confidentiality.models import AuditEvent
from kring.records import services


def test_reading_the_record_records_each_input_and_the_agreements(held):
    question = services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="questions",
        phase=held.phases["questions"],
        text="Wat wil je bereiken?",
    )
    services.set_agreements(record=held.record, by=held.note_taker, text="Afspraak")
    view = policy.read_record(held.member, held.meeting)
    assert [item.pk for item in view.shown_inputs] == [question.pk]
    events = AuditEvent.objects.filter(actor=held.member, event=AuditEvent.Event.READ)
    assert events.count() == 2  # the question and the record's agreements
    assert {(e.description, e.capacity) for e in events} == {
        ("meeting record", AuditEvent.Capacity.MEMBER)
    }


def test_the_facilitator_reads_as_facilitator(held):
    services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="questions",
        phase=held.phases["questions"],
        text="Wat wil je bereiken?",
    )
    policy.read_record(held.facilitator, held.meeting)
    event = AuditEvent.objects.get(actor=held.facilitator, event=AuditEvent.Event.READ)
    assert event.capacity == AuditEvent.Capacity.FACILITATOR


@pytest.mark.parametrize(
    "role", ["coordinator", "sponsor", "line_manager", "admin", "other_participant"]
)
def test_everyone_else_is_refused_and_that_is_recorded(held, world, role):
    with pytest.raises(Http404):
        policy.read_record(world.people[role], held.meeting)
    assert AuditEvent.objects.filter(
        actor=world.people[role], event=AuditEvent.Event.REFUSED
    ).exists()


def test_a_removed_member_no_longer_reads_or_keeps_the_record(held):
    from django.utils import timezone

    from kring.confidentiality.policy import Action, can

    membership = held.meeting.group.memberships.get(user=held.note_taker)
    membership.left_on = max(timezone.localdate(), membership.joined_on)
    membership.save()
    assert not can(held.note_taker, Action.VIEW_RECORD, held.meeting)
    assert not can(held.note_taker, Action.EDIT_RECORD, held.meeting)


def test_statements_of_a_phase_shown_on_reveal_wait_for_readers_until_the_meeting_is_held(
    held,
):
    from kring.planning.models import Meeting

    held.meeting.status = Meeting.Status.PLANNED
    held.meeting.save()
    services.add_input(
        record=held.record,
        by=held.note_taker,
        kind="problem_statements",
        phase=held.phases["problem_statements"],
        text="Nog verborgen",
    )
    phase = held.phases["problem_statements"] - 1
    assert policy.read_record(held.member, held.meeting).phases[phase].hidden == 1
    assert policy.read_record(held.note_taker, held.meeting).phases[phase].entries
