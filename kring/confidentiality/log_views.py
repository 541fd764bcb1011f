"""The organisation's audit log, for its privacy officer (functionaris gegevensbescherming).

Only after a second factor in this session, and every look at the log is itself an entry
in it: the privacy officer is audited like everyone else.
"""

import csv
from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kring.core.spreadsheets import safe_cell
from kring.organisations.models import Organisation

from . import audit, two_factor
from .models import AuditEvent
from .otp_views import with_next
from .policy import Action, get_or_deny

PAGE_SIZE = 50


class AuditLogFilter(forms.Form):
    event = forms.ChoiceField(
        label=gettext_lazy("Event"),
        required=False,
        choices=[("", gettext_lazy("All events")), *AuditEvent.Event.choices],
    )
    person = forms.ModelChoiceField(
        label=gettext_lazy("Person (acting or whose data)"),
        required=False,
        queryset=get_user_model().objects.none(),
        empty_label=gettext_lazy("Everyone"),
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(memberships__organisation=organisation)
            .order_by("full_name", "email")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        for name in ["date_from", "date_to"]:
            day = cleaned.get(name)
            # The range needs the day after the end date and a time zone offset, which
            # the first and last representable days do not have.
            if day and not 2000 <= day.year <= 9998:
                self.add_error(name, _("Choose a date between the years 2000 and 9998."))
        return cleaned

    def apply(self, entries):
        """The entries that pass the filters; all of them when the filters are invalid."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["event"]:
            entries = entries.filter(event=data["event"])
        if data["person"]:
            entries = entries.filter(Q(actor=data["person"]) | Q(subject=data["person"]))
        if data["date_from"]:
            entries = entries.filter(at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(at__lt=_start_of(data["date_to"] + timedelta(days=1)))
        return entries

    def summary(self) -> str:
        """The filters in words, for the entry that records this look at the log."""
        if not self.is_valid():
            return ""
        data = self.cleaned_data
        parts = [
            f"event={data['event']}" if data["event"] else "",
            f"person=#{data['person'].pk}" if data["person"] else "",
            f"from={data['date_from']}" if data["date_from"] else "",
            f"to={data['date_to']}" if data["date_to"] else "",
        ]
        return " ".join(part for part in parts if part)


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _open_log(request, slug):
    """The organisation whose log this is, or a redirect to the second factor.

    Everyone but the organisation's privacy officer gets 404, also members of the
    organisation: the log is not a page they could know of.
    """
    try:
        organisation = get_or_deny(request.user, Action.VIEW_AUDIT_LOG, Organisation, slug=slug)
    except PermissionDenied:
        raise Http404 from None
    if not request.user.is_verified():
        step = "otp:verify" if two_factor.has_device(request.user) else "otp:setup"
        return organisation, redirect(with_next(step, request.get_full_path()))
    return organisation, None


def _record(event, *, request, organisation, description):
    audit.record(
        event,
        actor=request.user,
        capacity=AuditEvent.Capacity.PRIVACY_OFFICER,
        targets=[audit.Target(obj=organisation, subject_id=None, organisation_id=organisation.pk)],
        description=description,
    )


def _entries_of(organisation):
    return AuditEvent.objects.filter(organisation=organisation).order_by("-at", "-id")


@login_required
def entries(request, slug):
    organisation, second_factor = _open_log(request, slug)
    if second_factor:
        return second_factor
    form = AuditLogFilter(request.GET or None, organisation=organisation)
    requested_page = request.GET.get("page", "1")[:10]
    # Recorded before the query, so the page shows its own reading too.
    _record(
        AuditEvent.Event.READ,
        request=request,
        organisation=organisation,
        description=f"audit log page {requested_page} {form.summary()}".strip(),
    )
    page = Paginator(form.apply(_entries_of(organisation)), PAGE_SIZE).get_page(requested_page)
    return render(
        request,
        "confidentiality/audit_log.html",
        {"organisation": organisation, "form": form, "page": page},
    )


EXPORT_COLUMNS = [
    ("at", gettext_lazy("Time")),
    ("event", gettext_lazy("Event")),
    ("object_type", gettext_lazy("Object type")),
    ("object_id", gettext_lazy("Object id")),
    ("actor_label", gettext_lazy("Acting person")),
    ("capacity", gettext_lazy("Capacity")),
    ("subject_label", gettext_lazy("Whose data")),
    ("organisation_label", gettext_lazy("Organisation")),
    ("client_ip", gettext_lazy("Client IP")),
    ("request_id", gettext_lazy("Request id")),
    ("description", gettext_lazy("Description")),
    ("previous_hash", gettext_lazy("Previous hash")),
    ("hash", gettext_lazy("Hash")),
]


def _export_value(entry, field):
    if field == "at":
        return timezone.localtime(entry.at).isoformat()
    value = getattr(entry, field)
    return "" if value is None else str(value)


@login_required
def export(request, slug):
    """All entries that pass the filters, as CSV for an auditor (every cell made safe)."""
    organisation, second_factor = _open_log(request, slug)
    if second_factor:
        return second_factor
    form = AuditLogFilter(request.GET or None, organisation=organisation)
    entries = form.apply(_entries_of(organisation))
    # Recorded before the rows are written, so the export contains its own entry.
    _record(
        AuditEvent.Event.EXPORT,
        request=request,
        organisation=organisation,
        description=f"audit log CSV {form.summary()}".strip(),
    )
    day = timezone.localdate().isoformat()
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="auditlog-{organisation.slug}-{day}.csv"'
        },
    )
    writer = csv.writer(response)
    writer.writerow([safe_cell(str(label)) for _field, label in EXPORT_COLUMNS])
    for entry in entries.iterator():
        writer.writerow(
            [safe_cell(_export_value(entry, field)) for field, _label in EXPORT_COLUMNS]
        )
    return response
