"""Keeping a meeting record: one function per change, each in one transaction.

Nothing is deleted: an edit is a new input replacing the old one, a withdrawal changes only
its state. Every change raises the record's version (the live session pushes it) and is
recorded in the audit log. Who may call these is decided by the views (`Action.EDIT_RECORD`,
`Action.FOLLOW_UP_ACTION_POINT`); the services check that the change itself makes sense.
"""

import uuid

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.confidentiality import policy
from kring.confidentiality.models import AuditEvent
from kring.planning.models import Meeting

from .models import ActionPointFollowUp, MeetingRecord, RecordInput
from .selectors import PRESENTER_KINDS, presenters_of

MAX_TEXT = 2000
MAX_AGREEMENTS = 5000


class RecordError(Exception):
    pass


def record_for(meeting: Meeting) -> MeetingRecord:
    """The meeting's record, made on first use with the meeting's method version. A record
    made before a method was chosen takes the method as long as no input sits in a phase."""
    with transaction.atomic():
        record = MeetingRecord.objects.filter(meeting=meeting).first()
        if record is None:
            try:
                with transaction.atomic():
                    record = MeetingRecord.objects.create(
                        meeting=meeting, method_version=meeting.method_version
                    )
            except IntegrityError:  # made at the same moment by another request
                record = MeetingRecord.objects.get(meeting=meeting)
        elif (
            record.method_version_id is None
            and meeting.method_version_id is not None
            and not record.inputs.filter(phase__gt=0).exists()
        ):
            record.method_version = meeting.method_version
            record.save(update_fields=["method_version", "updated_at"])
    record.meeting = meeting
    return record


def _bump(record: MeetingRecord, by) -> None:
    MeetingRecord.objects.filter(pk=record.pk).update(
        version=F("version") + 1, updated_by=by, updated_at=timezone.now()
    )
    record.refresh_from_db(fields=["version", "updated_by", "updated_at"])


# What a phase without input takes when it is written down (a written round).
WRITTEN_FOR_NONE = "contributions"


def _phases(record: MeetingRecord) -> list[dict]:
    version = record.method_version
    return version.content["phases"] if version is not None else []


def _check_phase(record: MeetingRecord, phase: int, kind: str) -> None:
    phases = _phases(record)
    if phase == 0:
        return
    if not 1 <= phase <= len(phases):
        raise RecordError(_("This phase is not part of the meeting's method."))
    taken = phases[phase - 1]["input"]
    # A phase without input of its own takes contributions (what is said, in writing).
    if taken != kind and not (taken == "none" and kind == WRITTEN_FOR_NONE):
        raise RecordError(_("This phase does not take this kind of input."))


def phase_for(record: MeetingRecord, kind: str) -> int:
    """The first phase of the record's method that takes `kind`; 0 when none does."""
    for number, phase in enumerate(_phases(record), start=1):
        if phase["input"] == kind:
            return number
    return 0


def _check_text(text: str, *, limit: int = MAX_TEXT) -> str:
    text = (text or "").strip()
    if not text:
        raise RecordError(_("Write something first."))
    if len(text) > limit:
        raise RecordError(_("At most %(max)d characters, please.") % {"max": limit})
    return text


def _check_author(record: MeetingRecord, kind: str, author) -> None:
    if author is None:
        if kind in PRESENTER_KINDS:
            raise RecordError(_("Choose the presenter whose this is."))
        return
    meeting = record.meeting
    if kind in PRESENTER_KINDS:
        presenters = presenters_of(meeting)
        if presenters and author not in presenters:
            raise RecordError(_("Take-aways and action points are the presenter's."))
    if not meeting.group.memberships.current().filter(user=author).exists():
        raise RecordError(_("Choose a member of the group."))


def current_inputs(record: MeetingRecord, kind: str) -> list[RecordInput]:
    """The record's current inputs of a kind, for checking what a form refers to (the page
    that shows them reads them through `policy.read_record`)."""
    return list(
        RecordInput.objects.current()
        .filter(record=record, kind=kind)
        .exclude(state=RecordInput.State.DRAFT)
    )


def _existing(record: MeetingRecord, client_id) -> RecordInput | None:
    return RecordInput.objects.filter(record=record, client_id=client_id).first()


def method_version_id_of(meeting_id: int) -> int | None:
    """The method version a meeting's record is kept in (no content), None without one."""
    rows = MeetingRecord.objects.filter(meeting_id=meeting_id)
    return rows.values_list("method_version_id", flat=True).first()


