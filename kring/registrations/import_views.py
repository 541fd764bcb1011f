"""Import and export of a programme's participants: upload → columns → report → import.

The parsed file and the chosen columns live in the session between the steps, so nothing
is written before the coordinator has seen the full report and pressed "Import".
"""

import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kring.confidentiality.policy import Action, get_or_deny
from kring.programmes.models import Programme

from . import exports, imports
from .import_forms import ColumnMappingForm, ParticipantFileForm

MAX_PROBLEMS_SHOWN = 1000


def _programme(request, programme_id) -> Programme:
    return get_or_deny(
        request.user,
        Action.MANAGE_PROGRAMME,
        Programme.objects.select_related("organisation"),
        pk=programme_id,
    )


def _session_key(programme) -> str:
    return f"participant_import:{programme.pk}"


def _load(request, programme):
    state = request.session.get(_session_key(programme))
    if not state:
        return None
    return (
        imports.ImportTable.from_session(state["table"]),
        imports.ColumnMapping.from_session(state["mapping"]),
    )


def _save(request, programme, table, mapping) -> None:
    request.session[_session_key(programme)] = {
        "table": table.to_session(),
        "mapping": mapping.to_session(),
    }


def _fingerprint(request, programme) -> str:
    """Ties the import button to the file and columns the coordinator saw in the report."""
    state = request.session.get(_session_key(programme))
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def _start_again(request, programme):
    messages.info(request, _("Start by choosing the file with participants."))
    return redirect("programmes:import_participants", programme_id=programme.pk)


@login_required
def import_upload(request, programme_id):
    programme = _programme(request, programme_id)
    form = ParticipantFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        mapping = imports.propose_mapping(form.table, programme=programme)
        _save(request, programme, form.table, mapping)
        return redirect("programmes:import_columns", programme_id=programme.pk)
    state = _load(request, programme)
    return render(
        request,
        "registrations/import/upload.html",
        {"programme": programme, "form": form, "current": state[0] if state else None},
    )


@login_required
def import_columns(request, programme_id):
    programme = _programme(request, programme_id)
    state = _load(request, programme)
    if state is None:
        return _start_again(request, programme)
    table, mapping = state
    form = ColumnMappingForm(request.POST or None, table=table, mapping=mapping)
    if request.method == "POST" and form.is_valid():
        _save(request, programme, table, form.mapping())
        return redirect("programmes:import_check", programme_id=programme.pk)
    return render(
        request,
        "registrations/import/columns.html",
        {
            "programme": programme,
            "form": form,
            "table": table,
            "field_forms": [form[spec.key] for spec in imports.FIELDS],
            "preview": table.rows[:5],
        },
    )


@login_required
def import_check(request, programme_id):
    programme = _programme(request, programme_id)
    state = _load(request, programme)
    if state is None:
        return _start_again(request, programme)
    table, mapping = state
    plan = imports.check_import(programme=programme, table=table, mapping=mapping)
    chosen = [
        (spec.label, table.headers[mapping.columns[spec.key]])
        for spec in imports.FIELDS
        if mapping.columns.get(spec.key) is not None
    ]
    return render(
        request,
        "registrations/import/check.html",
        {
            "programme": programme,
            "table": table,
            "plan": plan,
            "problems": plan.problems[:MAX_PROBLEMS_SHOWN],
            "problems_hidden": max(0, len(plan.problems) - MAX_PROBLEMS_SHOWN),
            "chosen": chosen,
            "extras": [table.headers[index] for index in mapping.extra_columns],
            "fingerprint": _fingerprint(request, programme),
        },
    )


@login_required
@require_POST
def import_confirm(request, programme_id):
    programme = _programme(request, programme_id)
    state = _load(request, programme)
    if state is None:
        return _start_again(request, programme)
    if request.POST.get("fingerprint") != _fingerprint(request, programme):
        messages.error(
            request,
            _(
                "The file or the column choices changed in another window. Check the report "
                "below again; nothing was imported."
            ),
        )
        return redirect("programmes:import_check", programme_id=programme.pk)
    table, mapping = state
    try:
        result = imports.import_participants(
            programme=programme, table=table, mapping=mapping, by=request.user
        )
    except (imports.ImportRejected, IntegrityError):
        messages.error(
            request,
            _(
                "Something changed in the organisation since the check, so nothing was "
                "imported. Look at the report again."
            ),
        )
        return redirect("programmes:import_check", programme_id=programme.pk)
    del request.session[_session_key(programme)]
    messages.success(
        request,
        ngettext(
            "%(count)s participant imported (%(new)s newly registered).",
            "%(count)s participants imported (%(new)s newly registered).",
            result.imported,
        )
        % {"count": result.imported, "new": result.new_registrations},
    )
    return redirect("programmes:import_invitations", programme_id=programme.pk)


@login_required
def import_invitations(request, programme_id):
    """After an import: who still needs a way in, and the coordinator's choice whom to send
    an invitation (nothing is mailed without it). Ticked at first: everyone not invited
    yet; "select all" ticks the others too, to send them a new link."""
    programme = _programme(request, programme_id)
    rows = imports.ways_in(programme)
    if request.method == "POST":
        if "selection" in request.POST:  # the page's form; a bare POST sends to the new ones
            valid = {row.key for row in rows}
            keys = [key for key in request.POST.getlist("person") if key in valid]
            if not keys:
                messages.error(request, _("Tick at least one person to send an invitation to."))
                return redirect("programmes:import_invitations", programme_id=programme.pk)
        else:
            keys = None
        sent = imports.send_import_invitations(programme=programme, by=request.user, keys=keys)
        messages.success(
            request,
            ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", sent)
            % {"count": sent},
        )
        return redirect("programmes:import_invitations", programme_id=programme.pk)
    select_all = request.GET.get("select") == "all"
    return render(
        request,
        "registrations/import/invitations.html",
        {
            "programme": programme,
            "rows": [(row, select_all or row.sent_at is None) for row in rows],
            "select_all": select_all,
            "to_invite": sum(1 for row in rows if not row.member),
            "without_password": sum(1 for row in rows if row.member),
            "not_sent": sum(1 for row in rows if row.sent_at is None),
        },
    )


@login_required
def export_participants(request, programme_id, file_format):
    programme = _programme(request, programme_id)
    if file_format not in exports.CONTENT_TYPES:
        raise Http404
    name = slugify(_("participants %(programme)s") % {"programme": programme.title})
    return HttpResponse(
        exports.export_participants(programme, file_format),
        content_type=exports.CONTENT_TYPES[file_format],
        headers={
            "Content-Disposition": f'attachment; filename="{name or "participants"}.{file_format}"',
            "Cache-Control": "private, no-store",
        },
    )
