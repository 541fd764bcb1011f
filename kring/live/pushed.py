"""The stage sent over a device's own socket after a change: the same fragment the stage
URL answers, rendered for that socket's viewer through the policy.

The channel layer carries only "changed, version N"; each socket's consumer then renders
its own person's view here, so a device needs no request of its own to follow the
session (a request costs a round trip and the whole middleware stack, eight times per
change of a group). Rendering is a check: anyone the policy no longer lets see the
session gets None, and the consumer closes the socket.
"""

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

from kring.accounts.middleware import chosen_language
from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core.prepared import PreparedQuery

from . import views
from .models import LiveSession


@dataclass(frozen=True)
class PushedStage:
    version: int
    # None: the stage could not be made here (no CSRF cookie to put in its forms yet);
    # the device is told the version and fetches the stage itself.
    html: str | None


def _csrf_secret(cookies: dict) -> str | None:
    """The browser's CSRF secret from its cookie, so that the forms in a pushed stage
    carry a token the browser's next post is accepted with."""
    secret = cookies.get(settings.CSRF_COOKIE_NAME) or ""
    if len(secret) != CSRF_SECRET_LENGTH or set(secret) - set(CSRF_ALLOWED_CHARS):
        return None
    return secret


# The session with all the stage shows of its meeting, the ties version and the record's
# change counter, in one query compiled once.
_SESSION = PreparedQuery(
    lambda session_id: (
        LiveSession.objects.select_related(
            "led_by", *(f"meeting__{related}" for related in views.MEETING_RELATED)
        )
        .defer(f"meeting__{views.MEETING_DEFERRED}")
        .annotate(ties_version=policy.ties_version(), record_version=policy.record_change_counter())
        .filter(pk=session_id)
    )
)


def stage_for(user_id: int | None, session_id: int, cookies: dict, host: str) -> PushedStage | None:
    """The stage of session `session_id` as the person `user_id` sees it now, for a
    browser with `cookies` on the site at `host` (the socket's Host header); None when
    they may not see it (or it or they no longer exist)."""
    session = _SESSION.get(session_id)
    if session is None:
        return None
    with policy.viewer_scope():
        # The person's ties as kept since the last change of anyone's (read with the
        # session): the render asks the policy, as the stage URL does, without reading
        # them again for every stage.
        user = policy.kept_user(user_id, session.ties_version)
        if user is None or not policy.can(user, Action.VIEW_LIVE_SESSION, session.meeting):
            return None
        secret = _csrf_secret(cookies)
        if secret is None:
            return PushedStage(session.version, None)
        request = HttpRequest()
        request.method = "GET"
        request.user = user
        request.COOKIES = cookies
        request.META["HTTP_HOST"] = host  # the stage names the room screen's address
        request.kring_fragment = True  # no header: its context is not needed
        request.LANGUAGE_CODE = language = chosen_language(request)
        with translation.override(language):
            context = views.stage_context(
                request,
                session.meeting,
                session,
                fresh=False,
                record_version=session.record_version,
            )
            token = _masked_token(secret)
            if context["live"]["leads"]:  # the lead's stage: the room screen's control too
                context["csrf_token"] = token
                return PushedStage(session.version, render_to_string(views.STAGE, context, request))
            return PushedStage(session.version, _shared_stage(session, language, context, token))


# The stages of those who do not lead, one per view at each version: after a change the
# members without a role of a group see the same stage, and each render is most of a
# pushed stage's cost. Such a stage is rendered from its context alone (no request: no
# context processor, no viewer but what the context holds), with slots for the two
# values that differ per device (the CSRF token in the forms, the server's time for the
# clock offset), so two viewers share it only when their contexts are equal: what each
# gets is what their own render would have made.
_STAGES_KEPT = 1000
_stages: OrderedDict[tuple, str] = OrderedDict()
_stages_lock = threading.Lock()
_TOKEN_SLOT = f"kring-token-{secrets.token_hex(8)}"
_NOW_SLOT = f"kring-now-{secrets.token_hex(8)}"


def _view_key(session: LiveSession, language: str, context: dict) -> tuple:
    meeting = context["meeting"]
    values = {
        name: str(value) if isinstance(value, Promise) else value
        for name, value in context.items()
        if name not in {"meeting", "session", "live"}
    }
    live = {name: value for name, value in context["live"].items() if name != "server_now"}
    # The meeting and the session as the stage shows them are those of the version.
    where = (session.pk, meeting.uid, session.version, meeting.status, meeting.method_version_id)
    return (*where, language, repr(sorted(values.items())), repr(live))


def _shared_stage(session: LiveSession, language: str, context: dict, token: str) -> str:
    key = _view_key(session, language, context)
    with _stages_lock:
        html = _stages.get(key)
    if html is None:
        slotted = {**context, "csrf_token": _TOKEN_SLOT}
        slotted["live"] = {**context["live"], "server_now": _NOW_SLOT}
        html = render_to_string(views.STAGE, slotted)
        with _stages_lock:
            _stages[key] = html
            while len(_stages) > _STAGES_KEPT:
                _stages.popitem(last=False)
    return html.replace(_TOKEN_SLOT, token).replace(_NOW_SLOT, context["live"]["server_now"])


# A masked token per CSRF secret, made once: masking draws 32 random characters from the
# system's generator, which cost more than the rest of a stage on a busy server. Any
# masked form of the browser's secret is accepted with it.
_MASKED_KEPT = 5000
_masked: dict[str, str] = {}


def _masked_token(secret: str) -> str:
    token = _masked.get(secret)
    if token is None:
        if len(_masked) >= _MASKED_KEPT:
            _masked.clear()
        request = HttpRequest()
        request.META["CSRF_COOKIE"] = secret
        token = _masked[secret] = get_token(request)
    return token
