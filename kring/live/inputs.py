"""Inputs from everyone's own device during a live session, written into the meeting record.

Every input is saved as it is typed (a draft, under the id the device made for it) and
submitted with that same id, so a resend after a reconnect never makes a second input. A
submission for a phase the session has left, or after it closed, is kept and marked late:
nothing typed is lost when the phase moves on.

Who writes what: each current member at the meeting (`Action.CONTRIBUTE_LIVE_INPUT`) writes
their own inputs, of the kinds that fit their part in the meeting (the presenter chooses,
rates and says what they take with them; the others ask, write statements, advise, gossip);
whoever keeps the record (`Action.EDIT_RECORD`, the note taker) also types for a member
without a device. Everyone else gets a 404 and nothing changes.

A submitted (or withdrawn, changed, chosen, rated) input raises the session's version, so
every device fetches its own view again; a draft does not (it is its writer's only).
"""

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Max
from django.http import Http404
from django.utils.translation import gettext as _

from kring.confidentiality import policy
from kring.confidentiality.models import AuditEvent
from kring.confidentiality.policy import Action
from kring.methods import structure
from kring.planning.models import Meeting
from kring.records import services as record_services
from kring.records.forms import BUTTONS, TEXT_LABELS
from kring.records.models import MeetingRecord, RecordInput
from kring.records.selectors import presenters_of

from . import selectors, services, signals
from .models import LiveSession
from .parts import REFERRING, fits

RecordError = record_services.RecordError


def refuse(user, meeting: Meeting, what: str):
    """Not theirs to write in: 404, and the attempt audited (as the policy's readers)."""
    policy._record(
        AuditEvent.Event.REFUSED, user, [meeting], policy.Capacity.NONE, f"refused: {what}"
    )
    raise Http404


def may_write_own(user, meeting: Meeting) -> bool:
    return policy.can(user, Action.CONTRIBUTE_LIVE_INPUT, meeting)


def may_write_for_others(user, meeting: Meeting) -> bool:
    return policy.can(user, Action.EDIT_RECORD, meeting)


def may_write(user, meeting: Meeting) -> bool:
    return may_write_own(user, meeting) or may_write_for_others(user, meeting)


def session_of(meeting: Meeting) -> LiveSession | None:
    session = LiveSession.objects.filter(meeting=meeting).first()
    if session is not None:
        session.meeting = meeting
    return session


def _phases(record: MeetingRecord) -> list[dict]:
    version = record.method_version
    return version.content["phases"] if version is not None else []


def action_points_outside(record: MeetingRecord) -> bool:
    """The method has no phase for action points: they are kept outside the phases (0)."""
    return not record_services.phase_for(record, "action_points")


def kind_of(record: MeetingRecord, phase: int, session: LiveSession | None = None) -> str:
    """The kind of input a phase takes (0: action points outside the method's phases); in
    writing, a phase without input of its own takes contributions: what would be said."""
    phases = _phases(record)
    if phase == 0 and action_points_outside(record):
        return "action_points"
    if not 1 <= phase <= len(phases):
        raise RecordError(_("This phase is not part of the meeting's method."))
    kind = phases[phase - 1]["input"]
    if kind == "none" and session is not None and session.pacing == LiveSession.Pacing.WRITTEN:
        return record_services.WRITTEN_FOR_NONE
    return kind


def _open(meeting: Meeting) -> tuple[LiveSession, MeetingRecord]:
    session = session_of(meeting)
    if session is None or session.state == LiveSession.State.NOT_STARTED:
        raise RecordError(_("The live session has not started yet."))
    record = record_services.record_for(meeting)
    meeting.record = record
    return session, record


def _reached(session: LiveSession) -> int:
    """The furthest phase the session has been in."""
    furthest = session.events.aggregate(furthest=Max("phase"))["furthest"] or 0
    return max(furthest, session.phase)


