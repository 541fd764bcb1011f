from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality import policy
from kring.confidentiality.policy import Action, can, get_or_deny

from . import services
from .models import Group


def _group(request, action, group_id):
    return get_or_deny(
        request.user,
        action,
        Group.objects.select_related("programme__organisation", "facilitator", "ground_rule_set"),
        pk=group_id,
    )


@login_required
def group_detail(request, group_id):
    group = _group(request, Action.VIEW_GROUP, group_id)
    user = request.user
    accepted = services.ground_rules_accepted_by(group)
    members = [
        {"membership": membership, "accepted": membership.user_id in accepted}
        for membership in group.memberships.current().select_related("user")
    ]
    context = {
        "group": group,
        "members": members,
        "meetings": group.meetings.all(),
        "rules": group.ground_rule_set.rules.all() if group.ground_rule_set else [],
        "can_accept": can(user, Action.ACCEPT_GROUND_RULES, group) and user.pk not in accepted,
        "can_view_content": can(user, Action.VIEW_GROUP_CONTENT, group),
        "manages_meetings": can(user, Action.MANAGE_MEETINGS, group),
        "plans_written_rounds": can(user, Action.PLAN_WRITTEN_ROUND, group),
        "polls": group.polls.filter(is_closed=False),
    }
    if context["can_view_content"]:
        context["cases"] = policy.read_backlog(user, group)
        context["can_add_case"] = can(user, Action.ADD_CASE, group)
    return render(request, "groups/detail.html", context)


@login_required
@require_POST
def accept_ground_rules(request, group_id):
    group = _group(request, Action.ACCEPT_GROUND_RULES, group_id)
    if group.ground_rule_set is not None:
        services.accept_ground_rules(group=group, by=request.user)
        messages.success(
            request, _("You have accepted the ground rules of %(group)s.") % {"group": group}
        )
    return redirect("groups:detail", group_id=group.pk)
