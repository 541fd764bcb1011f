"""The programme's cycle plan on the programme page: for everyone who sees the programme
(it is organisational); its coordinators also get the link to change it."""

from django import template

from kring.confidentiality.policy import Action, can

from .. import cycle

register = template.Library()


@register.inclusion_tag("methods/_cycle_plan.html", takes_context=True)
def cycle_plan(context, programme):
    user = context["request"].user
    if not can(user, Action.VIEW_PROGRAMME, programme):
        return {"visible": False}
    rows = [row for row in cycle.plan_rows(programme) if row.theme or row.method]
    can_edit = can(user, Action.MANAGE_PROGRAMME, programme)
    return {
        "visible": bool(rows) or can_edit,
        "programme": programme,
        "rows": rows,
        "can_edit": can_edit,
    }
