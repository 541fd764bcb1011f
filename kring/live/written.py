"""Intervision in writing: a method's phases as a round over days.

A written round is a live session whose pacing is "written" (`LiveSession.Pacing`): the
same phase pointer, version, log, inputs, record, report and check, with a deadline of
hours per phase instead of a timer of minutes. A phase closes at its deadline (a task), or
earlier once everyone who takes part in it is done (has submitted an input, or said they
are done), or when the process facilitator closes it; the next one then opens and the
round's people hear of it by mail and in the app, and those still to contribute are
reminded before the deadline. Mails and notices say that something is waiting, never what.

The presenter keeps their limits: they may pause the round (`services.pause`, allowed them
by the policy in writing) or withdraw their case, which stops it.

A round is a meeting of the group of its own kind (`Meeting.Mode.WRITTEN`), planned by the
group's facilitator or a member (groups that run themselves plan their own); a live
meeting can go on in writing and a round can end live (`services.change_pacing`).
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core import emails
from kring.meetings import services as meeting_services
from kring.meetings.models import Case, MeetingCase, RoleAssignment
from kring.methods import structure
from kring.notifications.models import Notice
from kring.notifications.services import notify
from kring.planning import services as planning_services
from kring.planning.models import Meeting, MeetingChange
from kring.records.selectors import presenters_of

from . import selectors, services
from .models import LiveEvent, LiveSession

# What the presenter hears is in once such a phase closes: the group's contributions to
# their case (their own take-aways and choices they know already).
# (The questions they hear of as soon as all are in: they answer them in that phase.)
FOR_THE_PRESENTER = {"problem_statements", "analysis", "advice", "gossip"}


class RoundError(services.LiveError):
    pass


def may_plan(user, group) -> bool:
    return policy.can(user, Action.PLAN_WRITTEN_ROUND, group)


@transaction.atomic
def plan_round(*, group, by, method_version, starts_at: datetime | None = None) -> Meeting:
    """A written round of the group with a method: a meeting of its own kind, planned
    (its case is chosen as for any meeting, then its process facilitator starts it)."""
    if not may_plan(by, group):
        raise RoundError(_("Only the group's facilitator and its members plan a written round."))
    if method_version is None:
        raise RoundError(_("Choose a method for the round."))
    meeting = Meeting.objects.create(
        group=group,
        starts_at=starts_at or timezone.now(),
        duration_minutes=120,
        mode=Meeting.Mode.WRITTEN,
        method_version=method_version,
    )
    MeetingChange.objects.create(
        meeting=meeting, kind=MeetingChange.Kind.PLANNED, by=by, starts_at=meeting.starts_at
    )
    if policy.is_current_member(by, group):
        # A member who plans a round leads it (a group that runs itself); the group's
        # facilitator may lead any round of the group anyway.
        RoleAssignment.objects.create(
            meeting=meeting, user=by, role=RoleAssignment.Role.PROCESS_FACILITATOR
        )
    return meeting


def _due(session_id: int, phase: int, deadline: str) -> LiveSession | None:
    """The session locked, if its written phase is still the one a task was planned for,
    with the same deadline (moved, paused, closed or gone on: the task does nothing)."""
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        return None
    session = services._locked(session)
    if not services.running_in_writing(session) or session.phase != phase:
        return None
    # Compared as moments, not as text: the same deadline may be written in another zone.
    if session.timer_ends_at is None or session.timer_ends_at != datetime.fromisoformat(deadline):
        return None
    return session


@transaction.atomic
def close_at_deadline(
    *, session_id: int, phase: int, deadline: str, now: datetime | None = None
) -> bool:
    """Worker side: the phase's deadline has come; it closes and the next one opens."""
    session = _due(session_id, phase, deadline)
    if session is None:
        return False
    services.next_phase(session, by=None, now=now or timezone.now(), at_deadline=True)
    return True


def _link(session: LiveSession) -> str:
    return reverse("live:page", kwargs={"meeting_id": session.meeting_id})


def _phase_title(session: LiveSession, number: int, language: str) -> str:
    phases = services._phases(session)
    return structure.localised(phases[number - 1]["title"], language) if phases else ""


def _mail(template: str, user, session: LiveSession, **context) -> None:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        emails.send(
            template,
            user.email,
            {
                "user": user,
                "group": session.meeting.group,
                "number": session.phase,
                "title": _phase_title(session, session.phase, language),
                "deadline": timezone.localtime(session.timer_ends_at),
                "link": settings.SITE_URL + _link(session),
                **context,
            },
            language=language,
        )


