from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality.policy import Action, can, get_or_deny
from kring.core.feedback import report_form_errors
from kring.groups.models import Group
from kring.organisations.models import Organisation
from kring.programmes.models import Programme

from . import calendar, scheduler, services
from .forms import (
    AbsenceForm,
    AttendanceForm,
    ConfirmOptionForm,
    PlanningRulesForm,
    PollAnswerForm,
    PollForm,
    RescheduleForm,
    RoomForm,
)
from .models import Attendance, DatePoll, Meeting, PlanningRun, PollAnswer, PollOption, Room


def _meeting(request, action, meeting_id):
    return get_or_deny(
        request.user, action, Meeting.objects.select_related("group__facilitator"), pk=meeting_id
    )


@login_required
def meeting_detail(request, meeting_id):
    meeting = _meeting(request, Action.VIEW_MEETING, meeting_id)
    user = request.user
    manages = can(user, Action.MANAGE_MEETINGS, meeting.group)
    attendances = {a.user_id: a for a in meeting.attendances.all()}
    context = {
        "meeting": meeting,
        "manages": manages,
        "is_member": can(user, Action.REPORT_ABSENCE, meeting),
        "own_attendance": attendances.get(user.pk),
        "absence_form": AbsenceForm(),
    }
    if manages:
        members = [m.user for m in meeting.group.memberships.current().select_related("user")]
        context["attendance_form"] = AttendanceForm(
            members=members, current={k: v.status for k, v in attendances.items()}
        )
        context["reschedule_form"] = RescheduleForm(
            meeting=meeting,
            initial={
                "starts_at": meeting.starts_at,
                "location": meeting.location,
                "online_link": meeting.online_link,
            },
        )
        # Reasons are for the group's own facilitator; coordinators see only the status.
        context["absences"] = [
            {
                "user": next((m for m in members if m.pk == user_id), None),
                "reason": a.reason if can(user, Action.VIEW_ABSENCE_REASON, a) else "",
            }
            for user_id, a in attendances.items()
            if a.status == Attendance.Status.ABSENT_WITH_NOTICE
        ]
    return render(request, "planning/meeting_detail.html", context)