def is_late(session: LiveSession, phase: int) -> bool:
    """For a phase the session has left (or after it closed). Action points outside the
    phases are late only after the close."""
    if session.state == LiveSession.State.CLOSED:
        return True
    return phase != 0 and phase != session.phase


def _check_phase(session: LiveSession, record: MeetingRecord, phase: int) -> str:
    kind = kind_of(record, phase, session)
    if kind in {"none", *REFERRING}:
        raise RecordError(_("This phase does not take this kind of input."))
    if phase > _reached(session):
        raise RecordError(_("The live session has not reached this phase yet."))
    return kind


def _author(meeting: Meeting, by, kind: str, author):
    """Whose input it is: one's own, or (for whoever keeps the record) a member's at the
    meeting whose part it fits. Anything else is not theirs to write: 404."""
    presenters = presenters_of(meeting)
    if author is None or author.pk == by.pk:
        if not may_write_own(by, meeting):
            refuse(by, meeting, Action.CONTRIBUTE_LIVE_INPUT)
        if not fits(by, kind, presenters):
            raise RecordError(_("This is not your part in this phase."))
        return by
    if not may_write_for_others(by, meeting):
        refuse(by, meeting, Action.EDIT_RECORD)
    if author.pk not in {user.pk for user in selectors.present_members(meeting)}:
        raise RecordError(_("Choose a member who is at the meeting."))
    if not fits(author, kind, presenters):
        raise RecordError(_("This is not this member's part in this phase."))
    return author


def _push(session: LiveSession) -> None:
    """A change every device may need to show: the session's version rises (no event: the
    session's log is of its steps), and every device fetches its own view again."""
    LiveSession.objects.filter(pk=session.pk).update(version=F("version") + 1)
    session.refresh_from_db(fields=["version"])
    signals.send_on_commit(session_id=session.pk, version=session.version)


def _require_writer(by, meeting: Meeting) -> None:
    if not may_write(by, meeting):
        refuse(by, meeting, Action.CONTRIBUTE_LIVE_INPUT)


def _lock(meeting: Meeting, session: LiveSession) -> LiveSession:
    """The first statement of every change: one change of a session at a time (the row on
    PostgreSQL; on SQLite the write lock, taken before anything is read in the transaction,
    so it waits for another writer instead of failing with "database is locked"). Then the
    session as it is now, for what is late."""
    LiveSession.objects.filter(pk=session.pk).update(version=F("version"))
    session.refresh_from_db(fields=["state", "phase", "version", "pacing"])
    return session


# Each change: the checks first (with their audited refusals and reads, which stay in the
# log whatever follows), then one transaction for the change itself.


def save_draft(
    *, meeting: Meeting, by, client_id: uuid.UUID, phase: int, text: str, author=None
) -> RecordInput:
    """What is being typed, saved under the device's id; for its writer only."""
    _require_writer(by, meeting)
    session, record = _open(meeting)
    kind = _check_phase(session, record, phase)
    author = _author(meeting, by, kind, author)
    with transaction.atomic():
        _lock(meeting, session)
        return record_services.save_draft(
            record=record,
            by=by,
            kind=kind,
            phase=phase,
            text=text,
            client_id=client_id,
            author=author,
        )


def submit(
    *, meeting: Meeting, by, client_id: uuid.UUID, phase: int, text: str, author=None
) -> RecordInput:
    """The draft of this id (or a new input) submitted; the same id again returns it. For a
    phase the session has left, or after the close, it is kept and marked late."""
    _require_writer(by, meeting)
    session, record = _open(meeting)
    sent = record_services.sent_input(record, client_id)
    if sent is not None:  # sent before (a resend after a reconnect): the same input
        if sent.entered_by_id != by.pk:
            raise record_services.NotYours(_("This input is not yours."))
        return sent
    kind = _check_phase(session, record, phase)
    author = _author(meeting, by, kind, author)
    with transaction.atomic():
        session = _lock(meeting, session)
        before = record_services.state_of(record, client_id)
        item = record_services.submit_input(
            record=record,
            by=by,
            kind=kind,
            phase=phase,
            text=text,
            client_id=client_id,
            author=author,
            late=is_late(session, phase),
        )
        if before in {None, RecordInput.State.DRAFT}:
            _push(session)
            services.close_if_everyone_done(session)
        return item


