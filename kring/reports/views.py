from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality import policy
from kring.confidentiality.policy import Action, get_or_deny
from kring.organisations.models import Organisation
from kring.planning.models import Meeting
from kring.programmes.models import Programme

from . import services
from .forms import (
    ReactionForm,
    ReportForm,
    ReportSettingsForm,
    SectionForm,
    SectionFormSet,
    sections_from,
)
from .models import ReportApproval, ReportFormat, approval_days


def _meeting_and_report(request, meeting_id, action: Action | None = None):
    """The meeting and its report, for those who may read it (everyone else 404,
    audited); 403 for a reader who may not do `action`."""
    meeting = get_or_deny(
        request.user,
        Action.VIEW_MEETING,
        Meeting.objects.select_related("group__programme", "method_version"),
        pk=meeting_id,
    )
    report = policy.read_report(request.user, meeting)
    if action is not None and not policy.can(request.user, action, report or meeting):
        raise PermissionDenied
    return meeting, report


def _detail_context(request, meeting, report, reaction_form=None):
    user = request.user
    context = {
        "meeting": meeting,
        "report": report,
        "may_edit": policy.can(user, Action.EDIT_REPORT, meeting),
    }
    if report is None:
        return context
    own = next(
        (r for r in report.reactions if r.user_id == user.pk and r.revision == report.revision),
        None,
    )
    context.update(
        sections=report.filled_sections(),
        state=services.approval_state(report),
        may_react=policy.can(user, Action.APPROVE_REPORT, report),
        own_reaction=own,
        reaction_form=reaction_form or ReactionForm(initial={"revision": report.revision}),
        comments=[r for r in report.reactions if r.decision == ReportApproval.Decision.COMMENT],
    )
    return context


@login_required
def detail(request, meeting_id):
    meeting, report = _meeting_and_report(request, meeting_id)
    return render(request, "reports/detail.html", _detail_context(request, meeting, report))


@login_required
def print_view(request, meeting_id):
    meeting, report = _meeting_and_report(request, meeting_id)
    if report is None:
        return redirect("reports:detail", meeting_id=meeting.pk)
    context = _detail_context(request, meeting, report)
    return render(request, "reports/print.html", context)


@login_required
@require_POST
def draft(request, meeting_id):
    meeting, report = _meeting_and_report(request, meeting_id, Action.EDIT_REPORT)
    if report is not None:
        return redirect("reports:edit", meeting_id=meeting.pk)
    try:
        services.draft_report(meeting, request.user)
    except services.ReportError as error:
        messages.error(request, str(error))
        return redirect("reports:detail", meeting_id=meeting.pk)
    messages.success(request, _("The report is drafted from the record. Check and complete it."))
    return redirect("reports:edit", meeting_id=meeting.pk)


@login_required
def edit(request, meeting_id):
    meeting, report = _meeting_and_report(request, meeting_id, Action.EDIT_REPORT)
    if report is None:
        return redirect("reports:detail", meeting_id=meeting.pk)
    form = ReportForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        was_submitted = report.status != report.Status.DRAFT
        try:
            report = services.save_report(
                report=report,
                texts=form.texts(),
                submit="submit" in request.POST,
                by=request.user,
            )
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            if report.status == report.Status.DRAFT:
                messages.success(request, _("The draft is saved."))
                return redirect("reports:edit", meeting_id=meeting.pk)
            if was_submitted:
                messages.success(
                    request,
                    _("The report is saved as revision %(number)d; the members are asked again.")
                    % {"number": report.revision},
                )
            else:
                messages.success(
                    request, _("The report is sent to the members present for approval.")
                )
            return redirect("reports:detail", meeting_id=meeting.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "reports/edit.html",
        {"meeting": meeting, "report": report, "form": form},
        status=status,
    )


@login_required
@require_POST
def react(request, meeting_id):
    meeting, report = _meeting_and_report(request, meeting_id)
    if report is None or not policy.can(request.user, Action.APPROVE_REPORT, report):
        raise PermissionDenied
    form = ReactionForm(request.POST)
    if form.is_valid():
        try:
            services.react(
                report=report,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                by=request.user,
                revision=form.cleaned_data["revision"],
            )
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            if form.cleaned_data["decision"] == ReportApproval.Decision.APPROVE:
                messages.success(request, _("Thank you: you approved the report."))
            else:
                messages.success(request, _("Your comment is saved; the note taker will see it."))
            return redirect("reports:detail", meeting_id=meeting.pk)
    report = policy.read_report(request.user, meeting)
    # What was typed stays; the revision becomes the one the page shows now.
    form.data = form.data.copy()
    form.data["revision"] = str(report.revision)
    return render(
        request,
        "reports/detail.html",
        _detail_context(request, meeting, report, reaction_form=form),
        status=400,
    )


@login_required
def settings_view(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    form = ReportSettingsForm(
        request.POST or None, initial={"approval_days": approval_days(programme)}
    )
    if request.method == "POST" and form.is_valid():
        services.save_settings(
            programme=programme, approval_days=form.cleaned_data["approval_days"], by=request.user
        )
        messages.success(request, _("The approval period is saved."))
        return redirect("programmes:detail", programme_id=programme.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "reports/settings.html",
        {"programme": programme, "form": form},
        status=status,
    )


@login_required
def format_edit(request, slug):
    organisation = get_or_deny(request.user, Action.MANAGE_REPORT_FORMAT, Organisation, slug=slug)
    own = services.own_format(organisation)
    current = own or services.default_format()
    problems = []
    if request.method == "POST":
        formset = SectionFormSet(request.POST, prefix="section")
        if formset.is_valid():
            try:
                version = services.save_format(
                    organisation=organisation,
                    sections_data=sections_from(formset),
                    by=request.user,
                )
            except services.ReportError as error:
                problems = [str(error)]
            else:
                messages.success(
                    request,
                    _("The report format is saved as version %(number)d.")
                    % {"number": version.number},
                )
                return redirect("reports:format", slug=organisation.slug)
    else:
        formset = SectionFormSet(
            prefix="section", initial=[SectionForm.initial_from(s) for s in current.sections]
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reports/format_edit.html",
        {
            "organisation": organisation,
            "current": current,
            "own": own,
            "formset": formset,
            "problems": problems,
        },
        status=status,
    )


@login_required
def format_history(request, slug):
    organisation = get_or_deny(request.user, Action.MANAGE_REPORT_FORMAT, Organisation, slug=slug)
    report_format = ReportFormat.objects.filter(organisation=organisation).first()
    versions = (
        report_format.versions.select_related("created_by").order_by("-number")
        if report_format
        else []
    )
    return render(
        request,
        "reports/format_history.html",
        {"organisation": organisation, "versions": versions},
    )