def contributor_ids(meeting_id: int, phase: int) -> set[int]:
    """Who has an input submitted in a phase of a meeting's record (not a draft, not
    withdrawn): ids only, no content, for a written round's "who is still to come"."""
    rows = RecordInput.objects.current().filter(record__meeting_id=meeting_id, phase=phase)
    rows = rows.exclude(state=RecordInput.State.DRAFT).exclude(author__isnull=True)
    return set(rows.values_list("author_id", flat=True))


def sent_input(record: MeetingRecord, client_id) -> RecordInput | None:
    """The input a device sent under this id, if it did (a draft is not sent)."""
    return (
        RecordInput.objects.filter(record=record, client_id=client_id)
        .exclude(state=RecordInput.State.DRAFT)
        .first()
    )


def state_of(record: MeetingRecord, client_id) -> str | None:
    """The state of the input under this id (no content), None when there is none."""
    rows = RecordInput.objects.filter(record=record, client_id=client_id)
    return rows.values_list("state", flat=True).first()


def _create(record: MeetingRecord, by, **fields) -> RecordInput:
    item = RecordInput.objects.create(record=record, entered_by=by, **fields)
    item.record = record
    policy.record_content_change(AuditEvent.Event.CREATE, by, item, f"record input: {item.kind}")
    _bump(record, by)
    return item


@transaction.atomic
def add_input(
    *,
    record: MeetingRecord,
    by,
    kind: str,
    phase: int,
    text: str,
    author=None,
    client_id: uuid.UUID | None = None,
    state: str = RecordInput.State.SUBMITTED,
    late: bool = False,
) -> RecordInput:
    """A question, statement, note, advice, take-away or action point. The same client id
    twice (a double submit, a resend after a reconnect) gives back the first input."""
    client_id = client_id or uuid.uuid4()
    if (existing := _existing(record, client_id)) is not None:
        return existing
    if kind in {"presenter_choice", "ratings"}:
        raise RecordError(_("This kind of input refers to another one."))
    _check_phase(record, phase, kind)
    text = _check_text(text)
    _check_author(record, kind, author)
    return _create(
        record,
        by,
        client_id=client_id,
        phase=phase,
        kind=kind,
        text=text,
        author=author,
        state=state,
        late=late,
    )


class NotYours(RecordError):
    """A client id that is someone else's input: nothing is changed or shown."""


def _check_draft_text(text: str) -> str:
    text = text or ""
    if len(text) > MAX_TEXT:
        raise RecordError(_("At most %(max)d characters, please.") % {"max": MAX_TEXT})
    return text


@transaction.atomic
def save_draft(
    *,
    record: MeetingRecord,
    by,
    kind: str,
    phase: int,
    text: str,
    client_id: uuid.UUID,
    author=None,
) -> RecordInput:
    """Text as it is being typed, under the id the device made for it: one draft row per
    client id, updated in place. A draft is its writer's only: the readers of the record
    and the report leave drafts out. Once submitted the row stays as it was (a late
    autosave changes nothing). Made once in the audit log; the keystrokes after are not."""
    text = _check_draft_text(text)
    existing = (
        RecordInput.objects.select_for_update().filter(record=record, client_id=client_id).first()
    )
    if existing is not None:
        existing.record = record
        if existing.entered_by_id != by.pk:
            raise NotYours(_("This input is not yours."))
        if existing.state != RecordInput.State.DRAFT:
            return existing
        if existing.text != text or existing.author_id != getattr(author, "pk", None):
            existing.text = text
            existing.author = author
            existing.save(update_fields=["text", "author"])
        return existing
    if kind in {"presenter_choice", "ratings"}:
        raise RecordError(_("This kind of input refers to another one."))
    _check_phase(record, phase, kind)
    _check_author(record, kind, author)
    item = RecordInput.objects.create(
        record=record,
        entered_by=by,
        client_id=client_id,
        phase=phase,
        kind=kind,
        text=text,
        author=author,
        state=RecordInput.State.DRAFT,
    )
    item.record = record
    policy.record_content_change(AuditEvent.Event.CREATE, by, item, f"draft: {kind}")
    return item


@transaction.atomic
def submit_input(
    *,
    record: MeetingRecord,
    by,
    kind: str,
    phase: int,
    text: str,
    client_id: uuid.UUID,
    author=None,
    late: bool = False,
) -> RecordInput:
    """The draft of this client id (or a new input) submitted. A second submit of the same
    id (a resend after a reconnect) gives back the input it made, never a second one."""
    existing = (
        RecordInput.objects.select_for_update().filter(record=record, client_id=client_id).first()
    )
    if existing is None:
        return add_input(
            record=record,
            by=by,
            kind=kind,
            phase=phase,
            text=text,
            author=author,
            client_id=client_id,
            late=late,
        )
    existing.record = record
    if existing.entered_by_id != by.pk:
        raise NotYours(_("This input is not yours."))
    if existing.state != RecordInput.State.DRAFT:
        return existing
    text = _check_text(text)
    _check_author(record, existing.kind, author)
    existing.text = text
    existing.author = author
    existing.state = RecordInput.State.SUBMITTED
    existing.late = late
    existing.created_at = timezone.now()  # in the order of submitting, not of typing
    existing.save(update_fields=["text", "author", "state", "late", "created_at"])
    policy.record_content_change(
        AuditEvent.Event.CHANGE, by, existing, f"record input submitted: {existing.kind}"
    )
    _bump(record, by)
    return existing


