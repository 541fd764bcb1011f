"""Reading methods for the pages: which a person sees, in their language, filtered."""

from dataclasses import dataclass

from kring.confidentiality.policy import Action, can, viewer_of
from kring.organisations.models import ClientRelation, Organisation

from . import structure
from .models import Method, MethodVersion


def visible_methods(user):
    """Built-ins, and the methods of the organisations the person belongs to or manages,
    and of the facilitation firms that work for their organisations."""
    viewer = viewer_of(user)
    organisations = set(viewer.org_roles) | viewer.clients_managed
    organisations |= set(
        ClientRelation.objects.filter(client_id__in=viewer.org_roles).values_list(
            "firm_id", flat=True
        )
    )
    return (
        Method.objects.filter(organisation=None)
        | Method.objects.filter(organisation_id__in=organisations)
    ).select_related("organisation")


def copy_targets(user) -> list[Organisation]:
    """The organisations the person may copy or import a method into."""
    viewer = viewer_of(user)
    ids = set(viewer.org_roles) | viewer.clients_managed
    return [
        org
        for org in Organisation.objects.filter(pk__in=ids).order_by("name")
        if can(user, Action.COPY_METHOD, org)
    ]


@dataclass
class Row:
    method: Method
    version: MethodVersion


def library(user, *, complexity: str = "", case_kind: str = "") -> list[Row]:
    methods = list(visible_methods(user))
    latest = {}
    for version in MethodVersion.objects.filter(method__in=methods).order_by("number"):
        latest[version.method_id] = version
    rows = []
    for method in methods:
        version = latest.get(method.pk)
        if version is None:
            continue
        if complexity in structure.COMPLEXITY and version.complexity != complexity:
            continue
        if case_kind in structure.CASE_KINDS and case_kind not in version.case_kinds:
            continue
        rows.append(Row(method, version))
    order = list(structure.COMPLEXITY)
    rows.sort(
        key=lambda row: (
            row.method.organisation_id is None,
            order.index(row.version.complexity),
            row.version.name.lower(),
        )
    )
    return rows


def phases_for_display(version: MethodVersion) -> list[dict]:
    """The phases in the viewer's language, with labels for input and roles."""
    phases = []
    start = 0
    for number, phase in enumerate(version.content["phases"], start=1):
        phases.append(
            {
                "number": number,
                "title": version.text(phase["title"]),
                "minutes": phase["minutes"],
                "starts_at_minute": start,
                "input": phase["input"],
                "input_label": structure.INPUTS[phase["input"]],
                "on_reveal": phase["reveal"] == "on_reveal",
                "instructions": [
                    (structure.ROLES[role], version.text(text))
                    for role in structure.ROLES
                    if (text := phase["instructions"].get(role))
                ],
            }
        )
        start += phase["minutes"]
    return phases


# Suggestions for a group's next meeting.

# Held meetings before a group is ready for the next level of complexity.
EXPERIENCED_AFTER = 3
ADVANCED_AFTER = 6
RECENT_MEETINGS = 3


@dataclass
class Suggestion:
    method: Method
    version: MethodVersion
    reasons: list[str]


def level_for(held: int) -> str:
    if held >= ADVANCED_AFTER:
        return "advanced"
    if held >= EXPERIENCED_AFTER:
        return "experienced_group"
    return "new_group"


def _kinds_text(kinds: list[str]) -> str:
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    labels = [str(structure.CASE_KINDS[kind]).lower() for kind in kinds]
    joined = (
        labels[0]
        if len(labels) == 1
        else _("%(first)s and %(second)s") % {"first": ", ".join(labels[:-1]), "second": labels[-1]}
    )
    return ngettext(
        "Suits %(kinds)s, the kind of case chosen.",
        "Suits %(kinds)s, the kinds of case chosen.",
        len(labels),
    ) % {"kinds": joined}


def suggestions(meeting, *, limit: int = 4, for_user=None) -> list[Suggestion]:
    """Methods for the meeting, best first, each with why: first the method the
    programme's cycle plan gives this meeting, then those that suit the kinds of the cases
    chosen for it; complexity that grows with the meetings the group held, and not one of
    the methods of its last meetings."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from kring.meetings.selectors import chosen_case_kinds
    from kring.planning.models import Meeting

    from .cycle import plan_for_meeting
    from .services import methods_for_programme

    group = meeting.group
    held = group.meetings.filter(status=Meeting.Status.HELD).count()
    level = level_for(held)
    levels = list(structure.COMPLEXITY)
    recent = set(
        group.meetings.exclude(pk=meeting.pk)
        .exclude(method_version=None)
        .exclude(status=Meeting.Status.CANCELLED)
        .filter(starts_at__lte=meeting.starts_at)
        .order_by("-starts_at")
        .values_list("method_version__method_id", flat=True)[:RECENT_MEETINGS]
    )
    plan = plan_for_meeting(meeting)
    planned_method = plan.method.pk if plan and plan.method else None
    kinds = list(dict.fromkeys(k for k in chosen_case_kinds(meeting) if k in structure.CASE_KINDS))
    if for_user is not None and not can(for_user, Action.VIEW_GROUP_CONTENT, group):
        # A case is the group's: a coordinator learns its kind neither from a reason nor
        # from the order of the suggestions.
        kinds = []
    held_text = ngettext(
        "The group has held %(count)d meeting.",
        "The group has held %(count)d meetings.",
        held,
    ) % {"count": held}
    scored = []
    for method in methods_for_programme(group.programme).select_related("organisation"):
        version = method.current
        if version is None:
            continue
        in_plan = method.pk == planned_method
        distance = abs(levels.index(version.complexity) - levels.index(level))
        if not in_plan and (distance > 1 or method.pk in recent):
            continue
        reasons = []
        if in_plan:
            reasons.append(
                _("The programme's cycle plan gives meeting %(number)d this method.")
                % {"number": plan.number}
            )
        suits = [kind for kind in kinds if kind in version.case_kinds]
        if suits:
            reasons.append(_kinds_text(suits))
        if distance <= 1:
            step = levels.index(version.complexity) - levels.index(level)
            if step == 0:
                fit = _("%(held)s This method fits that: %(level)s.")
            elif step > 0:
                fit = _("%(held)s This method is a step further (%(level)s): a challenge.")
            else:
                fit = _("%(held)s This method is simpler (%(level)s): good for a difficult case.")
            reasons.append(
                fit
                % {
                    "held": held_text,
                    "level": str(structure.COMPLEXITY[version.complexity]).lower(),
                }
            )
        if method.pk not in recent:
            reasons.append(_("Not used at the group's last meetings."))
        if method.organisation_id is not None:
            reasons.append(
                _("Your organisation's own method.")
                if method.organisation_id == group.programme.organisation_id
                else _("A method of the firm that runs the programme.")
            )
        score = (
            not in_plan,
            not suits,
            distance,
            method.organisation_id is None,
            version.name.lower(),
        )
        scored.append((score, Suggestion(method, version, reasons)))
    scored.sort(key=lambda item: item[0])
    return [suggestion for _score, suggestion in scored[:limit]]
