from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality import policy
from kring.confidentiality.policy import Action, can, get_or_deny
from kring.groups.models import Group

from . import services
from .forms import CaseForm, LearningLogForm
from .models import Case


@login_required
def add_case(request, group_id):
    group = get_or_deny(request.user, Action.ADD_CASE, Group, pk=group_id)
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.submit_case(group=group, presenter=request.user, **form.cleaned_data)
        messages.success(request, _("Your case has been added to the group's backlog."))
        return redirect("groups:detail", group_id=group.pk)
    return render(request, "meetings/case_form.html", {"group": group, "form": form})


@login_required
def case_detail(request, case_id):
    case = policy.read_case(request.user, pk=case_id)
    return render(
        request,
        "meetings/case_detail.html",
        {
            "case": case,
            "can_withdraw": can(request.user, Action.WITHDRAW_CASE, case),
            "can_delete": can(request.user, Action.DELETE_CASE, case),
        },
    )


@login_required
@require_POST
def withdraw_case(request, case_id):
    # Only the presenter may know the case exists once it is withdrawn; everyone else 404.
    case = get_or_deny(request.user, Action.VIEW_CASE, Case, pk=case_id)
    if case.presenter_id != request.user.pk:
        raise PermissionDenied  # a reader of the case, but it is not theirs to withdraw
    try:
        services.withdraw_case(case=case, by=request.user)
    except services.CaseError as error:
        messages.error(request, str(error))
        return redirect("meetings:case_detail", case_id=case.pk)
    messages.success(request, _("Your case has been withdrawn. Only you can still see it."))
    return redirect("groups:detail", group_id=case.group_id)


@login_required
@require_POST
def delete_case(request, case_id):
    case = get_or_deny(request.user, Action.DELETE_CASE, Case, pk=case_id)
    services.delete_case(case=case, by=request.user)
    messages.success(request, _("Your case has been deleted for good."))
    return redirect("groups:detail", group_id=case.group_id)


@login_required
def learning_log(request):
    """A person's own learning log: there is no URL that shows anyone else's."""
    form = LearningLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_learning_log_entry(author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Saved in your learning log."))
        return redirect("meetings:learning_log")
    entries = policy.read_learning_log(request.user)
    return render(request, "meetings/learning_log.html", {"form": form, "entries": entries})