def _notice_params(session: LiveSession) -> dict:
    """What a notice of the round names (no content): the group, the phase, its deadline."""
    return {
        "group": session.meeting.group.name,
        "number": session.phase,
        "when": session.timer_ends_at.isoformat(),
    }


def _tell(users, session: LiveSession, kind: str, template: str) -> None:
    """A notice in the app and one mail for each of `users`, about the current phase."""
    for user in users:
        notify(recipient=user, kind=kind, params=_notice_params(session), link=_link(session))
        _mail(template, user, session)


def _round_people(session: LiveSession) -> list:
    """Who hears of the round: the members at it, and whoever leads it (the group's
    facilitator may lead without being a member)."""
    people = list(selectors.present_members(session.meeting))
    lead = session.led_by
    if lead is not None and lead.pk not in {user.pk for user in people}:
        if policy.can(lead, Action.VIEW_LIVE_SESSION, session):
            people.append(lead)
    return people


@transaction.atomic
def announce(*, session_id: int, phase: int, deadline: str) -> int:
    """Worker side: one mail and notice per person that a phase is open (for the presenter
    with, in the same mail, that the group's contributions of the phase before are in),
    once per opening; nothing when the round moved on or stopped meanwhile."""
    session = _due(session_id, phase, deadline)
    if session is None:
        return 0
    phases = services._phases(session)
    left = phases[phase - 2]["input"] if phase >= 2 else "none"
    presenters = {user.pk for user in presenters_of(session.meeting)}
    params = _notice_params(session)
    people = _round_people(session)
    for user in people:
        inputs_in = left in FOR_THE_PRESENTER and user.pk in presenters
        notify(
            recipient=user, kind=Notice.Kind.ROUND_PHASE_OPEN, params=params, link=_link(session)
        )
        if inputs_in:
            notify(
                recipient=user,
                kind=Notice.Kind.ROUND_INPUTS_IN,
                params={**params, "number": phase - 1},
                link=_link(session),
            )
        _mail("round_phase_open", user, session, inputs_in=inputs_in, left_number=phase - 1)
    return len(people)


@transaction.atomic
def questions_in(*, session_id: int, phase: int) -> int:
    """Worker side: every questioner's questions are in; the presenter hears it (in the app
    and by one mail), once per visit of the phase, to answer them and say they are done."""
    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        return 0
    session = services._locked(session)
    if not services.running_in_writing(session) or session.phase != phase:
        return 0
    told = Notice.objects.filter(
        kind=Notice.Kind.ROUND_INPUTS_IN,
        params__number=phase,
        link=_link(session),
        created_at__gte=session.phase_started_at,
    ).values_list("recipient_id", flat=True)
    presenters = [user for user in presenters_of(session.meeting) if user.pk not in set(told)]
    _tell(presenters, session, Notice.Kind.ROUND_INPUTS_IN, "round_questions_in")
    return len(presenters)


@transaction.atomic
def remind(*, session_id: int, phase: int, deadline: str) -> int:
    """Worker side: before the deadline, a reminder to exactly those who take part in the
    phase and are not done yet."""
    session = _due(session_id, phase, deadline)
    if session is None:
        return 0
    waiting = selectors.not_ready(session)
    _tell(waiting, session, Notice.Kind.ROUND_REMINDER, "round_reminder")
    return len(waiting)


@transaction.atomic
def withdraw_case(*, session: LiveSession, by, now: datetime | None = None) -> LiveSession:
    """The presenter withdraws their case: the round stops at once (the meeting is
    cancelled, so no report and no check follow). What was written stays in the record,
    read as before only by the group."""
    now = now or timezone.now()
    session = services._locked(session)
    services._require(by, Action.VIEW_LIVE_SESSION, session, running=False)
    if session.state == LiveSession.State.CLOSED:
        raise RoundError(_("This round has already stopped."))
    cases = [
        choice.case
        for choice in MeetingCase.objects.filter(meeting=session.meeting).select_related("case")
        if choice.case.presenter_id == by.pk
    ]
    if not cases:
        raise RoundError(_("Only the presenter of the round's case can withdraw it."))
    for case in cases:
        if case.status == Case.Status.OPEN:
            meeting_services.withdraw_case(case=case, by=by)
    session.state = LiveSession.State.CLOSED
    session.closed_at = now
    session.paused_at = None
    if session.meeting.status == Meeting.Status.PLANNED:
        planning_services.cancel(meeting=session.meeting, by=by)
    return services._changed(session, LiveEvent.Kind.WITHDRAW, by, now)


def was_withdrawn(session: LiveSession) -> bool:
    return session.state == LiveSession.State.CLOSED and (
        session.events.filter(kind=LiveEvent.Kind.WITHDRAW).exists()
    )
