from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kring.confidentiality.policy import Action, can, get_or_deny
from kring.core.feedback import report_form_errors
from kring.programmes.models import Programme

from . import agenda, calendar, services
from .forms import KickoffAttendanceForm, KickoffForm, QuestionForm
from .models import Kickoff, KickoffQuestion


def _kickoff(request, action, kickoff_id):
    return get_or_deny(
        request.user, action, Kickoff.objects.select_related("programme"), pk=kickoff_id
    )


@login_required
def programme_kickoffs(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_KICKOFFS, Programme, pk=programme_id)
    kickoffs = list(programme.kickoffs.all())
    questions = (
        KickoffQuestion.objects.filter(kickoff__programme=programme)
        .select_related("kickoff", "noted_by")
        .order_by("kickoff__starts_at", "noted_at")
    )
    return render(
        request,
        "kickoffs/list.html",
        {"programme": programme, "kickoffs": kickoffs, "questions": questions},
    )


@login_required
def create(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_KICKOFFS, Programme, pk=programme_id)
    form = KickoffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            kickoff = services.plan_kickoff(
                programme=programme, by=request.user, **form.cleaned_data
            )
        except services.KickoffError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The kick-off is planned. Invite its audience next."))
            return redirect("kickoffs:detail", kickoff_id=kickoff.pk)
    return render(request, "kickoffs/form.html", {"programme": programme, "form": form})


@login_required
def edit(request, kickoff_id):
    kickoff = _kickoff(request, Action.MANAGE_KICKOFFS, kickoff_id)
    initial = {
        "starts_at": kickoff.starts_at,
        "duration_minutes": kickoff.duration_minutes,
        "location": kickoff.location,
        "video_link": kickoff.video_link,
    }
    form = KickoffForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_kickoff(kickoff=kickoff, by=request.user, **form.cleaned_data)
        except services.KickoffError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The kick-off is changed; everyone invited is told."))
            return redirect("kickoffs:detail", kickoff_id=kickoff.pk)
    return render(
        request,
        "kickoffs/form.html",
        {"programme": kickoff.programme, "form": form, "kickoff": kickoff},
    )


def _detail_context(request, kickoff, question_form=None) -> dict:
    user = request.user
    manages = can(user, Action.MANAGE_KICKOFFS, kickoff.programme)
    notes = can(user, Action.NOTE_KICKOFF_QUESTION, kickoff)
    context = {
        "kickoff": kickoff,
        "programme": kickoff.programme,
        "manages": manages,
        "notes": notes,
        "own_invitation": kickoff.invitations.filter(user=user).first(),
        "now": timezone.now(),
    }
    if manages:
        invitations = list(kickoff.invitations.select_related("user"))
        invited = {invitation.user_id for invitation in invitations}
        context["invitations"] = invitations
        context["not_yet_invited"] = [
            person for person in services.audience_of(kickoff) if person.pk not in invited
        ]
        context["attendance_form"] = KickoffAttendanceForm(invitations=invitations)
        context["attended"] = sum(1 for i in invitations if i.status == i.Status.ATTENDED)
    if notes:
        context["questions"] = kickoff.questions.select_related("noted_by")
        context["question_form"] = question_form or QuestionForm()
    return context


@login_required
def detail(request, kickoff_id):
    kickoff = _kickoff(request, Action.VIEW_KICKOFF, kickoff_id)
    return render(request, "kickoffs/detail.html", _detail_context(request, kickoff))


@login_required
@require_POST
def invite(request, kickoff_id):
    kickoff = _kickoff(request, Action.MANAGE_KICKOFFS, kickoff_id)
    try:
        count = services.send_invitations(kickoff=kickoff, by=request.user)
    except services.KickoffError as error:
        messages.error(request, str(error))
    else:
        if count:
            messages.success(
                request,
                ngettext(
                    "%(count)d person has been invited.",
                    "%(count)d people have been invited.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.info(request, _("Everyone of the audience had been invited already."))
    return redirect("kickoffs:detail", kickoff_id=kickoff.pk)


@login_required
@require_POST
def attendance(request, kickoff_id):
    kickoff = _kickoff(request, Action.MANAGE_KICKOFFS, kickoff_id)
    form = KickoffAttendanceForm(
        request.POST, invitations=kickoff.invitations.select_related("user")
    )
    if form.is_valid():
        services.record_attendance(kickoff=kickoff, statuses=form.statuses(), by=request.user)
        messages.success(request, _("Attendance saved."))
    else:
        report_form_errors(request, form)
    return redirect("kickoffs:detail", kickoff_id=kickoff.pk)


@login_required
@require_POST
def note_question(request, kickoff_id):
    kickoff = _kickoff(request, Action.NOTE_KICKOFF_QUESTION, kickoff_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.note_question(kickoff=kickoff, by=request.user, **form.cleaned_data)
        except services.KickoffError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Noted for the coordinator."))
            return redirect("kickoffs:detail", kickoff_id=kickoff.pk)
    # What was typed is not lost: the page shows it again, with what is wrong.
    return render(request, "kickoffs/detail.html", _detail_context(request, kickoff, form))


@login_required
def presentation(request, kickoff_id):
    kickoff = _kickoff(request, Action.VIEW_KICKOFF, kickoff_id)
    return render(
        request,
        "kickoffs/presentation.html",
        {"kickoff": kickoff, "programme": kickoff.programme, "slides": agenda.slides(kickoff)},
    )


@login_required
def invitation_ics(request, kickoff_id):
    kickoff = _kickoff(request, Action.VIEW_KICKOFF, kickoff_id)
    response = HttpResponse(
        calendar.invitation(kickoff, request.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{calendar.filename(kickoff)}"'
    return response
