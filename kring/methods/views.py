from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kring.confidentiality.policy import Action, can, get_or_deny
from kring.core.forms import database_id

from . import cycle, selectors, services, structure
from .forms import (
    CopyForm,
    CyclePlanForm,
    ImportForm,
    MeetingThemeForm,
    MethodForm,
    PhaseFormSet,
    content_from,
)
from .models import Method


def _method(request, action, method_id) -> Method:
    return get_or_deny(
        request.user, action, Method.objects.select_related("organisation"), pk=method_id
    )


def _version(method, number):
    number = database_id(number) if number else None
    if number is None:
        return method.current
    version = method.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


@login_required
def library(request):
    complexity = request.GET.get("complexity", "")
    case_kind = request.GET.get("kind", "")
    rows = selectors.library(request.user, complexity=complexity, case_kind=case_kind)
    return render(
        request,
        "methods/library.html",
        {
            "rows": rows,
            "complexity": complexity,
            "case_kind": case_kind,
            "complexities": structure.COMPLEXITY.items(),
            "case_kinds": structure.CASE_KINDS,
            "complexity_labels": structure.COMPLEXITY,
            "may_import": bool(selectors.copy_targets(request.user)),
        },
    )


@login_required
def detail(request, method_id):
    method = _method(request, Action.VIEW_METHOD, method_id)
    version = _version(method, request.GET.get("version"))
    targets = selectors.copy_targets(request.user)
    return render(
        request,
        "methods/detail.html",
        {
            "method": method,
            "version": version,
            "is_current": version.number == method.current.number,
            "phases": selectors.phases_for_display(version),
            "roles": [structure.ROLES[role] for role in version.content["roles"]],
            "complexity": structure.COMPLEXITY[version.complexity],
            "case_kinds": [structure.CASE_KINDS[kind] for kind in version.case_kinds],
            "may_edit": can(request.user, Action.EDIT_METHOD, method),
            "copy_form": CopyForm(organisations=targets) if targets else None,
            "source": method.copied_from,
        },
    )


@login_required
@require_POST
def copy(request, method_id):
    method = _method(request, Action.VIEW_METHOD, method_id)
    targets = selectors.copy_targets(request.user)
    if not targets:
        raise PermissionDenied
    data = request.POST.copy()
    if len(targets) == 1 and not data.get("organisation"):
        data["organisation"] = str(targets[0].pk)
    form = CopyForm(data, organisations=targets)
    if not form.is_valid():
        messages.error(request, _("Choose the organisation to copy the method to."))
        return redirect("methods:detail", method_id=method.pk)
    organisation = next(org for org in targets if org.pk == form.cleaned_data["organisation"])
    copy = services.copy_method(method=method, organisation=organisation, by=request.user)
    messages.success(
        request,
        _("The method is copied to %(organisation)s. You can adapt it to your groups now.")
        % {"organisation": organisation.name},
    )
    return redirect("methods:edit", method_id=copy.pk)


@login_required
def edit(request, method_id):
    method = _method(request, Action.EDIT_METHOD, method_id)
    current = method.current
    problems = []
    if request.method == "POST":
        method_form = MethodForm(request.POST)
        phases = PhaseFormSet(request.POST, prefix="phase")
        if method_form.is_valid() and phases.is_valid():
            content = content_from(method_form, phases)
            try:
                version = services.save_version(method=method, content=content, by=request.user)
            except services.MethodError as error:
                problems = error.problems
            else:
                messages.success(
                    request,
                    _("Saved as version %(number)d.") % {"number": version.number},
                )
                return redirect("methods:detail", method_id=method.pk)
    else:
        method_form = MethodForm(initial=MethodForm.initial_from(current.content))
        phases = PhaseFormSet(
            prefix="phase",
            initial=[PhaseFormSet.form.initial_from(p) for p in current.content["phases"]],
        )
    return render(
        request,
        "methods/edit.html",
        {
            "method": method,
            "version": current,
            "method_form": method_form,
            "phases": phases,
            "problems": problems,
        },
    )


@login_required
def history(request, method_id):
    method = _method(request, Action.VIEW_METHOD, method_id)
    versions = method.versions.select_related("created_by").order_by("-number")
    return render(request, "methods/history.html", {"method": method, "versions": versions})


@login_required
def export(request, method_id):
    method = _method(request, Action.VIEW_METHOD, method_id)
    version = _version(method, request.GET.get("version"))
    name = slugify(version.content["name"]["en"]) or "method"
    response = HttpResponse(
        services.export_file(version), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-v{version.number}.json"'
    return response


@login_required
def import_method(request):
    targets = selectors.copy_targets(request.user)
    if not targets:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, organisations=targets)
    problems = []
    if request.method == "POST" and form.is_valid():
        organisation = next(org for org in targets if org.pk == form.cleaned_data["organisation"])
        try:
            method = services.import_method(
                organisation=organisation,
                data=form.cleaned_data["file"].read(services.MAX_FILE_BYTES + 1),
                by=request.user,
            )
        except services.MethodError as error:
            problems = error.problems
        else:
            messages.success(request, _("The method is imported."))
            return redirect("methods:detail", method_id=method.pk)
    return render(request, "methods/import.html", {"form": form, "problems": problems})


