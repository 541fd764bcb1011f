from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality import policy
from kring.confidentiality.policy import Action, can, get_or_deny
from kring.core.feedback import report_form_errors
from kring.core.forms import database_id
from kring.core.inline_checks import answer_inline_check
from kring.registrations import services as registrations
from kring.registrations.forms import RegistrationForm

from . import services
from .forms import (
    GoalFormSet,
    MessageFormSet,
    PreparationAssignmentForm,
    ProgrammePlanForm,
    StatusCommentForm,
)
from .models import PreparationAssignment, Programme, ProgrammeRole, Registration
from .selectors import progress_of


@login_required
def programme_list(request):
    return render(
        request,
        "programmes/list.html",
        {
            "programmes": policy.programmes_for(request.user),
            "can_create": policy.organisations_for_new_programmes(request.user).exists(),
        },
    )


def _plan_forms(request, programme, organisation):
    data = request.POST if request.method == "POST" else None
    initial = {}
    if programme.pk:
        initial = {
            "sponsor": programme.roles.filter(role=ProgrammeRole.Role.SPONSOR)
            .values_list("user", flat=True)
            .first(),
            "facilitators": list(
                programme.roles.filter(role=ProgrammeRole.Role.FACILITATOR).values_list(
                    "user", flat=True
                )
            ),
        }
    return (
        ProgrammePlanForm(data, instance=programme, organisation=organisation, initial=initial),
        GoalFormSet(data, instance=programme, prefix="goals"),
        MessageFormSet(data, instance=programme, prefix="messages"),
    )


