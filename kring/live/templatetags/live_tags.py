"""The way into the live page from the meeting page: for those who may see the session,
when the meeting is planned with a method, or while its session runs."""

from django import template

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.live.models import LiveSession
from kring.planning.models import Meeting

register = template.Library()


@register.inclusion_tag("live/_meeting_link.html", takes_context=True)
def live_link(context, meeting):
    user = context["request"].user
    if not policy.can(user, Action.VIEW_LIVE_SESSION, meeting):
        return {"visible": False}
    state = (
        LiveSession.objects.filter(meeting=meeting).values_list("state", flat=True).first()
        or LiveSession.State.NOT_STARTED
    )
    running = state == LiveSession.State.RUNNING
    planned = meeting.status == Meeting.Status.PLANNED and meeting.method_version_id is not None
    return {
        "visible": running or (planned and state == LiveSession.State.NOT_STARTED),
        "running": running,
        "meeting": meeting,
    }
