"""Pages for the rota: the series as a table, the phase-out plan editor, swaps."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality.policy import Action, can, get_or_deny
from kring.core.forms import database_id
from kring.groups.models import Group
from kring.planning.models import Meeting

from . import rota
from .forms import PhaseOutForm
from .models import RoleAssignment, RoleSwap


def _member(group, raw):
    user_id = database_id(raw)
    if user_id is None or not group.memberships.current().filter(user_id=user_id).exists():
        return None
    return get_user_model().objects.get(pk=user_id)


@login_required
def rota_page(request, group_id):
    group = get_or_deny(request.user, Action.VIEW_ROTA, Group, pk=group_id)
    meetings = rota.series(group)
    is_member = group.memberships.current().filter(user=request.user).exists()
    rows = rota.roles_of(meetings, group)
    for row in rows:
        row.can_swap = is_member and can(request.user, Action.ASK_ROLE_SWAP, row.meeting)
        row.can_change = can(request.user, Action.CHANGE_ROLES, row.meeting)
        row.presenters = next(c for c in row.columns if c["value"] == "presenter")["users"]
    preference = None
    if is_member:
        from .models import PresenterPreference

        preference = (
            PresenterPreference.objects.filter(group=group, user=request.user)
            .values_list("wants_to_present", flat=True)
            .first()
        )
    return render(
        request,
        "meetings/rota.html",
        {
            "group": group,
            "rows": rows,
            "changeable": [row for row in rows if row.can_change],
            "has_fixed": any(row.fixed for row in rows),
            "members": rota._members(group),
            "roles": RoleAssignment.Role.choices,
            "stage": rota.current_stage(group),
            "can_plan": can(request.user, Action.PLAN_ROTA, group),
            "can_edit_plan": can(request.user, Action.EDIT_PHASE_OUT, group),
            "is_member": is_member,
            "wants_to_present": preference is not False,
            "swaps": rota.pending_swaps_for(request.user, group),
        },
    )


@login_required
@require_POST
def plan(request, group_id):
    group = get_or_deny(request.user, Action.PLAN_ROTA, Group, pk=group_id)
    presenters = None
    if request.POST.get("presenters_chosen"):
        # The form lists the coming meetings; a ticked one gets two presenters.
        two = {database_id(raw) for raw in request.POST.getlist("two_presenters")}
        presenters = {m.pk: 2 if m.pk in two else 1 for m in rota.series(group)}
    try:
        problems = rota.plan_rota(group=group, by=request.user, presenters=presenters)
    except rota.RotaError as error:
        messages.error(request, str(error))
        return redirect("meetings:rota", group_id=group.pk)
    for problem in problems:
        level = messages.ERROR if problem.fatal else messages.WARNING
        when = problem.meeting.starts_at.strftime("%d-%m-%Y") if problem.meeting else ""
        messages.add_message(request, level, f"{when}: {problem.text}" if when else problem.text)
    if not any(p.fatal for p in problems):
        messages.success(request, _("The rota has been planned for the coming meetings."))
    return redirect("meetings:rota", group_id=group.pk)


@login_required
def phase_out(request, group_id):
    group = get_or_deny(request.user, Action.EDIT_PHASE_OUT, Group, pk=group_id)
    meetings = list(Meeting.objects.filter(group=group).exclude(status=Meeting.Status.CANCELLED))
    form = PhaseOutForm(request.POST or None, meetings=meetings, stages=rota.stages(group))
    if request.method == "POST" and form.is_valid():
        try:
            rota.set_phase_out(group=group, stages_by_meeting=form.stages(), by=request.user)
        except rota.RotaError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The phase-out plan has been saved."))
            return redirect("meetings:rota", group_id=group.pk)
    return render(request, "meetings/phase_out.html", {"group": group, "form": form})


@login_required
@require_POST
def presenter_preference(request, group_id):
    group = get_or_deny(request.user, Action.ADD_CASE, Group, pk=group_id)
    wants = request.POST.get("wants_to_present") == "yes"
    rota.set_presenter_preference(group=group, wants_to_present=wants, by=request.user)
    messages.success(request, _("Your choice has been saved; it counts from the next rota."))
    return redirect("meetings:rota", group_id=group.pk)


@login_required
@require_POST
def ask_swap(request, meeting_id):
    meeting = get_or_deny(request.user, Action.ASK_ROLE_SWAP, Meeting, pk=meeting_id)
    asked = _member(meeting.group, request.POST.get("asked"))
    if asked is None:
        messages.error(request, _("Choose another member of the group."))
        return redirect("meetings:rota", group_id=meeting.group_id)
    try:
        rota.ask_swap(meeting=meeting, asked=asked, by=request.user)
    except rota.RotaError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Your request has been sent to %(name)s.") % {"name": asked.full_name}
        )
    return redirect("meetings:rota", group_id=meeting.group_id)


@login_required
@require_POST
def answer_swap(request, swap_id):
    swap = get_or_deny(request.user, Action.ANSWER_ROLE_SWAP, RoleSwap, pk=swap_id)
    accept = request.POST.get("answer") == "accept"
    try:
        rota.answer_swap(swap=swap, accept=accept, by=request.user)
    except rota.RotaError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("You have swapped roles.") if accept else _("You have declined the swap.")
        )
    return redirect("meetings:rota", group_id=swap.meeting.group_id)


SECOND_PRESENTER = "second_presenter"


@login_required
@require_POST
def change_role(request, meeting_id):
    """Change a role at any planned meeting of the series: the form names the meeting
    (`meeting`), the URL the one it was opened for (the same when only one is offered)."""
    meeting = get_or_deny(request.user, Action.CHANGE_ROLES, Meeting, pk=meeting_id)
    if request.POST.get("meeting"):
        chosen = database_id(request.POST["meeting"])
        meeting = get_or_deny(
            request.user,
            Action.CHANGE_ROLES,
            Meeting.objects.filter(group=meeting.group),
            pk=chosen if chosen is not None else 0,
        )
    user = _member(meeting.group, request.POST.get("user"))
    role = request.POST.get("role") or None
    second = role == SECOND_PRESENTER
    if second:
        role = RoleAssignment.Role.PRESENTER
    if user is None:
        messages.error(request, _("Choose a member of the group."))
        return redirect("meetings:rota", group_id=meeting.group_id)
    try:
        rota.change_role(
            meeting=meeting, user=user, role=role, by=request.user, second_presenter=second
        )
    except rota.RotaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role has been changed."))
    return redirect("meetings:rota", group_id=meeting.group_id)
