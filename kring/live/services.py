"""Running a meeting live: one function per change, each in one transaction.

Each locks the session row, checks the policy for the person acting, raises the version,
appends a `LiveEvent` and, once committed, sends `live_changed` (the consumer pushes
"changed, version N"; every device then fetches its own snapshot). Nothing is deleted:
going back reopens a phase and its inputs stay in the record. The timer only advises:
nothing waits for it or stops when it runs out.

A step that was already taken (a second click on "next" from the same phase) changes
nothing and returns the session as it is.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core.prepared import PreparedQuery
from kring.meetings.models import RoleAssignment
from kring.planning import services as planning_services
from kring.planning.models import Meeting
from kring.records import services as record_services
from kring.records.selectors import presenters_of
from kring.reports import services as report_services

from . import selectors, signals
from .models import LiveEvent, LiveSession, PhaseReady

# The most a timekeeper adds at once: live, an hour; in writing, two weeks.
MAX_EXTEND_MINUTES = 60
MAX_EXTEND_WRITTEN_MINUTES = 14 * 24 * 60

# In writing, a phase is open for at least an hour and at most four weeks.
MIN_PHASE_HOURS = 1
MAX_PHASE_HOURS = 28 * 24


class LiveError(Exception):
    pass


class NotAllowed(LiveError):
    pass


def session_for(meeting: Meeting) -> LiveSession:
    """The meeting's session, made (not started) on first use."""
    session = LiveSession.objects.filter(meeting=meeting).first()
    if session is None:
        try:
            with transaction.atomic():
                session = LiveSession.objects.create(meeting=meeting)
        except IntegrityError:  # made at the same moment by another request
            session = LiveSession.objects.get(meeting=meeting)
    session.meeting = meeting
    return session


# Every step reads its session locked, with what the policy needs and the record (whose
# method version gives the phases).
_LOCKED = PreparedQuery(
    lambda session_id: (
        LiveSession.objects.select_for_update(of=("self",))
        .select_related("meeting__group__programme", "meeting__record")
        .filter(pk=session_id)
    )
)


def _locked(session: LiveSession) -> LiveSession:
    locked = _LOCKED.get(session.pk)
    if locked is None:
        raise LiveSession.DoesNotExist
    return locked


def _require(by, action: Action, session: LiveSession, *, running: bool = True) -> None:
    """Outsiders learn nothing, not even the session's state; the group hears when the
    session is not running; then whether this person may take this step."""
    if not policy.can(by, Action.VIEW_LIVE_SESSION, session):
        raise NotAllowed(_("This live session is only for the group."))
    if running and session.state != LiveSession.State.RUNNING:
        raise LiveError(_("The live session is not running."))
    if action is Action.LEAD_LIVE_SESSION and not policy.can(by, action, session):
        raise NotAllowed(_("Only whoever leads the session can do this."))
    if action is Action.KEEP_TIME and not policy.can(by, action, session):
        raise NotAllowed(_("Only the timekeeper and whoever leads can change the timer."))


def _phases(session: LiveSession) -> list[dict]:
    return selectors.phases_of(session)


def _enter_phase(session: LiveSession, number: int, now: datetime) -> None:
    """Start a phase's visit: its timer runs from now for the phase's minutes; in writing,
    until its deadline, the phase's hours from now (and the round's people hear of it)."""
    phase = _phases(session)[number - 1]
    session.phase = number
    session.phase_started_at = now
    session.paused_at = None
    if session.pacing == LiveSession.Pacing.WRITTEN:
        session.timer_ends_at = now + timedelta(hours=session.phase_hours[number - 1])
        _deadline_set(session, announce=True)
    else:
        session.timer_ends_at = now + timedelta(minutes=phase["minutes"])


def _deadline_set(session: LiveSession, *, announce: bool) -> None:
    """In writing, once committed: the phase closes at its deadline and those still to
    contribute are reminded before it (tasks that check again when they run); a phase just
    opened is announced to the round's people."""
    signals.send_round_phase_on_commit(
        session_id=session.pk,
        phase=session.phase,
        deadline=session.timer_ends_at,
        remind_at=reminder_at(session.phase_started_at, session.timer_ends_at),
        announce=announce,
    )


def reminder_at(opened: datetime, deadline: datetime) -> datetime:
    """When those still to contribute to a written phase are reminded: a day before its
    deadline, or halfway for a phase shorter than two days."""
    return deadline - min(timedelta(hours=24), (deadline - opened) / 2)