@transaction.atomic
def discard_draft(*, item: RecordInput, by) -> RecordInput:
    """A draft its writer does not want to send: withdrawn, like any input (kept)."""
    record = item.record
    item = RecordInput.objects.select_for_update().get(pk=item.pk)
    item.record = record
    if item.entered_by_id != by.pk:
        raise NotYours(_("This input is not yours."))
    if item.state != RecordInput.State.DRAFT:
        raise RecordError(_("This input has been changed or withdrawn in the meantime."))
    item.state = RecordInput.State.WITHDRAWN
    item.save(update_fields=["state"])
    policy.record_content_change(AuditEvent.Event.CHANGE, by, item, "draft discarded")
    return item


def _current(item: RecordInput) -> None:
    if item.state == RecordInput.State.WITHDRAWN or item.replaced_by.exists():
        raise RecordError(_("This input has been changed or withdrawn in the meantime."))


@transaction.atomic
def edit_input(
    *,
    item: RecordInput,
    by,
    text: str,
    author=None,
    client_id: uuid.UUID | None = None,
) -> RecordInput:
    """A new version of an input, replacing the old one (which is kept)."""
    record = item.record
    client_id = client_id or uuid.uuid4()
    if (existing := _existing(record, client_id)) is not None:
        return existing
    item = RecordInput.objects.select_for_update().get(pk=item.pk)
    _current(item)
    if item.kind in {"presenter_choice", "ratings"}:
        raise RecordError(_("Choose again instead."))
    text = _check_text(text)
    _check_author(record, item.kind, author)
    new = RecordInput.objects.create(
        record=record,
        entered_by=by,
        client_id=client_id,
        phase=item.phase,
        kind=item.kind,
        text=text,
        author=author,
        refers_to=item.refers_to,
        rating=item.rating,
        state=item.state,
        late=item.late,
        replaces=item,
    )
    new.record = record
    # An action point's "done" or "carried on" stays with it (a choice or a rating follows
    # the new version by itself: the selectors read `refers_to` through `replaced_by`).
    ActionPointFollowUp.objects.filter(action_point=item).update(action_point=new)
    policy.record_content_change(AuditEvent.Event.CHANGE, by, new, f"record input: {new.kind}")
    _bump(record, by)
    return new


@transaction.atomic
def withdraw_input(*, item: RecordInput, by) -> RecordInput:
    record = item.record
    item = RecordInput.objects.select_for_update().get(pk=item.pk)
    item.record = record
    _current(item)
    item.state = RecordInput.State.WITHDRAWN
    item.save(update_fields=["state"])
    policy.record_content_change(AuditEvent.Event.CHANGE, by, item, "record input withdrawn")
    _bump(record, by)
    return item


def _replace_current(
    record,
    kind,
    by,
    *,
    author,
    client_id,
    refers_to,
    rating="",
    same=None,
    late=False,
    phase=None,
    text="",
):
    """A presenter's choice, rating or answer: a new row replacing their current one."""
    if (existing := _existing(record, client_id)) is not None:
        return existing
    earlier = (
        RecordInput.objects.current()
        .select_for_update(of=("self",))
        .filter(record=record, kind=kind, author=author, **(same or {}))
        .first()
    )
    item = RecordInput.objects.create(
        record=record,
        entered_by=by,
        client_id=client_id,
        phase=phase_for(record, kind) if phase is None else phase,
        kind=kind,
        author=author,
        refers_to=refers_to,
        rating=rating,
        text=text,
        replaces=earlier,
        late=late,
    )
    item.record = record
    event = AuditEvent.Event.CHANGE if earlier else AuditEvent.Event.CREATE
    policy.record_content_change(event, by, item, f"record input: {kind}")
    _bump(record, by)
    return item


def _presenter(record: MeetingRecord, presenter):
    presenters = presenters_of(record.meeting)
    if presenter is None:
        if len(presenters) > 1:
            raise RecordError(_("Choose the presenter."))
        return presenters[0] if presenters else None  # no roles recorded: the presenter
    _check_author(record, "takeaways", presenter)
    return presenter


def _is_current_of(record: MeetingRecord, item: RecordInput, kind: str) -> None:
    if item.record_id != record.pk or item.kind != kind:
        raise RecordError(_("Choose one of this meeting's inputs."))
    _current(item)


