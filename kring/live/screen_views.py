"""The room screen's pages: pairing at /scherm/, the projected view and its fragment
(signed in as nobody: the token in the browser's session is the screen's only key), and
the lead's buttons to open and close it. The screen itself posts nothing but its code.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core.forms import database_id
from kring.planning.models import Meeting

from . import screen as screens
from . import services


def clock(seconds: int | None) -> str:
    """Time left as m:ss, overtime as +m:ss (live-screen.js keeps it going)."""
    if seconds is None:
        return ""
    sign = "+" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{minutes}:{rest:02d}"


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _browser(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


def _paired_screen(request):
    return screens.screen_for_token(request.session.get(screens.SESSION_KEY))


@require_http_methods(["GET", "POST"])
def pair(request):
    """Type the code shown on the lead's device; a paired browser goes on to its view."""
    error = ""
    status = 200
    if request.method == "POST":
        try:
            _screen, token = screens.pair(
                code=request.POST.get("code", ""),
                browser=_browser(request),
                address=_address(request),
            )
        except screens.Throttled as refusal:
            error, status = str(refusal), 429
        except screens.WrongCode as refusal:
            error, status = str(refusal), 400
        else:
            request.session.cycle_key()  # a new session for the paired screen
            request.session[screens.SESSION_KEY] = token
            return redirect("screen:view")
    elif _paired_screen(request) is not None:
        return redirect("screen:view")
    else:
        _browser(request)  # wrong codes are counted per browser session from the start
    return render(
        request,
        "live/screen_pair.html",
        {"error": error, "closed": "closed" in request.GET and not error},
        status=status,
    )


def _context(screen) -> dict:
    data = screens.screen_snapshot(screen, timezone.now())
    return {"live": data, "timer_text": clock(data["remaining_seconds"])}


@require_GET
def view(request):
    screen = _paired_screen(request)
    if screen is None:
        request.session.pop(screens.SESSION_KEY, None)
        return redirect("screen:pair")
    return render(request, "live/screen.html", _context(screen))


@require_GET
def stage(request):
    screen = _paired_screen(request)
    if screen is None:
        raise Http404
    return render(request, "live/screen_stage.html", _context(screen))


def _lead_step(request, meeting_id, act):
    meeting = (
        Meeting.objects.select_related("group__programme__organisation")
        .filter(pk=database_id(meeting_id))
        .first()
    )
    if meeting is None or not policy.can(request.user, Action.VIEW_LIVE_SESSION, meeting):
        raise Http404
    session = services.session_for(meeting)
    try:
        act(session)
    except screens.ScreenError as error:
        raise PermissionDenied(str(error)) from error
    # An ordinary form (not one live.js posts): back to the live page, which shows the code.
    return redirect("live:page", meeting_id=meeting.pk)


@login_required
@require_POST
def open_screen(request, meeting_id):
    return _lead_step(
        request,
        meeting_id,
        lambda session: screens.open_screen(session=session, by=request.user),
    )


@login_required
@require_POST
def close_screen(request, meeting_id):
    return _lead_step(
        request,
        meeting_id,
        lambda session: screens.close_screen(session=session, by=request.user),
    )
