"""The live page: what a member, the process facilitator and the group's facilitator see
and press during a meeting run live.

Thin views: each step is a service of `kring.live.services`, each view of the session the
per-viewer `selectors.snapshot`. Every form works without JavaScript (post, redirect back
to the page); live.js posts the same forms with fetch and gets the stage fragment back.
Anyone who may not see the session gets 404 on every URL.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core.forms import database_id
from kring.core.prepared import PreparedQuery
from kring.meetings.models import RoleAssignment
from kring.methods import structure
from kring.planning.models import Meeting

from . import selectors, services, written
from .models import LiveSession

STAGE = "live/_stage.html"
ROLE_LABELS = {
    **dict(RoleAssignment.Role.choices),
    "questioners": gettext_lazy("Questioner"),  # everyone present without a role
}


def clock(seconds: int | None) -> str:
    """Time left as m:ss, overtime as +m:ss (live.js keeps it going from here)."""
    if seconds is None:
        return ""
    sign = "+" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


# What the stage shows of a meeting, read with it. The method's content is parsed only
# where the stage shows it (not started yet); the phases are kept per method version
# (`selectors.phases_of`).
MEETING_RELATED = ("group__programme__organisation", "group__facilitator", "method_version")
MEETING_DEFERRED = "method_version__content"


# Read with every step and every stage asked for: compiled once.
_MEETING = PreparedQuery(
    lambda meeting_id: (
        Meeting.objects.select_related(*MEETING_RELATED)
        .defer(MEETING_DEFERRED)
        .filter(pk=meeting_id)
    )
)
_SESSION_OF_MEETING = PreparedQuery(
    lambda meeting_id: LiveSession.objects.select_related("led_by").filter(meeting_id=meeting_id)
)
_SESSION = PreparedQuery(
    lambda session_id: LiveSession.objects.select_related("led_by").filter(pk=session_id)
)


def meeting_for(request, meeting_id) -> Meeting:
    meeting_id = database_id(meeting_id)
    meeting = _MEETING.get(meeting_id) if meeting_id is not None else None
    if meeting is None or not policy.can(request.user, Action.VIEW_LIVE_SESSION, meeting):
        raise Http404
    return meeting


def _session(meeting: Meeting) -> LiveSession:
    # One read (with whoever leads, for the stage); made on first use by the service.
    session = _SESSION_OF_MEETING.get(meeting.pk)
    if session is None:
        session = services.session_for(meeting)
    session.meeting = meeting
    return session


def time_left_in_writing(seconds: int | None, paused: bool) -> str:
    """A written phase's time left in days and hours (a phase lasts days, not minutes)."""
    if seconds is None:
        return ""
    if paused:
        return _("The round is paused: the deadline moves on by the time it is paused.")
    if seconds < 0:
        return _("The deadline has passed: the next step opens in a moment.")
    hours = seconds // 3600
    if hours >= 48:
        days, hours = divmod(hours, 24)
        return ngettext(
            "%(days)d day and %(hours)d h left", "%(days)d days and %(hours)d h left", days
        ) % {"days": days, "hours": hours}
    if hours >= 1:
        return ngettext("%(hours)d hour left", "%(hours)d hours left", hours) % {"hours": hours}
    minutes = max(1, seconds // 60)
    return ngettext("%(minutes)d minute left", "%(minutes)d minutes left", minutes) % {
        "minutes": minutes
    }


def _written_context(request, meeting, session, data: dict) -> dict:
    """What the stage shows of a round in writing: the deadline, the start form's hours
    per phase, the hours to go on in writing with, and the presenter's withdrawal."""
    context = {}
    if session.state == LiveSession.State.NOT_STARTED and meeting.mode == Meeting.Mode.WRITTEN:
        phases = meeting.method_version.content["phases"] if meeting.method_version_id else []
        language = getattr(request.user, "language", None) or translation.get_language()
        context["written_start"] = [
            {
                "number": number,
                "title": structure.localised(phase["title"], language),
                "hours": hours,
            }
            for number, (phase, hours) in enumerate(
                zip(phases, services.default_hours(phases), strict=True), start=1
            )
        ]
    if session.state != LiveSession.State.RUNNING:
        return context
    if session.pacing == LiveSession.Pacing.WRITTEN:
        context["deadline_text"] = date_format(
            timezone.localtime(session.timer_ends_at), "l j F, H:i"
        )
        context["left_text"] = time_left_in_writing(data["remaining_seconds"], data["paused"])
        context["may_withdraw"] = data["role"] == RoleAssignment.Role.PRESENTER
    elif data["leads"]:
        phases = selectors.phases_of(session)
        context["pace_hours"] = services.default_hours(phases)[session.phase - 1]
    return context


def _after_close_url(session: LiveSession, viewer) -> str:
    where = selectors.after_close(session, viewer)
    if where == "report":
        return reverse("reports:edit", kwargs={"meeting_id": session.meeting_id})
    if where == "check":
        return reverse("evaluation:answer", kwargs={"meeting_id": session.meeting_id})
    return reverse("planning:meeting_detail", kwargs={"meeting_id": session.meeting_id})


def stage_context(
    request, meeting, session, *, error="", confirm=None, fresh=True, record_version=None
) -> dict:
    if fresh:  # a step just taken may have changed the session: read it again
        session = _SESSION.get(session.pk)
        session.meeting = meeting
    data = selectors.snapshot(session, request.user, now=timezone.now())
    context = {
        "meeting": meeting,
        "session": session,
        "live": data,
        "role_label": ROLE_LABELS.get(data["role"], ""),
        "timer_text": clock(data["remaining_seconds"]),
        "error": error,
        "confirm": confirm,
        # The record's change counter (no content): the inputs' panel refreshes when it moves.
        "record_version": policy.record_change_count(request.user, meeting, record_version),
        # Start is offered where it can work (the service says why otherwise).
        "may_start": session.state == LiveSession.State.NOT_STARTED
        and meeting.status == Meeting.Status.PLANNED
        and meeting.method_version_id is not None
        and policy.can(request.user, Action.LEAD_LIVE_SESSION, session),
    }
    context |= _written_context(request, meeting, session, data)
    if session.state == LiveSession.State.CLOSED:
        context["withdrawn"] = written.was_withdrawn(session)
        context["next_url"] = _after_close_url(session, request.user)
        context["next_kind"] = selectors.after_close(session, request.user)
    return context


def _stage(request, meeting, session, *, status=200, **extra):
    request.kring_fragment = True  # no header in a fragment: its context is not needed
    return render(
        request,
        STAGE,
        stage_context(request, meeting, session, **extra),
        status=status,
    )


def _page(request, meeting, session, *, status=200, **extra):
    context = stage_context(request, meeting, session, **extra)
    # The chosen case is read once per page (audited), not with every change of the stage.
    context["cases"] = policy.read_meeting_cases(request.user, meeting)
    return render(request, "live/live.html", context, status=status)


def _fragment_wanted(request) -> bool:
    return bool(getattr(request, "htmx", False)) or request.headers.get("X-Live") == "fetch"


def _answer(request, meeting, session, *, status=200, **extra):
    """After a step: the stage for fetch/htmx; without JavaScript, back to the page (PRG),
    or the page itself when it has something to say (an error, a confirmation)."""
    if _fragment_wanted(request):
        return _stage(request, meeting, session, status=status, **extra)
    if extra.get("error") or extra.get("confirm"):
        return _page(request, meeting, session, status=status, **extra)
    return redirect("live:page", meeting_id=meeting.pk)


def _step(request, meeting_id, act):
    """Run one service; its refusal is said in the stage (an outsider's is a 404)."""
    meeting = meeting_for(request, meeting_id)
    return _step_in(request, meeting, _session(meeting), act)


def _step_in(request, meeting, session, act):
    try:
        act(session)
    except services.NotAllowed as error:
        if not policy.can(request.user, Action.VIEW_LIVE_SESSION, meeting):
            raise Http404 from error
        return _answer(request, meeting, session, status=403, error=str(error))
    except services.LiveError as error:
        return _answer(request, meeting, session, status=400, error=str(error))
    # Closing makes the meeting held (and its check open); its group, read with it, stays.
    meeting.refresh_from_db(fields=["status"])
    return _answer(request, meeting, session)


def _number(value) -> int | None:
    return database_id(value) if value not in (None, "") else None


@login_required
@require_GET
def page(request, meeting_id):
    meeting = meeting_for(request, meeting_id)
    return _page(request, meeting, _session(meeting), fresh=False)


def _open_confirmation(request, session: LiveSession) -> dict | None:
    """The confirmation the lead still has open (the stage asked again after a change,
    `?confirm=advance&phase=N`), with who is not ready now: a push must not take away the
    question the lead is reading. Gone once the phase moved on or nobody is waiting."""
    kind = request.GET.get("confirm")
    if (
        kind not in {"advance", "close"}
        or session.state != LiveSession.State.RUNNING
        or _number(request.GET.get("phase")) != session.phase
        or not policy.can(request.user, Action.LEAD_LIVE_SESSION, session)
    ):
        return None
    if kind == "close":
        return {"kind": "close"}
    waiting = selectors.waiting_for(session, request.user)
    return {"kind": "advance", "names": [user.full_name for user in waiting]} if waiting else None


@login_required
@require_GET
def stage(request, meeting_id):
    meeting = meeting_for(request, meeting_id)
    session = _session(meeting)
    confirm = _open_confirmation(request, session)
    return _stage(request, meeting, session, confirm=confirm, fresh=False)


def _hours(request, count: int) -> list[int] | None:
    """The hours per phase of a written round's form (`hours_1` ...); None: the method's."""
    given = [request.POST.get(f"hours_{number}", "").strip() for number in range(1, count + 1)]
    if not any(given):
        return None
    if not all(value.isascii() and value.isdigit() for value in given):
        raise services.LiveError(_("Give each phase a whole number of hours."))
    return [int(value) for value in given]


@login_required
@require_POST
def start(request, meeting_id):
    def act(session):
        meeting = session.meeting
        if meeting.mode != Meeting.Mode.WRITTEN:
            return services.start_session(meeting=meeting, by=request.user)
        count = len(selectors.phases_of(session)) or (
            len(meeting.method_version.content["phases"]) if meeting.method_version_id else 0
        )
        return services.start_session(
            meeting=meeting,
            by=request.user,
            pacing=LiveSession.Pacing.WRITTEN,
            hours=_hours(request, count),
        )

    return _step(request, meeting_id, act)


@login_required
@require_POST
def pace(request, meeting_id):
    """Go on in writing (with the hours the current phase is open) or live."""
    pacing = request.POST.get("pacing")

    def act(session):
        hours = None
        if pacing == LiveSession.Pacing.WRITTEN:
            phases = selectors.phases_of(session)
            hours = services.default_hours(phases)
            given = request.POST.get("hours", "").strip()
            if given:
                if not (given.isascii() and given.isdigit()):
                    raise services.LiveError(_("Give a whole number of hours."))
                hours[session.phase - 1] = int(given)
        services.change_pacing(session=session, by=request.user, pacing=pacing, hours=hours)

    return _step(request, meeting_id, act)


@login_required
@require_POST
def withdraw(request, meeting_id):
    """The presenter withdraws their case from a round: asked to confirm first."""
    meeting = meeting_for(request, meeting_id)
    session = _session(meeting)
    if "confirmed" not in request.POST and session.state == LiveSession.State.RUNNING:
        return _answer(request, meeting, session, confirm={"kind": "withdraw"})
    return _step_in(
        request,
        meeting,
        session,
        lambda session: written.withdraw_case(session=session, by=request.user),
    )


@login_required
@require_POST
def advance(request, meeting_id):
    meeting = meeting_for(request, meeting_id)
    session = _session(meeting)
    from_phase = _number(request.POST.get("from_phase"))
    if (
        "confirmed" not in request.POST
        and session.state == LiveSession.State.RUNNING
        and policy.can(request.user, Action.LEAD_LIVE_SESSION, session)
        and (from_phase is None or from_phase == session.phase)
    ):
        waiting = selectors.waiting_for(session, request.user)
        if waiting:
            confirm = {"kind": "advance", "names": [user.full_name for user in waiting]}
            return _answer(request, meeting, session, confirm=confirm)
    return _step_in(
        request,
        meeting,
        session,
        lambda session: services.advance(session=session, by=request.user, from_phase=from_phase),
    )


@login_required
@require_POST
def back(request, meeting_id):
    to_phase = _number(request.POST.get("to_phase"))
    from_phase = _number(request.POST.get("from_phase"))
    return _step(
        request,
        meeting_id,
        lambda session: services.go_back(
            session=session, by=request.user, to_phase=to_phase, from_phase=from_phase
        ),
    )


@login_required
@require_POST
def reveal(request, meeting_id):
    return _step(
        request, meeting_id, lambda session: services.reveal(session=session, by=request.user)
    )


@login_required
@require_POST
def ready(request, meeting_id):
    """Mark or unmark "ready"; the form says which, so a double press does not undo it."""
    wanted = request.POST.get("ready")

    def act(session):
        mark = (
            wanted == "1"
            if wanted in {"0", "1"}
            else request.user.pk not in selectors.ready_in_current_phase(session)
        )
        step = services.mark_ready if mark else services.unmark_ready
        step(session=session, by=request.user)

    return _step(request, meeting_id, act)


@login_required
@require_POST
def timer(request, meeting_id):
    what = request.POST.get("action")

    def act(session):
        if what == "pause":
            services.pause(session=session, by=request.user)
        elif what == "resume":
            services.resume(session=session, by=request.user)
        elif what == "extend":
            minutes = request.POST.get("minutes", "")
            minutes = int(minutes) if minutes.isascii() and minutes.isdigit() else None
            services.extend(session=session, by=request.user, minutes=minutes)
        else:
            raise services.LiveError(_("Choose pause, resume or extend."))

    return _step(request, meeting_id, act)


@login_required
@require_POST
def hand_over(request, meeting_id):
    user_id = _number(request.POST.get("to"))
    to = get_user_model().objects.filter(pk=user_id).first() if user_id else None

    def act(session):
        if to is None:
            raise services.LiveError(_("Hand the lead to a member who is at the meeting."))
        services.hand_over(session=session, by=request.user, to=to)

    return _step(request, meeting_id, act)


@login_required
@require_POST
def close(request, meeting_id):
    meeting = meeting_for(request, meeting_id)
    session = _session(meeting)
    if (
        "confirmed" not in request.POST
        and session.state == LiveSession.State.RUNNING
        and policy.can(request.user, Action.LEAD_LIVE_SESSION, session)
    ):
        return _answer(request, meeting, session, confirm={"kind": "close"})
    closing = session.state == LiveSession.State.RUNNING
    response = _step_in(
        request,
        meeting,
        session,
        lambda session: services.close_session(session=session, by=request.user),
    )
    session.refresh_from_db()
    if closing and session.state == LiveSession.State.CLOSED and response.status_code == 302:
        return redirect(_after_close_url(session, request.user))
    return response


@login_required
def plan_round(request, group_id):
    """A new written round of the group: its method, then (on the meeting's page) its
    case; its process facilitator starts it from the round's page."""
    from kring.groups.models import Group
    from kring.methods.services import methods_for_programme

    group = policy.get_or_deny(
        request.user,
        Action.PLAN_WRITTEN_ROUND,
        Group.objects.select_related("programme"),
        pk=group_id,
    )
    available = methods_for_programme(group.programme)
    rows = sorted(
        ((method, method.current) for method in available if method.current is not None),
        key=lambda row: row[1].name.lower(),
    )
    chosen = request.POST.get("method", "") if request.method == "POST" else ""
    error = ""
    if request.method == "POST":
        method_pk = database_id(chosen) if chosen else None
        method = available.filter(pk=method_pk).first() if method_pk else None
        if method is None:
            error = _("Choose one of the methods in the list.")
        else:
            try:
                meeting = written.plan_round(
                    group=group, by=request.user, method_version=method.current
                )
            except written.RoundError as problem:
                error = str(problem)
            else:
                messages.success(
                    request,
                    _(
                        "The written round is planned. Choose its case; then its process "
                        "facilitator starts it."
                    ),
                )
                return redirect("planning:meeting_detail", meeting_id=meeting.pk)
    return render(
        request,
        "live/plan_round.html",
        {"group": group, "rows": rows, "chosen": chosen, "error": error},
        status=400 if error else 200,
    )
