from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality import policy
from kring.confidentiality.policy import Action, can, get_or_deny
from kring.core.forms import database_id
from kring.groups.models import Group
from kring.planning.models import Meeting

from . import selectors, services
from .forms import CaseForm, LearningLogForm
from .models import Case, CaseVote, MeetingCase


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
    choice = MeetingCase.objects.filter(case=case).select_related("meeting").first()
    is_presenter = case.presenter_id == request.user.pk
    volunteer_for = []
    if is_presenter and choice is None and case.status == Case.Status.OPEN:
        volunteer_for = [
            meeting
            for meeting in selectors.coming_meetings(case.group)
            if can(request.user, Action.VOLUNTEER_CASE, meeting)
            and services.free_places(meeting) > 0
        ][:3]
    return render(
        request,
        "meetings/case_detail.html",
        {
            "case": case,
            "choice": choice,
            "volunteer_for": volunteer_for,
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


# Choosing the case(s) of a meeting


def _meeting_page(meeting):
    return redirect(reverse("planning:meeting_detail", args=[meeting.pk]) + "#cases")


def _case_of(request, meeting, case_id) -> Case:
    """A case of the meeting's group that the person may read (else 404, audited)."""
    case = get_or_deny(request.user, Action.VIEW_CASE, Case, pk=case_id)
    if case.group_id != meeting.group_id:
        raise Http404
    return case


def _act(request, meeting, action, success: str):
    try:
        action()
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return _meeting_page(meeting)


@login_required
@require_POST
def volunteer_case(request, meeting_id, case_id):
    meeting = get_or_deny(request.user, Action.VOLUNTEER_CASE, Meeting, pk=meeting_id)
    case = _case_of(request, meeting, case_id)
    return _act(
        request,
        meeting,
        lambda: services.volunteer_case(case=case, meeting=meeting, by=request.user),
        _("You present your case at this meeting."),
    )


@login_required
@require_POST
def choose_case(request, meeting_id, case_id):
    meeting = get_or_deny(request.user, Action.CHOOSE_CASES, Meeting, pk=meeting_id)
    case = _case_of(request, meeting, case_id)
    return _act(
        request,
        meeting,
        lambda: services.choose_case(case=case, meeting=meeting, by=request.user),
        _("The case has been chosen for this meeting."),
    )


@login_required
@require_POST
def remove_choice(request, meeting_id, case_id):
    """Its presenter or whoever chooses puts a chosen case back in the backlog."""
    meeting = get_or_deny(request.user, Action.VIEW_MEETING, Meeting, pk=meeting_id)
    case = _case_of(request, meeting, case_id)
    choice = MeetingCase.objects.filter(meeting=meeting, case=case).first()
    if choice is None:
        raise Http404
    if case.presenter_id != request.user.pk and not can(request.user, Action.CHOOSE_CASES, meeting):
        raise PermissionDenied  # a reader of the case, not theirs to undo
    return _act(
        request,
        meeting,
        lambda: services.remove_choice(choice=choice, by=request.user),
        _("The case is back in the backlog."),
    )


@login_required
@require_POST
def open_vote(request, meeting_id):
    meeting = get_or_deny(request.user, Action.CHOOSE_CASES, Meeting, pk=meeting_id)
    places = 2 if request.POST.get("places") == "2" else 1
    return _act(
        request,
        meeting,
        lambda: services.open_vote(meeting=meeting, places=places, by=request.user),
        _("The vote is open. The members can now vote on the meeting page."),
    )


@login_required
@require_POST
def cast_ballot(request, meeting_id, case_id):
    meeting = get_or_deny(request.user, Action.VOTE_ON_CASES, Meeting, pk=meeting_id)
    vote = CaseVote.objects.filter(meeting=meeting).first()
    if vote is None:
        raise Http404
    case = _case_of(request, meeting, case_id)
    return _act(
        request,
        meeting,
        lambda: services.cast_ballot(vote=vote, case=case, by=request.user),
        _("Your vote has been saved. You can change it while the vote is open."),
    )


@login_required
@require_POST
def close_vote(request, meeting_id):
    meeting = get_or_deny(request.user, Action.CHOOSE_CASES, Meeting, pk=meeting_id)
    vote = CaseVote.objects.filter(meeting=meeting).first()
    if vote is None:
        raise Http404
    return _act(
        request,
        meeting,
        lambda: services.close_vote(vote=vote, by=request.user),
        _("The vote is closed."),
    )


# The learning log


@login_required
def learning_log(request):
    """A person's own learning log: there is no URL that shows anyone else's."""
    meetings = services.linkable_meetings(request.user)
    cases = services.linkable_cases(request.user)
    initial = {}
    if request.method == "GET" and (meeting_id := database_id(request.GET.get("meeting"))):
        initial["meeting"] = meeting_id
    form = LearningLogForm(request.POST or None, meetings=meetings, cases=cases, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_learning_log_entry(author=request.user, **form.cleaned_data)
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved in your learning log."))
            return redirect("meetings:learning_log")
    entries = policy.read_learning_log(request.user)
    # A linked case shows its title only while the author may read it (an audited read).
    titles = {case.pk: case.title for case in cases}
    for entry in entries:
        entry.case_title = titles.get(entry.case_id, "")
    return render(
        request,
        "meetings/learning_log.html",
        {
            "form": form,
            "entries": entries,
            "prompts": selectors.learning_log_prompts(request.user),
        },
    )


@login_required
@require_POST
def dismiss_prompt(request, meeting_id):
    """Only for a meeting the person was at: for anyone else it does not exist."""
    meeting = next(
        (m for m in services.linkable_meetings(request.user) if m.pk == meeting_id), None
    )
    if meeting is None:
        raise Http404
    services.dismiss_prompt(author=request.user, meeting=meeting)
    messages.success(request, _("We will not ask again for this meeting."))
    if request.POST.get("next") == "log":
        return redirect("meetings:learning_log")
    return redirect(reverse("planning:meeting_detail", args=[meeting.pk]) + "#learning-log")


@login_required
def learning_log_export(request):
    """The person's own log as a printable page, with the meetings they were at and the
    hours per programme (for a portfolio or a professional register). Its entries name
    their meeting, never a case: a case is its group's and stays inside Kring."""
    entries = policy.read_learning_log(request.user)
    return render(
        request,
        "meetings/learning_log_export.html",
        {
            "entries": entries,
            "programmes": selectors.hours_per_programme(request.user),
        },
    )