def own_input(by, meeting: Meeting, input_id: int | None) -> RecordInput:
    """One of the person's own current inputs of this meeting (typed by them, or theirs);
    anything else: 404."""
    item = next(
        (row for row in policy.read_own_live_inputs(by, meeting) if row.pk == input_id), None
    )
    if item is None:
        raise Http404
    return item


def _check_still_open(session: LiveSession, item: RecordInput) -> None:
    """In writing, what was sent stays as it is once its phase has closed (the others have
    read it and gone on); live, it may still be changed after the phase, as notes are."""
    if session.pacing == LiveSession.Pacing.WRITTEN and is_late(session, item.phase):
        raise RecordError(_("This step has closed: what was sent in it stays as it is."))


def withdraw(*, meeting: Meeting, by, item: RecordInput) -> RecordInput:
    """Take one's own input back (kept, as every input), or drop a draft."""
    _require_writer(by, meeting)
    session, _record = _open(meeting)
    with transaction.atomic():
        session = _lock(meeting, session)
        if item.state == RecordInput.State.DRAFT:
            return record_services.discard_draft(item=item, by=by)
        _check_still_open(session, item)
        item = record_services.withdraw_input(item=item, by=by)
        _push(session)
        return item


def edit(
    *, meeting: Meeting, by, item: RecordInput, text: str, client_id: uuid.UUID
) -> RecordInput:
    """A new version of one's own submitted input (the old one is kept)."""
    _require_writer(by, meeting)
    session, _record = _open(meeting)
    if item.kind in REFERRING or item.state == RecordInput.State.DRAFT:
        raise RecordError(_("Choose again instead."))
    with transaction.atomic():
        session = _lock(meeting, session)
        _check_still_open(session, item)
        new = record_services.edit_input(
            item=item, by=by, text=text, author=item.author, client_id=client_id
        )
        _push(session)
        return new


def _referred(meeting: Meeting, by, kind: str, presenter):
    """For a choice or a rating: the session, the record, its phase, the presenter it is
    for (themselves, or whoever keeps the record for them) and the phase as they see it."""
    _require_writer(by, meeting)
    session, record = _open(meeting)
    number = record_services.phase_for(record, kind)
    if not number or number > _reached(session):
        raise RecordError(_("This phase does not take this kind of input."))
    presenter = _author(meeting, by, kind, presenter)
    return session, record, number, presenter, policy.read_record_phase(by, meeting, number)


def choose(
    *, meeting: Meeting, by, statement_id: int, client_id: uuid.UUID, presenter=None
) -> RecordInput:
    """The presenter's choice among the statements they can see."""
    session, record, number, presenter, phase = _referred(
        meeting, by, "presenter_choice", presenter
    )
    statement = next((s for s in phase.statements if s.pk == statement_id), None)
    if statement is None:
        raise RecordError(_("Choose one of this meeting's inputs."))
    with transaction.atomic():
        session = _lock(meeting, session)
        item = record_services.choose_statement(
            record=record,
            by=by,
            statement=statement,
            presenter=presenter,
            client_id=client_id,
            late=is_late(session, number),
        )
        _push(session)
        services.close_if_everyone_done(session)
        return item


def rate(
    *,
    meeting: Meeting,
    by,
    question_id: int,
    rating: str,
    client_id: uuid.UUID,
    presenter=None,
) -> RecordInput:
    """The presenter's warm, neutral or cold for one of the questions."""
    session, record, number, presenter, phase = _referred(meeting, by, "ratings", presenter)
    question = next((r.question for r in phase.rated if r.question.pk == question_id), None)
    if question is None:
        raise RecordError(_("Choose one of the questions."))
    with transaction.atomic():
        session = _lock(meeting, session)
        item = record_services.rate_question(
            record=record,
            by=by,
            question=question,
            rating=rating,
            presenter=presenter,
            client_id=client_id,
            late=is_late(session, number),
        )
        _push(session)
        services.close_if_everyone_done(session)
        return item


