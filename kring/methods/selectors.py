"""Reading methods for the pages: which a person sees, in their language, filtered."""

from dataclasses import dataclass

from kring.confidentiality.policy import Action, can, viewer_of
from kring.organisations.models import Organisation

from . import structure
from .models import Method, MethodVersion


def visible_methods(user):
    """Built-ins, and the methods of the organisations the person belongs to or manages."""
    viewer = viewer_of(user)
    organisations = set(viewer.org_roles) | viewer.clients_managed
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