def default_hours(phases: list[dict]) -> list[int]:
    """A method's minutes as a written round's hours: a minute live becomes two hours in
    writing, rounded up to half days (at least 12 hours), so the six-step method's hour
    becomes a round of six days."""
    return [max(12, -(-phase["minutes"] * 2 // 12) * 12) for phase in phases]


def checked_hours(phases: list[dict], hours) -> list[int]:
    """The hours per phase a process facilitator gave, one whole number per phase."""
    if hours is None:
        return default_hours(phases)
    hours = list(hours)
    if len(hours) != len(phases) or any(
        isinstance(h, bool) or not isinstance(h, int) for h in hours
    ):
        raise LiveError(_("Give each phase a whole number of hours."))
    if any(not MIN_PHASE_HOURS <= h <= MAX_PHASE_HOURS for h in hours):
        raise LiveError(
            _("Give each phase from %(min)d to %(max)d hours.")
            % {"min": MIN_PHASE_HOURS, "max": MAX_PHASE_HOURS}
        )
    return hours


def _changed(session: LiveSession, kind: str, by, now: datetime, **data) -> LiveSession:
    session.log_change(kind, by=by, at=now, **data)
    return session


@transaction.atomic
def start_session(
    *,
    meeting: Meeting,
    by,
    now: datetime | None = None,
    pacing: str = LiveSession.Pacing.LIVE,
    hours: list[int] | None = None,
) -> LiveSession:
    """Start the meeting at its method's first phase, live or in writing (with `hours`
    per phase, the method's as a default); whoever starts it leads."""
    now = now or timezone.now()
    session = _locked(session_for(meeting))
    _require(by, Action.LEAD_LIVE_SESSION, session, running=False)
    if session.state != LiveSession.State.NOT_STARTED:
        raise LiveError(_("This live session has already been started."))
    if session.meeting.status != Meeting.Status.PLANNED:
        raise LiveError(_("Only a planned meeting can be run live."))
    record = record_services.record_for(session.meeting)
    session.meeting.record = record
    if not _phases(session):
        raise LiveError(_("Choose a method for this meeting first."))
    if pacing not in LiveSession.Pacing.values:
        raise LiveError(_("Choose live or in writing."))
    session.pacing = pacing
    if pacing == LiveSession.Pacing.WRITTEN:
        session.phase_hours = checked_hours(_phases(session), hours)
    _enter_phase(session, 1, now)
    session.state = LiveSession.State.RUNNING
    session.led_by = by
    session.started_at = now
    return _changed(session, LiveEvent.Kind.START, by, now)


@transaction.atomic
def advance(
    *, session: LiveSession, by, from_phase: int | None = None, now: datetime | None = None
) -> LiveSession:
    """To the next phase. The inputs of the phase left stay in the record; a phase shown
    only when revealed stays hidden until the lead reveals it (`reveal`)."""
    now = now or timezone.now()
    session = _locked(session)
    _require(by, Action.LEAD_LIVE_SESSION, session)
    if from_phase is not None and session.phase != from_phase:
        return session
    if session.phase >= len(_phases(session)):
        raise LiveError(_("This is the last phase: close the session instead."))
    return _step_forward(session, by, now)


def _step_forward(session: LiveSession, by, now: datetime, **data) -> LiveSession:
    """To the next phase, logged with who was not ready. In writing, the inputs of a phase
    written apart are shown together once it closes (live, the lead reveals them)."""
    left = session.phase
    waiting = [user.pk for user in selectors.not_ready(session)]
    on_reveal = _phases(session)[left - 1]["reveal"] == "on_reveal"
    if session.pacing == LiveSession.Pacing.WRITTEN and on_reveal:
        record_services.reveal_phase(
            record=session.meeting.record, by=by or session.led_by, phase=left
        )
    _enter_phase(session, left + 1, now)
    return _changed(session, LiveEvent.Kind.ADVANCE, by, now, left=left, not_ready=waiting, **data)


def running_in_writing(session: LiveSession) -> bool:
    return (
        session.state == LiveSession.State.RUNNING
        and session.pacing == LiveSession.Pacing.WRITTEN
        and session.paused_at is None
    )


def next_phase(session: LiveSession, *, by, now: datetime, **data) -> LiveSession:
    """A written round's next phase opens (`by` None: at the deadline, or because everyone
    was done); after the last one the round closes, as a live meeting does."""
    if session.phase >= len(_phases(session)):
        return close_locked(session, by=by, now=now)
    return _step_forward(session, by, now, **data)


def close_if_everyone_done(session: LiveSession, now: datetime | None = None) -> LiveSession:
    """In writing, after a contribution or a "done": the phase closes early once everyone
    who takes part in it is done. Inside that change's transaction."""
    if session.pacing != LiveSession.Pacing.WRITTEN:  # live: nothing closes by itself
        return session
    now = now or timezone.now()
    session = _locked(session)
    if not running_in_writing(session):
        return session
    waiting = selectors.not_ready(session)
    if not waiting:
        return next_phase(session, by=None, now=now, early=True)
    presenters = {user.pk for user in presenters_of(session.meeting)}
    phase = _phases(session)[session.phase - 1]
    if phase["input"] == "questions" and {user.pk for user in waiting} <= presenters:
        # Every question is in: the presenter is told, to answer them (once, by the task).
        signals.send_questions_in_on_commit(session_id=session.pk, phase=session.phase)
    return session


@transaction.atomic
def go_back(
    *,
    session: LiveSession,
    by,
    to_phase: int | None = None,
    from_phase: int | None = None,
    now: datetime | None = None,
) -> LiveSession:
    """Reopen an earlier phase (the one before, unless told): recorded, nothing deleted;
    its timer starts again and its members are asked for "ready" again."""
    now = now or timezone.now()
    session = _locked(session)
    _require(by, Action.LEAD_LIVE_SESSION, session)
    if from_phase is not None and session.phase != from_phase:
        return session
    left = session.phase
    to_phase = left - 1 if to_phase is None else to_phase
    if not 1 <= to_phase < left:
        raise LiveError(_("Choose an earlier phase of this meeting."))
    _enter_phase(session, to_phase, now)
    return _changed(session, LiveEvent.Kind.BACK, by, now, left=left)


@transaction.atomic
def reveal(*, session: LiveSession, by, now: datetime | None = None) -> LiveSession:
    """Show the submitted inputs of the current phase, for a phase shown only when
    revealed (problem statements written apart and shown together)."""
    now = now or timezone.now()
    session = _locked(session)
    _require(by, Action.LEAD_LIVE_SESSION, session)
    if _phases(session)[session.phase - 1]["reveal"] != "on_reveal":
        raise LiveError(_("This phase shows its inputs at once."))
    shown = record_services.reveal_phase(record=session.meeting.record, by=by, phase=session.phase)
    return _changed(session, LiveEvent.Kind.REVEAL, by, now, shown=shown)


def _require_present_member(session: LiveSession, by) -> None:
    _require(by, Action.VIEW_LIVE_SESSION, session)
    if by.pk not in {user.pk for user in selectors.present_members(session.meeting)}:
        raise NotAllowed(_("Only the members at the meeting mark themselves ready."))


@transaction.atomic
def mark_ready(*, session: LiveSession, by, now: datetime | None = None) -> LiveSession:
    now = now or timezone.now()
    session = _locked(session)
    _require_present_member(session, by)
    if by.pk in selectors.ready_in_current_phase(session):
        return session
    PhaseReady.objects.update_or_create(
        session=session, phase=session.phase, user=by, defaults={"at": now}
    )
    _changed(session, LiveEvent.Kind.READY, by, now, ready=True)
    return close_if_everyone_done(session, now)


@transaction.atomic
def unmark_ready(*, session: LiveSession, by, now: datetime | None = None) -> LiveSession:
    now = now or timezone.now()
    session = _locked(session)
    _require_present_member(session, by)
    if by.pk not in selectors.ready_in_current_phase(session):
        return session
    PhaseReady.objects.filter(session=session, phase=session.phase, user=by).delete()
    return _changed(session, LiveEvent.Kind.READY, by, now, ready=False)


@transaction.atomic
def pause(*, session: LiveSession, by, now: datetime | None = None) -> LiveSession:
    now = now or timezone.now()
    session = _locked(session)
    _require(by, Action.KEEP_TIME, session)
    if session.paused_at is not None:
        return session
    session.paused_at = now
    remaining = selectors.remaining_seconds(session, now)
    return _changed(session, LiveEvent.Kind.PAUSE, by, now, remaining=remaining)


@transaction.atomic
def resume(*, session: LiveSession, by, now: datetime | None = None) -> LiveSession:
    """The timer goes on with the time it had left when paused."""
    now = now or timezone.now()
    session = _locked(session)
    _require(by, Action.KEEP_TIME, session)
    if session.paused_at is None:
        return session
    session.timer_ends_at += now - session.paused_at
    session.paused_at = None
    if session.pacing == LiveSession.Pacing.WRITTEN:
        _deadline_set(session, announce=False)
    return _changed(session, LiveEvent.Kind.RESUME, by, now)


@transaction.atomic
def extend(*, session: LiveSession, by, minutes: int, now: datetime | None = None) -> LiveSession:
    """More time for this phase. In overtime the extra minutes count from now (or from
    the pause), so "5 more minutes" gives five minutes, not what is left of them."""
    now = now or timezone.now()
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise LiveError(_("Give a whole number of minutes."))
    session = _locked(session)
    _require(by, Action.KEEP_TIME, session)
    written = session.pacing == LiveSession.Pacing.WRITTEN
    if written and not 60 <= minutes <= MAX_EXTEND_WRITTEN_MINUTES:
        raise LiveError(
            _("Give a number of hours from 1 to %(max)d.")
            % {"max": MAX_EXTEND_WRITTEN_MINUTES // 60}
        )
    if not written and not 1 <= minutes <= MAX_EXTEND_MINUTES:
        raise LiveError(
            _("Give a number of minutes from 1 to %(max)d.") % {"max": MAX_EXTEND_MINUTES}
        )
    counted_from = session.paused_at or now
    session.timer_ends_at = max(session.timer_ends_at, counted_from) + timedelta(minutes=minutes)
    if written:
        _deadline_set(session, announce=False)
    return _changed(session, LiveEvent.Kind.EXTEND, by, now, minutes=minutes)


@transaction.atomic
def change_pacing(
    *,
    session: LiveSession,
    by,
    pacing: str,
    hours: list[int] | None = None,
    now: datetime | None = None,
) -> LiveSession:
    """Go on in writing (a meeting whose advice round continues after it) or live (a
    written round that ends in a short meeting), from the current phase: its visit starts
    again with the new pacing's timer or deadline. Inputs, ready marks and the log stay."""
    now = now or timezone.now()
    session = _locked(session)
    _require(by, Action.LEAD_LIVE_SESSION, session)
    if pacing not in LiveSession.Pacing.values:
        raise LiveError(_("Choose live or in writing."))
    if pacing == session.pacing:
        return session
    session.pacing = pacing
    if pacing == LiveSession.Pacing.WRITTEN:
        session.phase_hours = checked_hours(_phases(session), hours)
    _enter_phase(session, session.phase, now)
    return _changed(session, LiveEvent.Kind.PACE, by, now, pacing=pacing)


@transaction.atomic
def hand_over(*, session: LiveSession, by, to, now: datetime | None = None) -> LiveSession:
    """Hand the lead to another member at the meeting, or to the group's facilitator."""
    now = now or timezone.now()
    session = _locked(session)
    _require(by, Action.LEAD_LIVE_SESSION, session)
    group = session.meeting.group
    present = {user.pk for user in selectors.present_members(session.meeting)}
    if to.pk not in present and to.pk != group.facilitator_id:
        raise LiveError(_("Hand the lead to a member who is at the meeting."))
    if not policy.can(to, Action.VIEW_LIVE_SESSION, session):
        raise LiveError(_("Hand the lead to a member who is at the meeting."))
    if to.pk == session.led_by_id:
        return session
    handed_from = session.led_by_id
    session.led_by = to
    return _changed(session, LiveEvent.Kind.HAND_OVER, by, now, handed_from=handed_from, to=to.pk)


def note_taker_of(meeting: Meeting):
    assignment = (
        RoleAssignment.objects.filter(meeting=meeting, role=RoleAssignment.Role.NOTE_TAKER)
        .select_related("user")
        .first()
    )
    return assignment.user if assignment is not None else None


@transaction.atomic
def close_session(*, session: LiveSession, by, now: datetime | None = None) -> LiveSession:
    """End the meeting: the session closes, the meeting counts as held (as when its
    attendance is recorded, which opens the one-minute check), and the report is drafted
    from the record for the note taker (or, without one, for whoever closes, if they
    may write it)."""
    now = now or timezone.now()
    session = _locked(session)
    _require(by, Action.LEAD_LIVE_SESSION, session)
    return close_locked(session, by=by, now=now)


def close_locked(session: LiveSession, *, by, now: datetime) -> LiveSession:
    """Close a session read locked, once it is decided that it closes (by whoever leads,
    or, `by` None, by a written round's last deadline)."""
    meeting = session.meeting
    session.state = LiveSession.State.CLOSED
    session.closed_at = now
    session.paused_at = None
    if meeting.status == Meeting.Status.PLANNED:
        planning_services.record_attendance(meeting=meeting, statuses={}, by=by or session.led_by)
    writer = note_taker_of(meeting) or by or session.led_by
    report = None
    # Only the status of the meeting's report is looked at (no content): one drafted
    # meanwhile, on paper, is left as it is.
    if (
        writer is not None
        and policy.can(writer, Action.EDIT_REPORT, meeting)
        and meeting.pk not in (policy.report_statuses(writer, meeting.group))
    ):
        report = report_services.draft_report(meeting, writer)
    return _changed(
        session,
        LiveEvent.Kind.CLOSE,
        by,
        now,
        report=report.pk if report is not None else None,
    )
