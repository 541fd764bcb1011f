from datetime import date, time

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
from kring.core.forms import database_id
from kring.groups.models import Group
from kring.organisations.models import Organisation
from kring.programmes.models import Programme

from . import calendar, scheduler, services
from .explain import explain_all
from .forms import (
    AbsenceForm,
    AttendanceForm,
    BlackoutForm,
    ConfirmOptionForm,
    PlanningRulesForm,
    PollAnswerForm,
    PollForm,
    RescheduleForm,
    RoomForm,
)
from .models import (
    Attendance,
    DatePoll,
    Meeting,
    PlanningRun,
    PollAnswer,
    PollOption,
    Room,
)
from .rules import default_rules


def _meeting(request, action, meeting_id):
    return get_or_deny(
        request.user, action, Meeting.objects.select_related("group__facilitator"), pk=meeting_id
    )


def _meeting_page(request, meeting, *, reschedule_form=None, conflicts=(), status=200):
    user = request.user
    manages = can(user, Action.MANAGE_MEETINGS, meeting.group)
    attendances = {a.user_id: a for a in meeting.attendances.all()}
    context = {
        "meeting": meeting,
        "manages": manages,
        "is_member": can(user, Action.REPORT_ABSENCE, meeting),
        "own_attendance": attendances.get(user.pk),
        "absence_form": AbsenceForm(),
        "conflicts": conflicts,
    }
    if manages:
        members = [m.user for m in meeting.group.memberships.current().select_related("user")]
        context["attendance_form"] = AttendanceForm(
            members=members, current={k: v.status for k, v in attendances.items()}
        )
        context["reschedule_form"] = reschedule_form or RescheduleForm(
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
        context["changes"] = meeting.changes.select_related("by")[:10]
    return render(request, "planning/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request, meeting_id):
    meeting = _meeting(request, Action.VIEW_MEETING, meeting_id)
    return _meeting_page(request, meeting)


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
    if not form.is_valid():
        return _meeting_page(request, meeting, reschedule_form=form)
    try:
        services.reschedule(meeting=meeting, by=request.user, **form.cleaned_data)
    except services.ConflictsFound as found:
        # Everything typed stays; the page explains each conflict and asks for a reason.
        return _meeting_page(
            request, meeting, reschedule_form=form, conflicts=found.conflicts, status=409
        )
    except services.PlanningError as error:
        messages.error(request, str(error))
        return redirect("planning:meeting_detail", meeting_id=meeting.pk)
    messages.success(request, _("The meeting has been moved; everyone has been told."))
    return redirect("planning:meeting_detail", meeting_id=meeting.pk)


@login_required
@require_POST
def cancel(request, meeting_id):
    meeting = _meeting(request, Action.MANAGE_MEETINGS, meeting_id)
    try:
        services.cancel(meeting=meeting, by=request.user)
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
        services.record_attendance(meeting=meeting, statuses=form.statuses(), by=request.user)
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
            closes_on=form.cleaned_data.get("closes_on"),
            by=request.user,
        )
        messages.success(
            request, _("The poll is open; the group has been sent a link to answer it.")
        )
        return redirect("planning:poll", poll_id=poll.pk)
    return render(request, "planning/poll_form.html", {"group": group, "form": form})


def _confirm_initial(poll) -> dict:
    programme = poll.group.programme
    if programme.mode == Programme.Mode.ONLINE:
        return {"online_link": programme.video_link}
    return {"location": scheduler.group_location(poll.group) or ""}


def _poll_page(request, poll, *, form=None, warned=None, status=200):
    """`warned`: (option, its warnings, the bound confirm form) after a first confirm."""
    user = request.user
    options = list(poll.options.all())
    current = {a.option_id: a for a in PollAnswer.objects.filter(option__poll=poll, user=user)}
    manages = can(user, Action.MANAGE_MEETINGS, poll.group)
    ranking = services.ranking(poll, with_comments=can(user, Action.VIEW_GROUP_CONTENT, poll.group))
    context = {
        "poll": poll,
        "form": form or PollAnswerForm(options=options, current=current),
        "can_answer": can(user, Action.ANSWER_POLL, poll),
        "manages": manages,
        "ranking": ranking,
        "warned": warned,
    }
    if manages and not poll.is_closed:
        initial = _confirm_initial(poll)
        for row in ranking:
            # One form per option, with ids of its own (a label points to one field).
            row["confirm_form"] = ConfirmOptionForm(
                initial=initial, auto_id=f"id_option{row['option'].pk}_%s"
            )
        context["missing"] = [user.full_name for user in services.missing_answers(poll)]
        context["people_count"] = len(services.poll_people(poll))
    return render(request, "planning/poll.html", context, status=status)


@login_required
def poll_detail(request, poll_id):
    poll = get_or_deny(request.user, Action.VIEW_GROUP, DatePoll, pk=poll_id)
    user = request.user
    if request.method != "POST":
        return _poll_page(request, poll)
    if not can(user, Action.ANSWER_POLL, poll) and not poll.is_closed:
        raise PermissionDenied  # a closed poll says so below; others may not answer at all
    options = list(poll.options.all())
    current = {a.option_id: a for a in PollAnswer.objects.filter(option__poll=poll, user=user)}
    form = PollAnswerForm(request.POST, options=options, current=current)
    if form.is_valid():
        try:
            services.answer_poll(poll=poll, user=user, answers=form.answers())
            messages.success(request, _("Thank you, your answers are saved."))
            return redirect("planning:poll", poll_id=poll.pk)
        except services.PlanningError as error:
            messages.error(request, str(error))
    return _poll_page(request, poll, form=form)


@login_required
@require_POST
def poll_confirm(request, option_id):
    option = get_or_deny(request.user, Action.MANAGE_MEETINGS, PollOption, pk=option_id)
    form = ConfirmOptionForm(request.POST)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("planning:poll", poll_id=option.poll_id)
    try:
        meeting = services.confirm_poll_option(
            option=option,
            location=form.cleaned_data["location"],
            online_link=form.cleaned_data["online_link"],
            accept_warnings=form.cleaned_data["accept_warnings"],
            by=request.user,
        )
    except services.ConflictsFound as found:
        second_step = ConfirmOptionForm(initial={**form.cleaned_data, "accept_warnings": True})
        return _poll_page(
            request, option.poll, warned=(option, found.conflicts, second_step), status=409
        )
    except services.PlanningError as error:
        messages.error(request, str(error))
        return redirect("planning:poll", poll_id=option.poll_id)
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
    latest = programme.planning_runs.exclude(rules={}).first()
    initial = latest.rules if latest else default_rules(programme)
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
            "blackouts": programme.blackout_periods.all(),
            "blackout_form": BlackoutForm(),
        },
    )


