"""The rota on other apps' pages: the group page and the meeting page.

Shown only to whom `Action.VIEW_ROTA` allows (the group, its facilitator, coordinators).
"""

from django import template

from kring.confidentiality.policy import Action, can

from .. import rota

register = template.Library()


@register.inclusion_tag("meetings/_group_rota.html", takes_context=True)
def group_rota(context, group):
    user = context["request"].user
    if not can(user, Action.VIEW_ROTA, group):
        return {"visible": False}
    coming = rota.series(group)[:3]
    return {
        "visible": True,
        "group": group,
        "stage": rota.current_stage(group),
        "stage_label": rota.STAGE_LABELS.get(rota.current_stage(group)),
        "rows": rota.roles_of(coming, group),
    }


@register.inclusion_tag("meetings/_meeting_roles.html", takes_context=True)
def meeting_roles(context, meeting):
    user = context["request"].user
    if not can(user, Action.VIEW_ROTA, meeting.group):
        return {"visible": False}
    (row,) = rota.roles_of([meeting], meeting.group)
    return {
        "visible": True,
        "row": row,
        "group": meeting.group,
        "stage_label": rota.STAGE_LABELS.get(row.stage),
    }