@transaction.atomic
def choose_statement(
    *,
    record: MeetingRecord,
    by,
    statement: RecordInput,
    presenter=None,
    client_id=None,
    late: bool = False,
) -> RecordInput:
    """The presenter's choice of the problem statement that fits best (one per presenter;
    choosing again replaces the earlier choice)."""
    _is_current_of(record, statement, "problem_statements")
    presenter = _presenter(record, presenter)
    return _replace_current(
        record,
        "presenter_choice",
        by,
        author=presenter,
        client_id=client_id or uuid.uuid4(),
        refers_to=statement,
        late=late,
    )


@transaction.atomic
def rate_question(
    *,
    record: MeetingRecord,
    by,
    question: RecordInput,
    rating: str,
    presenter=None,
    client_id=None,
    late: bool = False,
) -> RecordInput:
    """The presenter rates a question warm, neutral or cold (rating again replaces it)."""
    if rating not in RecordInput.Rating.values:
        raise RecordError(_("Choose warm, neutral or cold."))
    _is_current_of(record, question, "questions")
    presenter = _presenter(record, presenter)
    return _replace_current(
        record,
        "ratings",
        by,
        author=presenter,
        client_id=client_id or uuid.uuid4(),
        refers_to=question,
        rating=rating,
        same={"refers_to": question},
        late=late,
    )


@transaction.atomic
def answer_question(
    *,
    record: MeetingRecord,
    by,
    question: RecordInput,
    text: str,
    presenter=None,
    client_id=None,
    late: bool = False,
) -> RecordInput:
    """In writing, the presenter's answer to a question (what they would say in the room):
    a contribution of the question's phase that refers to it; answering again replaces it,
    the earlier answer kept as every input."""
    _is_current_of(record, question, "questions")
    presenter = _presenter(record, presenter)
    return _replace_current(
        record,
        WRITTEN_FOR_NONE,
        by,
        author=presenter,
        client_id=client_id or uuid.uuid4(),
        refers_to=question,
        same={"refers_to": question},
        late=late,
        phase=question.phase,
        text=_check_text(text),
    )


@transaction.atomic
def set_agreements(*, record: MeetingRecord, by, text: str) -> MeetingRecord:
    text = (text or "").strip()
    if len(text) > MAX_AGREEMENTS:
        raise RecordError(_("At most %(max)d characters, please.") % {"max": MAX_AGREEMENTS})
    MeetingRecord.objects.select_for_update().filter(pk=record.pk).first()  # one at a time
    record.refresh_from_db(fields=["agreements"])
    if record.agreements == text:
        return record
    record.agreements = text
    record.save(update_fields=["agreements", "updated_at"])
    policy.record_content_change(AuditEvent.Event.CHANGE, by, record, "record agreements")
    _bump(record, by)
    return record


@transaction.atomic
def follow_up_action_point(
    *, action_point: RecordInput, at_meeting: Meeting, by, status: str
) -> ActionPointFollowUp:
    """The presenter marks an action point done, or carried on (then it stays open)."""
    if status not in ActionPointFollowUp.Status.values:
        raise RecordError(_("Choose done or carried on."))
    record = action_point.record
    meeting = record.meeting
    if (
        action_point.kind != "action_points"
        or at_meeting.group_id != meeting.group_id
        or at_meeting.starts_at <= meeting.starts_at
        or at_meeting.status == Meeting.Status.CANCELLED
    ):
        raise RecordError(_("This action point is not reviewed at this meeting."))
    _current(action_point)
    latest = (
        ActionPointFollowUp.objects.filter(action_point=action_point, at_meeting=at_meeting)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is not None and latest.status == status:
        return latest
    follow_up = ActionPointFollowUp.objects.create(
        action_point=action_point, at_meeting=at_meeting, status=status, by=by
    )
    policy.record_content_change(
        AuditEvent.Event.CHANGE, by, action_point, f"action point {status}"
    )
    _bump(record, by)
    return follow_up


@transaction.atomic
def reveal_phase(*, record: MeetingRecord, by, phase: int) -> int:
    """Show the submitted inputs of a phase that shows them only when revealed (the live
    session's process facilitator does this; the record page shows them once held)."""
    items = list(
        RecordInput.objects.current()
        .select_for_update(of=("self",))
        .filter(record=record, phase=phase, state=RecordInput.State.SUBMITTED)
    )
    for item in items:
        item.record = record
        item.state = RecordInput.State.REVEALED
        item.save(update_fields=["state"])
        policy.record_content_change(AuditEvent.Event.CHANGE, by, item, "record input revealed")
    if items:
        _bump(record, by)
    return len(items)
