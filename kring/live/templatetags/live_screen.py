"""The lead's control of the room screen, for `live/_screen_control.html` in the stage."""

from django import template

from kring.confidentiality import policy
from kring.confidentiality.policy import Action

from .. import screen as screens

register = template.Library()


@register.simple_tag(takes_context=True)
def room_screen_control(context):
    """The session's screen (waiting for its code, or on) and the address to type, for
    whoever may open it; None for everyone else (and for online meetings)."""
    session = context.get("session")
    request = context.get("request")
    if session is None or request is None:
        return None
    if not policy.can(request.user, Action.OPEN_ROOM_SCREEN, session):
        return None
    screen = screens.current_screen(session)
    code = screen.code if screen is not None and screen.paired_at is None else ""
    return {
        "screen": screen,
        "code": f"{code[:3]} {code[3:]}" if code else "",
        "address": f"{request.get_host()}/scherm/",
    }