@login_required
def meeting_ics(request, meeting_id):
    meeting = _meeting(request, Action.VIEW_MEETING, meeting_id)
    response = HttpResponse(
        calendar.invitation(meeting, services.people_of(meeting)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="bijeenkomst.ics"'
    return response


@login_required
@require_POST
def reschedule(request, meeting_id):
    meeting = _meeting(request, Action.MANAGE_MEETINGS, meeting_id)
    form = RescheduleForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.reschedule(meeting=meeting, **form.cleaned_data)
            messages.success(request, _("The meeting has been moved; everyone has been told."))
        except services.PlanningError as error:
            messages.error(request, str(error))
    else:
        report_form_errors(request, form)
    return redirect("planning:meeting_detail", meeting_id=meeting.pk)


@login_required
@require_POST
def cancel(request, meeting_id):
    meeting = _meeting(request, Action.MANAGE_MEETINGS, meeting_id)
    try:
        services.cancel(meeting=meeting)
        messages.success(request, _("The meeting has been cancelled; everyone has been told."))
    except services.PlanningError as error:
        messages.error(request, str(error))
    return redirect("planning:meeting_detail", meeting_id=meeting.pk)


@login_required
@require_POST
def absence(request, meeting_id):
    meeting = _meeting(request, Action.REPORT_ABSENCE, meeting_id)
    if request.POST.get("withdraw"):
        services.withdraw_absence(meeting=meeting, user=request.user)
        messages.success(request, _("Good to have you there after all."))
        return redirect("planning:meeting_detail", meeting_id=meeting.pk)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            services.report_absence(meeting=meeting, user=request.user, **form.cleaned_data)
            messages.success(
                request, _("Your absence has been reported. Thank you for letting us know.")
            )
        except services.PlanningError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Please give a reason for your absence."))
    return redirect("planning:meeting_detail", meeting_id=meeting.pk)


@login_required
@require_POST
def attendance(request, meeting_id):
    meeting = _meeting(request, Action.MANAGE_MEETINGS, meeting_id)
    members = [m.user for m in meeting.group.memberships.current().select_related("user")]
    form = AttendanceForm(request.POST, members=members, current={})
    if form.is_valid():
        services.record_attendance(meeting=meeting, statuses=form.statuses())
        messages.success(request, _("Attendance has been recorded."))
    return redirect("planning:meeting_detail", meeting_id=meeting.pk)


@login_required
def group_attendance(request, group_id):
    group = get_or_deny(request.user, Action.MANAGE_MEETINGS, Group, pk=group_id)
    return render(
        request,
        "planning/attendance.html",
        {"group": group, "rates": services.attendance_rates(group)},
    )


# Polls


@login_required
def poll_create(request, group_id):
    group = get_or_deny(request.user, Action.MANAGE_MEETINGS, Group, pk=group_id)
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        poll = services.create_poll(
            group=group,
            title=form.cleaned_data["title"],
            starts=form.cleaned_data["starts"],
            by=request.user,
        )
        return redirect("planning:poll", poll_id=poll.pk)
    return render(request, "planning/poll_form.html", {"group": group, "form": form})


@login_required
def poll_detail(request, poll_id):
    poll = get_or_deny(request.user, Action.VIEW_GROUP, DatePoll, pk=poll_id)
    user = request.user
    may_answer = can(user, Action.ANSWER_POLL, poll)
    manages = can(user, Action.MANAGE_MEETINGS, poll.group)
    options = list(poll.options.all())
    current = {a.option_id: a for a in PollAnswer.objects.filter(option__poll=poll, user=user)}
    form = PollAnswerForm(request.POST or None, options=options, current=current)
    if request.method == "POST" and not may_answer and not poll.is_closed:
        raise PermissionDenied  # a closed poll says so below; others may not answer at all
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_poll(poll=poll, user=user, answers=form.answers())
            messages.success(request, _("Thank you, your answers are saved."))
            return redirect("planning:poll", poll_id=poll.pk)
        except services.PlanningError as error:
            messages.error(request, str(error))
    return render(
        request,
        "planning/poll.html",
        {
            "poll": poll,
            "form": form,
            "can_answer": may_answer,
            "manages": manages,
            "ranking": services.ranking(
                poll, with_comments=can(user, Action.VIEW_GROUP_CONTENT, poll.group)
            ),
            "confirm_form": ConfirmOptionForm(
                initial={"online_link": poll.group.programme.video_link}
                if poll.group.programme.mode == Programme.Mode.ONLINE
                else {"location": scheduler.group_location(poll.group) or ""}
            ),
        },
    )


@login_required
@require_POST
def poll_confirm(request, option_id):
    option = get_or_deny(request.user, Action.MANAGE_MEETINGS, PollOption, pk=option_id)
    form = ConfirmOptionForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("planning:poll", poll_id=option.poll_id)
    meeting = services.confirm_poll_option(option=option, **form.cleaned_data)
    messages.success(request, _("The meeting is planned; everyone gets an invitation."))
    return redirect("planning:meeting_detail", meeting_id=meeting.pk)


# Calendar feed


@login_required
def my_calendar(request):
    """Only a hash of the feed address is kept, so the page cannot show it again; it
    offers a new one instead. Looking makes nothing: the address is made by the POST."""
    return render(
        request,
        "planning/calendar.html",
        {"has_feed": request.user.calendar_token_hash is not None, "feed_url": None},
    )


@login_required
@require_POST
def reset_calendar(request):
    had_feed = request.user.calendar_token_hash is not None
    token = services.reset_calendar_token(user=request.user)
    feed_url = request.build_absolute_uri(reverse("planning:feed", kwargs={"token": token}))
    if had_feed:
        messages.success(
            request, _("You have a new calendar address; the old one no longer works.")
        )
    # Shown in this answer only: the address is not kept anywhere it could be shown again.
    response = render(request, "planning/calendar.html", {"has_feed": True, "feed_url": feed_url})
    response["Cache-Control"] = "no-store"
    return response


def feed(request, token):
    """The personal feed: the secret in the address is the key, so no login is needed."""
    user = services.user_for_feed_token(token)
    if user is None:
        raise Http404
    response = HttpResponse(
        calendar.feed(services.feed_meetings(user)), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=900"
    return response


# Programme-wide planning


@login_required
def programme_planning(request, programme_id):
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    latest = programme.planning_runs.first()
    initial = latest.rules if latest else scheduler.default_rules(programme)
    if isinstance(initial.get("start_times"), list):
        initial = {**initial, "start_times": ", ".join(initial["start_times"])}
    form = PlanningRulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        run = scheduler.start_planning(programme=programme, rules=form.rules(), by=request.user)
        return redirect("planning:run", run_id=run.pk)
    return render(
        request,
        "planning/programme_planning.html",
        {
            "programme": programme,
            "form": form,
            "runs": programme.planning_runs.all()[:10],
            "rooms": Room.objects.filter(organisation=programme.organisation).select_related(
                "location"
            ),
        },
    )


@login_required
def run_detail(request, run_id):
    run = get_or_deny(request.user, Action.MANAGE_PROGRAMME, PlanningRun, pk=run_id)
    programme = run.programme
    groups = {group.pk: group for group in programme.groups.all()}
    rooms = {room.pk: room for room in Room.objects.filter(organisation=programme.organisation)}
    plan = [
        {
            "group": groups.get(item["group"]),
            "meetings": [{**m, "room": rooms.get(m["room"])} for m in item["meetings"]],
        }
        for item in run.plan
    ]
    return render(
        request,
        "planning/run.html",
        {
            "programme": programme,
            "run": run,
            "plan": plan,
            "running": run.status in (PlanningRun.Status.QUEUED, PlanningRun.Status.RUNNING),
        },
    )


@login_required
@require_POST
def run_confirm(request, run_id):
    run = get_or_deny(request.user, Action.MANAGE_PROGRAMME, PlanningRun, pk=run_id)
    programme = run.programme
    try:
        meetings = scheduler.confirm_planning(run=run)
    except services.PlanningError as error:
        messages.error(request, str(error))
        return redirect("planning:run", run_id=run.pk)
    messages.success(
        request,
        _("%(count)s meetings are planned; everyone gets an invitation.")
        % {"count": len(meetings)},
    )
    return redirect("programmes:detail", programme_id=programme.pk)


@login_required
def rooms(request, slug):
    organisation = get_or_deny(request.user, Action.MANAGE_PEOPLE, Organisation, slug=slug)
    form = RoomForm(request.POST or None)
    form.fields["location"].queryset = organisation.locations.all()
    if request.method == "POST" and form.is_valid():
        services.add_room(organisation=organisation, **form.cleaned_data)
        messages.success(request, _("The room has been added."))
        return redirect("planning:rooms", slug=slug)
    return render(
        request,
        "planning/rooms.html",
        {
            "organisation": organisation,
            "form": form,
            "rooms": Room.objects.filter(organisation=organisation).select_related("location"),
        },
    )
