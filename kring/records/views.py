"""The record page: the note taker (or the facilitator) fills in the meeting's record
during or after the meeting; the group's other members read it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kring.confidentiality import policy
from kring.confidentiality.policy import Action, can
from kring.core.forms import database_id
from kring.methods import structure
from kring.planning.models import Meeting

from . import services
from .forms import AgreementsForm, ChoiceForm, FollowUpForm, InputForm, RatingForm
from .selectors import members_of, presenters_of


def _meeting(meeting_id) -> Meeting:
    meeting = (
        Meeting.objects.select_related("group__programme__organisation", "method_version__method")
        .filter(pk=database_id(meeting_id))
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def _editable(request, meeting_id) -> Meeting:
    meeting = _meeting(meeting_id)
    policy.check_record_access(request.user, Action.EDIT_RECORD, meeting)
    return meeting


def _input(request, input_id):
    return policy.record_input_to_change(request.user, database_id(input_id))


def _input_form(kind, number, members, presenters, data=None, item=None):
    initial = {}
    if item is not None:
        initial = {"text": item.text, "author": str(item.author_id or "")}
    return InputForm(
        data,
        kind=kind,
        members=members,
        presenters=presenters,
        prefix=f"edit{item.pk}" if item is not None else f"phase{number}",
        initial=initial,
    )


def _attach_forms(request, view, *, bound=None, editing=None):
    """Every phase's forms for an editor: a bound one (with what was typed) where a submit
    failed, fresh ones elsewhere."""
    bound = bound or {}
    for phase in view.phases:
        phase.form = phase.choice_form = phase.edit_form = None
        phase.rating_forms = []
        if phase.input in {"none"}:
            continue
        if phase.input == "presenter_choice":
            if view.presenters or view.members:
                chosen = [statement.pk for _presenter, statement in phase.choices if statement]
                phase.choice_form = bound.get(("choice", phase.number)) or ChoiceForm(
                    statements=phase.statements,
                    presenters=view.presenters,
                    initial={"statement": chosen[0]} if chosen else {},
                )
            continue
        if phase.input == "ratings":
            phase.rating_forms = [
                (
                    item,
                    RatingForm(
                        questions=[],
                        presenters=view.presenters,
                        auto_id=f"id_q{item.question.pk}_%s",
                    ),
                )
                for item in phase.rated
            ]
            continue
        people = (view.members, view.presenters)
        phase.form = bound.get(("input", phase.number)) or _input_form(
            phase.input, phase.number, *people
        )
        if editing is not None and any(row.pk == editing.pk for row in phase.entries):
            phase.editing = editing
            phase.edit_form = bound.get(("edit", editing.pk)) or _input_form(
                phase.input, phase.number, *people, item=editing
            )


def _page(request, meeting, *, bound=None, editing_id=None, status=200, template=None, phase=None):
    view = policy.read_record(request.user, meeting)
    may_edit = can(request.user, Action.EDIT_RECORD, meeting)
    editing = None
    if may_edit and editing_id is not None:
        editing = next(
            (row for p in view.phases for row in p.entries if row.pk == editing_id), None
        )
    if may_edit:
        _attach_forms(request, view, bound=bound, editing=editing)
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "view": view,
        "may_edit": may_edit,
        "may_choose_method": can(request.user, Action.MANAGE_MEETINGS, meeting.group),
        "agreements_form": (bound or {}).get("agreements")
        or AgreementsForm(initial={"agreements": view.agreements}),
    }
    if template is not None:
        context["phase"] = next(p for p in view.phases if p.number == phase)
        return render(request, template, context, status=status)
    # The case(s) the meeting is about, so the note taker has the question at hand.
    context["cases"] = policy.read_meeting_cases(request.user, meeting)
    return render(request, "records/record.html", context, status=status)


def _back(meeting, anchor=""):
    url = reverse("records:record", kwargs={"meeting_id": meeting.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
def record_page(request, meeting_id):
    meeting = _meeting(meeting_id)
    editing_id = database_id(request.GET.get("edit"))
    return _page(request, meeting, editing_id=editing_id)


def _phase_number(raw) -> int | None:
    """A phase number from a form: 0 (outside the phases) up to the most a method has."""
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit()) or int(raw) > structure.MAX_PHASES:
        return None
    return int(raw)


def _phase_or_404(record, number):
    phases = record.method_version.content["phases"] if record.method_version else []
    if number == 0 and phases and not services.phase_for(record, "action_points"):
        return {"input": "action_points"}  # action points outside the method's phases
    if number is None or not 1 <= number <= len(phases):
        raise Http404
    return phases[number - 1]


def _after_change(request, meeting, number, *, bound=None):
    """htmx gets the phase back in place; a plain form the page (again, on an error)."""
    if request.htmx:
        return _page(request, meeting, bound=bound, template="records/_phase.html", phase=number)
    if bound:
        return _page(request, meeting, bound=bound)
    return _back(meeting, f"phase-{number}")


@login_required
@require_POST
def add_input(request, meeting_id):
    meeting = _editable(request, meeting_id)
    record = services.record_for(meeting)
    number = _phase_number(request.POST.get("phase"))
    kind = _phase_or_404(record, number)["input"]
    if kind in {"none", "presenter_choice", "ratings"}:
        raise Http404
    form = _input_form(kind, number, members_of(meeting), presenters_of(meeting), data=request.POST)
    if form.is_valid():
        try:
            services.add_input(
                record=record,
                by=request.user,
                kind=kind,
                phase=number,
                text=form.cleaned_data["text"],
                author=form.cleaned_data["author"],
                client_id=form.cleaned_data["client_id"],
            )
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            return _after_change(request, meeting, number)
    return _after_change(request, meeting, number, bound={("input", number): form})


@login_required
@require_POST
def edit_input(request, input_id):
    item = _input(request, input_id)
    meeting = item.record.meeting
    if item.kind in {"presenter_choice", "ratings"}:
        raise Http404
    form = _input_form(
        item.kind, item.phase, members_of(meeting), presenters_of(meeting), request.POST, item
    )
    if form.is_valid():
        try:
            services.edit_input(
                item=item,
                by=request.user,
                text=form.cleaned_data["text"],
                author=form.cleaned_data["author"],
                client_id=form.cleaned_data["client_id"],
            )
        except services.RecordError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The change has been saved."))
        return _back(meeting, f"phase-{item.phase}")
    return _page(request, meeting, bound={("edit", item.pk): form}, editing_id=item.pk)


@login_required
@require_POST
def withdraw_input(request, input_id):
    item = _input(request, input_id)
    try:
        services.withdraw_input(item=item, by=request.user)
    except services.RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The input has been taken out of the record."))
    return _after_change(request, item.record.meeting, item.phase)


@login_required
@require_POST
def choose_statement(request, meeting_id):
    meeting = _editable(request, meeting_id)
    record = services.record_for(meeting)
    number = services.phase_for(record, "presenter_choice")
    if not number:
        raise Http404
    statements = services.current_inputs(record, "problem_statements")
    form = ChoiceForm(request.POST, statements=statements, presenters=presenters_of(meeting))
    if form.is_valid():
        try:
            services.choose_statement(
                record=record,
                by=request.user,
                statement=form.cleaned_data["statement"],
                presenter=form.cleaned_data.get("presenter"),
                client_id=form.cleaned_data["client_id"],
            )
        except services.RecordError as error:
            form.add_error(None, str(error))
        else:
            return _after_change(request, meeting, number)
    return _after_change(request, meeting, number, bound={("choice", number): form})


@login_required
@require_POST
def rate_question(request, meeting_id):
    meeting = _editable(request, meeting_id)
    record = services.record_for(meeting)
    number = services.phase_for(record, "ratings")
    if not number:
        raise Http404
    form = RatingForm(
        request.POST,
        questions=services.current_inputs(record, "questions"),
        presenters=presenters_of(meeting),
    )
    if form.is_valid():
        try:
            services.rate_question(
                record=record,
                by=request.user,
                question=form.cleaned_data["question"],
                rating=form.cleaned_data["rating"],
                presenter=form.cleaned_data.get("presenter"),
                client_id=form.cleaned_data["client_id"],
            )
        except services.RecordError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Choose warm, neutral or cold for one of the questions."))
    return _after_change(request, meeting, number)


@login_required
@require_POST
def set_agreements(request, meeting_id):
    meeting = _editable(request, meeting_id)
    form = AgreementsForm(request.POST)
    if form.is_valid():
        try:
            services.set_agreements(
                record=services.record_for(meeting),
                by=request.user,
                text=form.cleaned_data["agreements"],
            )
        except services.RecordError as error:
            form.add_error("agreements", str(error))
        else:
            messages.success(request, _("The agreements have been saved."))
            return _back(meeting, "agreements")
    return _page(request, meeting, bound={"agreements": form})


@login_required
@require_POST
def follow_up(request, meeting_id, input_id):
    """The presenter marks their action point of an earlier meeting done or carried on."""
    meeting = _meeting(meeting_id)
    policy.check_record_access(request.user, Action.VIEW_RECORD, meeting)
    point = next(
        (
            p
            for p in policy.read_open_action_points(request.user, meeting)
            if p.action_point.pk == database_id(input_id)
        ),
        None,
    )
    if point is None:
        raise Http404
    if not can(request.user, Action.FOLLOW_UP_ACTION_POINT, point.action_point):
        raise PermissionDenied
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_action_point(
                action_point=point.action_point,
                at_meeting=meeting,
                by=request.user,
                status=form.cleaned_data["status"],
            )
        except services.RecordError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Marked as done.")
                if form.cleaned_data["status"] == "done"
                else _("Carried on: it comes back at the next meeting."),
            )
    url = reverse("planning:meeting_detail", kwargs={"meeting_id": meeting.pk})
    return redirect(f"{url}#review")