@login_required
def choose_for_meeting(request, meeting_id):
    """The group's facilitator or a coordinator chooses the method a meeting follows."""
    from kring.planning.models import Meeting

    meeting = get_or_deny(
        request.user,
        Action.MANAGE_MEETINGS,
        Meeting.objects.select_related("group__programme", "method_version__method"),
        pk=meeting_id,
    )
    available = services.methods_for_programme(meeting.group.programme)
    if request.method == "POST":
        method = None
        if request.POST.get("method"):
            method_pk = database_id(request.POST["method"])
            method = available.filter(pk=method_pk).first() if method_pk else None
            if method is None:
                messages.error(request, _("Choose one of the methods in the list."))
                return redirect("methods:choose_for_meeting", meeting_id=meeting.pk)
        try:
            version = services.choose_method(meeting=meeting, method=method, by=request.user)
        except services.MethodError as error:
            messages.error(request, str(error))
        else:
            if version is None:
                messages.success(request, _("The meeting has no method now."))
            else:
                messages.success(
                    request,
                    _("The meeting follows %(name)s (version %(number)d).")
                    % {"name": version.name, "number": version.number},
                )
            return redirect("planning:meeting_detail", meeting_id=meeting.pk)
        return redirect("methods:choose_for_meeting", meeting_id=meeting.pk)
    rows = sorted(
        ((method, method.current) for method in available.select_related("organisation")),
        key=lambda row: row[1].name.lower(),
    )
    return render(
        request,
        "methods/choose.html",
        {
            "meeting": meeting,
            "suggestions": selectors.suggestions(meeting, for_user=request.user),
            "rows": rows,
            "complexity_labels": structure.COMPLEXITY,
            "plan": cycle.plan_for_meeting(meeting),
            "theme_form": MeetingThemeForm(initial={"theme": meeting.theme}),
        },
    )


def _planned_meeting(request, meeting_id):
    from kring.planning.models import Meeting

    return get_or_deny(
        request.user,
        Action.MANAGE_MEETINGS,
        Meeting.objects.select_related("group__programme"),
        pk=meeting_id,
    )


@login_required
@require_POST
def meeting_theme(request, meeting_id):
    """The group's facilitator or a coordinator gives the meeting its own theme."""
    meeting = _planned_meeting(request, meeting_id)
    form = MeetingThemeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A theme is at most 200 characters."))
        return redirect("methods:choose_for_meeting", meeting_id=meeting.pk)
    try:
        cycle.set_theme(meeting=meeting, theme=form.cleaned_data["theme"], by=request.user)
    except cycle.CycleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The theme of the meeting has been saved."))
    return redirect("methods:choose_for_meeting", meeting_id=meeting.pk)


@login_required
@require_POST
def follow_cycle_plan(request, meeting_id):
    """The meeting takes the theme and method of the programme's cycle plan again."""
    meeting = _planned_meeting(request, meeting_id)
    try:
        cycle.follow_plan(meeting=meeting, by=request.user)
    except cycle.CycleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The meeting follows the programme's cycle plan again."))
    return redirect("methods:choose_for_meeting", meeting_id=meeting.pk)


@login_required
def cycle_plan(request, programme_id):
    """The programme's coordinator gives each meeting of the cycle a theme and a method."""
    from kring.programmes.models import Programme

    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    methods = sorted(
        (
            (method, method.current)
            for method in services.methods_for_programme(programme).select_related("organisation")
        ),
        key=lambda row: row[1].name.lower(),
    )
    rows = cycle.plan_rows(programme)
    form = CyclePlanForm(
        request.POST or None,
        programme=programme,
        methods=methods,
        initial=CyclePlanForm.initial_from(rows),
    )
    if request.method == "POST" and form.is_valid():
        try:
            applied = cycle.save_plan(programme=programme, entries=form.entries(), by=request.user)
        except cycle.CycleError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The cycle plan has been saved."))
            if applied.changed:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d planned meeting got its theme or method from the plan.",
                        "%(count)d planned meetings got their theme or method from the plan.",
                        applied.changed,
                    )
                    % {"count": applied.changed},
                )
            if applied.kept:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d meeting keeps the theme or method its facilitator chose.",
                        "%(count)d meetings keep the theme or method their facilitator chose.",
                        applied.kept,
                    )
                    % {"count": applied.kept},
                )
            return redirect("methods:cycle_plan", programme_id=programme.pk)
    return render(
        request,
        "methods/cycle_plan.html",
        {"programme": programme, "form": form, "complexity_labels": structure.COMPLEXITY},
    )
