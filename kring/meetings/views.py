from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality.audit import record_read
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
    case = get_or_deny(
        request.user,
        Action.VIEW_CASE,
        Case.objects.select_related("group", "presenter"),
        pk=case_id,
    )
    record_read(request.user, case)
    return render(
        request,
        "meetings/case_detail.html",
        {"case": case, "can_withdraw": can(request.user, Action.WITHDRAW_CASE, case)},
    )


@login_required
@require_POST
def withdraw_case(request, case_id):
    case = get_or_deny(request.user, Action.WITHDRAW_CASE, Case, pk=case_id)
    services.withdraw_case(case=case)
    messages.success(request, _("Your case has been withdrawn."))
    return redirect("groups:detail", group_id=case.group_id)


@login_required
def learning_log(request):
    """A person's own learning log: there is no URL that shows anyone else's."""
    form = LearningLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_learning_log_entry(author=request.user, text=form.cleaned_data["text"])
        messages.success(request, _("Saved in your learning log."))
        return redirect("meetings:learning_log")
    entries = list(request.user.learning_log.all())
    record_read(request.user, entries, description="own learning log")
    return render(request, "meetings/learning_log.html", {"form": form, "entries": entries})