def _rows(formset, fields: list[str]) -> list[dict]:
    """A formset's filled-in, not deleted rows as plain values for the service."""
    return [
        {"id": form.instance.pk, **{name: form.cleaned_data[name] for name in fields}}
        for form in formset.forms
        if form.has_changed() or form.instance.pk
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _edit_plan(request, programme, organisation):
    plan_form, goals, messages_ = _plan_forms(request, programme, organisation)
    if check := answer_inline_check(request, plan_form):
        return check
    if request.method == "POST" and all(f.is_valid() for f in (plan_form, goals, messages_)):
        programme = services.save_plan(
            programme=programme if programme.pk else None,
            organisation=organisation,
            plan={
                name: value
                for name, value in plan_form.cleaned_data.items()
                if name not in ("sponsor", "facilitators")
            },
            goals=_rows(goals, ["text"]),
            messages=_rows(messages_, ["send_on", "audience", "subject"]),
            sponsor=plan_form.cleaned_data.get("sponsor"),
            facilitators=plan_form.cleaned_data["facilitators"],
            by=request.user,
        )
        messages.success(request, _("The plan of approach has been saved."))
        return redirect("programmes:detail", programme_id=programme.pk)
    return render(
        request,
        "programmes/plan_form.html",
        {
            "programme": programme,
            "organisation": organisation,
            "form": plan_form,
            "goals": goals,
            "messages_formset": messages_,
        },
    )


@login_required
def programme_create(request):
    organisations = policy.organisations_for_new_programmes(request.user)
    if not organisations.exists():
        raise PermissionDenied
    chosen = database_id(request.GET.get("organisation") or request.POST.get("organisation") or "")
    organisation = organisations.filter(pk=chosen).first() if chosen else None
    if organisation is None:
        if organisations.count() > 1:
            return render(
                request, "programmes/choose_organisation.html", {"organisations": organisations}
            )
        organisation = organisations.get()
    return _edit_plan(request, Programme(organisation=organisation), organisation)


@login_required
def plan_edit(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    if programme.status != Programme.Status.DRAFT:
        messages.error(request, _("Only a draft plan can be changed. Send it back to draft first."))
        return redirect("programmes:detail", programme_id=programme.pk)
    return _edit_plan(request, programme, programme.organisation)


@login_required
def plan_print(request, programme_id):
    programme = get_or_deny(request.user, Action.VIEW_PLAN, Programme, pk=programme_id)
    return render(
        request,
        "programmes/plan_print.html",
        {
            "programme": programme,
            "team": programme.roles.exclude(role=ProgrammeRole.Role.PARTICIPANT)
            .exclude(role=ProgrammeRole.Role.LINE_MANAGER)
            .select_related("user"),
            "status_changes": programme.status_changes.select_related("by"),
        },
    )


@login_required
def programme_detail(request, programme_id):
    programme = get_or_deny(request.user, Action.VIEW_PROGRAMME, Programme, pk=programme_id)
    user = request.user
    coordinates = can(user, Action.MANAGE_PROGRAMME, programme)
    context = {
        "programme": programme,
        "groups": policy.groups_for(user, programme).select_related("facilitator"),
        "can_view_plan": can(user, Action.VIEW_PLAN, programme),
        "can_manage": coordinates,
        "moves": services.allowed_moves(programme, user),
    }
    assignments = list(programme.preparation_assignments.all())
    if coordinates:
        context["assignment_form"] = PreparationAssignmentForm()
        participants = programme.roles.filter(role=ProgrammeRole.Role.PARTICIPANT).count()
        context["assignments"] = [
            {"assignment": a, "done": a.completions.count(), "of": participants}
            for a in assignments
        ]
    elif can(user, Action.COMPLETE_ASSIGNMENT, programme):
        done = set(
            PreparationAssignment.objects.filter(
                programme=programme, completions__user=user
            ).values_list("pk", flat=True)
        )
        context["my_assignments"] = [{"assignment": a, "done": a.pk in done} for a in assignments]
    if can(user, Action.VIEW_PROGRESS, programme):
        context["progress"] = progress_of(programme)
        context["status_changes"] = programme.status_changes.select_related("by")
    return render(request, "programmes/detail.html", context)


@login_required
@require_POST
def change_status(request, programme_id):
    programme = get_or_deny(request.user, Action.CHANGE_STATUS, Programme, pk=programme_id)
    form = StatusCommentForm(request.POST)  # a comment too long or with NUL is refused
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("programmes:detail", programme_id=programme.pk)
    try:
        services.change_status(
            programme=programme,
            to_status=request.POST.get("to_status", ""),
            comment=form.cleaned_data["comment"],
            by=request.user,
        )
    except services.TransitionError as error:
        messages.error(request, str(error))
    else:
        programme.refresh_from_db(fields=["status"])
        messages.success(
            request,
            _("The programme is now: %(status)s.") % {"status": programme.get_status_display()},
        )
    return redirect("programmes:detail", programme_id=programme.pk)


@login_required
@require_POST
def send_assignment(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    form = PreparationAssignmentForm(request.POST)
    if form.is_valid():
        services.send_preparation_assignment(
            programme=programme, by=request.user, **form.cleaned_data
        )
        messages.success(
            request, _("The preparation assignment has been sent to every participant.")
        )
    else:
        report_form_errors(request, form)
    return redirect("programmes:detail", programme_id=programme.pk)


@login_required
@require_POST
def complete_assignment(request, assignment_id):
    assignment = get_or_deny(
        request.user, Action.COMPLETE_ASSIGNMENT, PreparationAssignment, pk=assignment_id
    )
    services.complete_assignment(assignment=assignment, by=request.user)
    messages.success(request, _("Marked as done. Thank you!"))
    return redirect("programmes:detail", programme_id=assignment.programme_id)


def programme_page(request, token):
    """The programme page: the seven W questions, roles, ground rules and registration."""
    programme = get_object_or_404(
        Programme.objects.select_related("organisation", "ground_rule_set"),
        registration_token=token,
    )
    if not can(request.user, Action.REGISTER, programme):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    own = None
    if request.user.is_authenticated:
        own = (
            programme.registrations.filter(user=request.user)
            .exclude(status=Registration.Status.WITHDRAWN)
            .first()
        )
    form = RegistrationForm(request.POST or None, programme=programme, user=request.user)
    if check := answer_inline_check(request, form):
        return check
    if request.method == "POST" and own is None and form.is_valid():
        try:
            registration = registrations.register(
                programme=programme,
                user=request.user,
                data=form.cleaned_data,
                wishes=form.wish_addresses(),
            )
        except registrations.RegistrationError as error:
            form.add_error(error.field, str(error))
        else:
            if not request.user.is_authenticated:
                # The same answer whether or not the address had an account: the mail to
                # the address says which it was.
                messages.info(
                    request,
                    _(
                        "Check your mailbox: we have sent a message to %(email)s. Follow "
                        "the link in it to finish your registration."
                    )
                    % {"email": form.cleaned_data["email"].strip().lower()},
                )
            elif registration.status == Registration.Status.WAITING:
                messages.warning(request, _("The programme is full: you are on the waiting list."))
            else:
                messages.success(request, _("You are registered. Welcome!"))
            return redirect("programmes:page", token=token)
    return render(
        request,
        "programmes/page.html",
        {
            "programme": programme,
            "form": form,
            "own": own,
            "is_open": registrations.registration_is_open(programme),
            "places_left": None
            if programme.capacity is None
            else max(programme.capacity - registrations.places_taken(programme), 0),
            "rules": programme.ground_rule_set.rules.all() if programme.ground_rule_set else [],
            "goals": programme.goals.all(),
        },
    )
