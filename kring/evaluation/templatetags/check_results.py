from django import template
from django.http import Http404

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.evaluation import services

register = template.Library()


@register.inclusion_tag("evaluation/_results.html", takes_context=True)
def check_results(context, meeting):
    """The check's aggregate on the meeting page, for those who may see it; nothing for
    everyone else (no refusal is recorded: the page itself was theirs to see)."""
    user = context["request"].user
    if not policy.check_is_open(meeting) or not policy.can(
        user, Action.VIEW_CHECK_RESULTS, meeting
    ):
        return {"check": None}
    try:
        check = policy.read_check_results(user, meeting)
    except Http404:
        check = None
    may_answer = policy.can(user, Action.ANSWER_CHECK, meeting) and not services.has_answered(
        meeting=meeting, user=user
    )
    return {"check": check, "meeting": meeting, "may_answer": may_answer, "heading_level": 2}