def answer(
    *,
    meeting: Meeting,
    by,
    question_id: int,
    text: str,
    client_id: uuid.UUID,
    presenter=None,
) -> RecordInput:
    """In writing, the presenter answers a question of a phase the round has reached (what
    would be said in the room); answering again replaces the answer."""
    _require_writer(by, meeting)
    session, record = _open(meeting)
    if session.pacing != LiveSession.Pacing.WRITTEN:
        raise RecordError(_("In a live meeting the presenter answers out loud."))
    presenter = _author(meeting, by, "presenter_choice", presenter)  # the presenter's part
    question = next(
        (
            row
            for number, phase in enumerate(_phases(record), start=1)
            if phase["input"] == "questions" and number <= _reached(session)
            for row in policy.read_record_phase(by, meeting, number).entries
            if row.pk == question_id and row.kind == "questions"
        ),
        None,
    )
    if question is None:
        raise RecordError(_("Choose one of the questions."))
    with transaction.atomic():
        session = _lock(meeting, session)
        item = record_services.answer_question(
            record=record,
            by=by,
            question=question,
            text=text,
            presenter=presenter,
            client_id=client_id,
            late=session.state == LiveSession.State.CLOSED,
        )
        _push(session)
        return item


# What one device shows.


@dataclass
class Slot:
    """A place to write in: one kind of input of one phase, for the viewer or (whoever
    keeps the record) for members without a device."""

    phase: int
    kind: str
    title: str  # the kind, as the method names it ("Questions")
    label: str  # one of it ("Question")
    button: str
    own: bool  # the viewer writes their own here
    authors: list  # members the viewer may write for (empty: only their own)
    drafts: list = field(default_factory=list)
    sent: list = field(default_factory=list)


@dataclass
class Panel:
    meeting: Meeting
    session: LiveSession | None
    state: str
    phase: int
    kind: str
    version: int
    may_write: bool
    record_version: int = 0  # the meeting record's: rises with what a panel shows
    slots: list = field(default_factory=list)
    others: list = field(default_factory=list)  # inputs of others shown in this phase
    hidden: int = 0  # inputs of this phase not revealed yet
    on_reveal: bool = False
    earlier: list = field(default_factory=list)  # own unsent drafts of other phases
    # The presenter's choice / ratings, for the presenter (or whoever writes for them).
    statements: list = field(default_factory=list)
    chosen_id: int | None = None
    rated: list = field(default_factory=list)  # [(question, rating or "")]
    choosers: list = field(default_factory=list)  # presenters the viewer chooses for
    # In writing, the questions of this phase the presenter (or whoever writes for them)
    # answers: [(question, current answer or None)]; and every question's answer.
    answering: list = field(default_factory=list)
    answer_for: list = field(default_factory=list)  # presenters the viewer answers for
    answers: dict = field(default_factory=dict)
    error: str = ""


def _slot(phase: int, kind: str, *, own: bool, authors: list) -> Slot:
    return Slot(
        phase=phase,
        kind=kind,
        title=str(structure.INPUTS[kind]),
        label=str(TEXT_LABELS[kind]),
        button=str(BUTTONS[kind]),
        own=own,
        authors=authors,
    )


