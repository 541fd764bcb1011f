"""Inputs from devices during a live session: the panel under the stage, autosave of what
is typed, submit, the presenter's choice and ratings, and taking one's own input back.

Thin views over `kring.live.inputs`. Every form works without JavaScript (post, then back
to the live page); live-inputs.js posts the same forms with fetch (`HX-Request`) and gets
the panel back, or 204 for an autosave. Anyone who may not write here gets 404 and nothing
changes.
"""

import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.core.forms import database_id
from kring.methods import structure
from kring.planning.models import Meeting
from kring.records.models import RecordInput

from . import inputs


def _meeting(request, meeting_id) -> Meeting:
    meeting = (
        Meeting.objects.select_related(
            "group__programme__organisation", "group__facilitator", "method_version"
        )
        .filter(pk=database_id(meeting_id))
        .first()
    )
    if meeting is None:
        raise Http404
    if not policy.can(request.user, Action.VIEW_LIVE_SESSION, meeting):
        inputs.refuse(request.user, meeting, Action.VIEW_LIVE_SESSION)  # audited: content
    return meeting


def _writer(request, meeting_id) -> Meeting:
    meeting = _meeting(request, meeting_id)
    if not inputs.may_write(request.user, meeting):
        inputs.refuse(request.user, meeting, Action.CONTRIBUTE_LIVE_INPUT)
    return meeting


def _client_id(raw) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw or "").strip())
    except ValueError:
        raise Http404 from None


def _phase(raw) -> int:
    raw = str(raw or "").strip()
    if not (raw.isascii() and raw.isdigit()) or int(raw) > structure.MAX_PHASES:
        raise Http404
    return int(raw)


def _author(raw):
    """A member picked as author (the record's keeper typing for them); checked by the
    service against who is at the meeting."""
    user_id = database_id(raw) if raw else None
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    return user


def panel_context(request, meeting, *, error: str = "") -> dict:
    view = inputs.panel(meeting, request.user, error=error)
    return {"meeting": meeting, "panel": view, "ratings": RecordInput.Rating.choices}


def _panel(request, meeting, *, error: str = "", status: int = 200):
    return render(
        request,
        "live/_inputs_panel.html",
        panel_context(request, meeting, error=error),
        status=status,
    )


def _done(request, meeting, *, error: str = ""):
    """Back to the panel (fetch) or to the live page (a plain form)."""
    if request.htmx:
        return _panel(request, meeting, error=error, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(f"{reverse('live:page', kwargs={'meeting_id': meeting.pk})}#live-inputs")


@login_required
@require_GET
def panel(request, meeting_id):
    return _panel(request, _meeting(request, meeting_id))


@login_required
@require_POST
def draft(request, meeting_id):
    """Autosave: 204 when saved; 200 with {"submitted": true} when this id was sent
    already (the device drops its copy); 400 with the reason otherwise."""
    meeting = _writer(request, meeting_id)
    try:
        item = inputs.save_draft(
            meeting=meeting,
            by=request.user,
            client_id=_client_id(request.POST.get("client_id")),
            phase=_phase(request.POST.get("phase")),
            text=request.POST.get("text", ""),
            author=_author(request.POST.get("author")),
        )
    except inputs.RecordError as error:
        return JsonResponse({"error": str(error)}, status=400)
    if item.state != RecordInput.State.DRAFT:
        return JsonResponse({"submitted": True})
    return HttpResponse(status=204)


@login_required
@require_POST
def submit(request, meeting_id):
    meeting = _writer(request, meeting_id)
    try:
        inputs.submit(
            meeting=meeting,
            by=request.user,
            client_id=_client_id(request.POST.get("client_id")),
            phase=_phase(request.POST.get("phase")),
            text=request.POST.get("text", ""),
            author=_author(request.POST.get("author")),
        )
    except inputs.RecordError as error:
        return _done(request, meeting, error=str(error))
    return _done(request, meeting)


@login_required
@require_POST
def choose(request, meeting_id):
    meeting = _writer(request, meeting_id)
    statement_id = database_id(request.POST.get("statement"))
    try:
        if statement_id is None:
            raise inputs.RecordError(_("Choose one of the statements."))
        inputs.choose(
            meeting=meeting,
            by=request.user,
            statement_id=statement_id,
            client_id=_client_id(request.POST.get("client_id")),
            presenter=_author(request.POST.get("presenter")),
        )
    except inputs.RecordError as error:
        return _done(request, meeting, error=str(error))
    return _done(request, meeting)


@login_required
@require_POST
def rate(request, meeting_id):
    meeting = _writer(request, meeting_id)
    try:
        inputs.rate(
            meeting=meeting,
            by=request.user,
            question_id=database_id(request.POST.get("question")),
            rating=request.POST.get("rating", ""),
            client_id=_client_id(request.POST.get("client_id")),
            presenter=_author(request.POST.get("presenter")),
        )
    except inputs.RecordError as error:
        return _done(request, meeting, error=str(error))
    return _done(request, meeting)


@login_required
@require_POST
def answer(request, meeting_id):
    """In writing, the presenter's answer to a question."""
    meeting = _writer(request, meeting_id)
    try:
        inputs.answer(
            meeting=meeting,
            by=request.user,
            question_id=database_id(request.POST.get("question")),
            text=request.POST.get("text", ""),
            client_id=_client_id(request.POST.get("client_id")),
            presenter=_author(request.POST.get("presenter")),
        )
    except inputs.RecordError as error:
        return _done(request, meeting, error=str(error))
    return _done(request, meeting)


@login_required
@require_POST
def withdraw(request, meeting_id, input_id):
    meeting = _writer(request, meeting_id)
    item = inputs.own_input(request.user, meeting, database_id(input_id))
    try:
        inputs.withdraw(meeting=meeting, by=request.user, item=item)
    except inputs.RecordError as error:
        return _done(request, meeting, error=str(error))
    return _done(request, meeting)


@login_required
@require_POST
def edit(request, meeting_id, input_id):
    meeting = _writer(request, meeting_id)
    item = inputs.own_input(request.user, meeting, database_id(input_id))
    try:
        inputs.edit(
            meeting=meeting,
            by=request.user,
            item=item,
            text=request.POST.get("text", ""),
            client_id=_client_id(request.POST.get("client_id")),
        )
    except inputs.RecordError as error:
        return _done(request, meeting, error=str(error))
    return _done(request, meeting)
