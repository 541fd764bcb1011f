"""The record on the meeting page: the review of the last meeting's action points, and a
link to the record with what it holds. Shown only to the group's members and facilitator
(`Action.VIEW_RECORD`); nothing for everyone else (the page itself was theirs to see, so
no refusal is recorded)."""

from django import template

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.planning.models import Meeting
from kring.records.forms import FollowUpForm

register = template.Library()


@register.inclusion_tag("records/_open_action_points.html", takes_context=True)
def open_action_points(context, meeting):
    user = context["request"].user
    if not policy.can(user, Action.VIEW_RECORD, meeting):
        return {"visible": False}
    points = policy.read_open_action_points(user, meeting)
    for point in points:
        point.may_follow_up = meeting.status != Meeting.Status.CANCELLED and policy.can(
            user, Action.FOLLOW_UP_ACTION_POINT, point.action_point
        )
    return {
        "visible": True,
        "meeting": meeting,
        "points": points,
        "statuses": FollowUpForm.base_fields["status"].choices,
    }


@register.inclusion_tag("records/_record_summary.html", takes_context=True)
def record_summary(context, meeting):
    """How far the record is (counts only, no content) and a link to it."""
    user = context["request"].user
    if not policy.can(user, Action.VIEW_RECORD, meeting):
        return {"visible": False}
    count, has_agreements = policy.record_size(user, meeting)
    return {
        "visible": True,
        "meeting": meeting,
        "count": count,
        "has_agreements": has_agreements,
        "may_edit": policy.can(user, Action.EDIT_RECORD, meeting),
    }