def panel(meeting: Meeting, viewer, *, error: str = "") -> Panel:
    """The viewer's part of the live session: where to write in this phase, their own
    drafts and inputs, and what of the phase the others may see. 404 for anyone who may
    not see the session."""
    if not policy.can(viewer, Action.VIEW_LIVE_SESSION, meeting):
        refuse(viewer, meeting, Action.VIEW_LIVE_SESSION)
    session = session_of(meeting)
    state = session.state if session is not None else LiveSession.State.NOT_STARTED
    view = Panel(
        meeting=meeting,
        session=session,
        state=state,
        phase=session.phase if session is not None else 0,
        kind="none",
        version=session.version if session is not None else 0,
        may_write=may_write(viewer, meeting),
        error=error,
    )
    if state == LiveSession.State.NOT_STARTED:
        return view
    record = record_services.record_for(meeting)
    meeting.record = record
    view.record_version = record.version
    own_rows = policy.read_own_live_inputs(viewer, meeting) if view.may_write else []
    writes_own = may_write_own(viewer, meeting)
    for_others = may_write_for_others(viewer, meeting)
    presenters = presenters_of(meeting)
    # Live, whoever keeps the record types for a member without a device; in writing,
    # everyone writes in their own time, on their own device.
    written = session.pacing == LiveSession.Pacing.WRITTEN
    for_others = for_others and not written
    present = selectors.present_members(meeting) if for_others else []
    open_phase = state == LiveSession.State.RUNNING
    view.kind = kind_of(record, view.phase, session) if open_phase else "none"
    phases = _phases(record)
    view.on_reveal = bool(open_phase and phases[view.phase - 1]["reveal"] == "on_reveal")

    places = []
    if view.kind in TEXT_LABELS:
        places.append((view.phase, view.kind))
    if view.kind == "takeaways" and action_points_outside(record):
        places.append((0, "action_points"))  # the presenter leaves with action points
    own_ids = {row.pk for row in own_rows}
    for number, kind in places:
        authors = [
            user for user in present if user.pk != viewer.pk and fits(user, kind, presenters)
        ]
        own = writes_own and fits(viewer, kind, presenters)
        if not (own or authors):
            continue
        slot = _slot(number, kind, own=own, authors=authors)
        for row in own_rows:
            if row.phase != number or row.kind != kind:
                continue
            if row.state == RecordInput.State.DRAFT:
                if row.entered_by_id == viewer.pk:
                    slot.drafts.append(row)
            else:
                slot.sent.append(row)
        view.slots.append(slot)

    if open_phase:
        shown = policy.read_record_phase(viewer, meeting, view.phase)
        if shown is not None:
            view.others = [row for row in shown.entries if row.pk not in own_ids]
            view.hidden = shown.hidden
            view.answers = shown.answers
            for row in [*view.others, *(item for slot in view.slots for item in slot.sent)]:
                row.answer = shown.answers.get(row.pk)
            if view.kind == "questions" and session.pacing == LiveSession.Pacing.WRITTEN:
                view.answer_for = [p for p in presenters if p.pk == viewer.pk and writes_own]
                if for_others:
                    view.answer_for += [p for p in presenters if p.pk != viewer.pk and p in present]
                if view.answer_for:
                    view.answering = [
                        (row, shown.answers.get(row.pk))
                        for row in shown.entries
                        if row.kind == "questions"
                    ]
            if view.kind in REFERRING:
                choosers = []
                if writes_own and fits(viewer, view.kind, presenters):
                    choosers.append(viewer)
                if for_others:
                    choosers += [p for p in presenters if p.pk != viewer.pk and p in present]
                view.choosers = choosers
                if choosers:
                    mine = [
                        row
                        for row in own_rows
                        if row.kind == view.kind and row.author_id == choosers[0].pk
                    ]
                    if view.kind == "presenter_choice":
                        view.statements = shown.statements
                        view.chosen_id = mine[-1].refers_to_id if mine else None
                    else:
                        by_question = {row.refers_to_id: row.rating for row in mine}
                        view.rated = [
                            (item.question, by_question.get(item.question.pk, ""))
                            for item in shown.rated
                        ]
    in_slots = {(slot.phase, slot.kind) for slot in view.slots}
    view.earlier = [
        row
        for row in own_rows
        if row.state == RecordInput.State.DRAFT
        and row.entered_by_id == viewer.pk
        and (row.phase, row.kind) not in in_slots
        and row.text.strip()
    ]
    return view