@login_required
@require_POST
def blackouts(request, programme_id):
    """Add a period without meetings, or remove one (`remove` = its id)."""
    programme = get_or_deny(request.user, Action.MANAGE_PROGRAMME, Programme, pk=programme_id)
    if request.POST.get("remove"):
        period = programme.blackout_periods.filter(pk=database_id(request.POST["remove"])).first()
        if period is None:
            raise Http404
        services.remove_blackout(period=period)
        messages.success(request, _("The period has been removed."))
        return redirect("planning:programme", programme_id=programme.pk)
    form = BlackoutForm(request.POST)
    if form.is_valid():
        services.add_blackout(programme=programme, by=request.user, **form.cleaned_data)
        messages.success(request, _("No meetings will be planned in this period."))
    else:
        report_form_errors(request, form)
    return redirect("planning:programme", programme_id=programme.pk)


@login_required
def run_detail(request, run_id):
    """The run's page; while it runs, htmx asks every 2 seconds for its status fragment
    alone (no full-page refresh, so focus and reading position stay)."""
    run = get_or_deny(request.user, Action.MANAGE_PROGRAMME, PlanningRun, pk=run_id)
    programme = run.programme
    running = run.status in (PlanningRun.Status.QUEUED, PlanningRun.Status.RUNNING)
    context = {"programme": programme, "run": run, "running": running}
    if not running:
        groups = {group.pk: group for group in programme.groups.all()}
        rooms = {r.pk: r for r in Room.objects.filter(organisation=programme.organisation)}
        context["plan"] = [
            {
                "group": groups.get(item["group"]),
                "meetings": [
                    {
                        **m,
                        "date": date.fromisoformat(m["date"]),
                        "start": time.fromisoformat(m["start"]),
                        "room": rooms.get(m["room"]),
                    }
                    for m in item["meetings"]
                ],
            }
            for item in run.plan
        ]
        context["explained"] = explain_all(run.explanation)
    if request.htmx:
        # 286 tells htmx to stop asking: the run has finished.
        return render(request, "planning/_htmx_run.html", context, status=200 if running else 286)
    return render(request, "planning/run.html", context)


@login_required
@require_POST
def run_confirm(request, run_id):
    run = get_or_deny(request.user, Action.MANAGE_PROGRAMME, PlanningRun, pk=run_id)
    programme = run.programme
    try:
        meetings = scheduler.confirm_planning(run=run, by=request.user)
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
