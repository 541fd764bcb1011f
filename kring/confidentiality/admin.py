from django.contrib import admin

from . import audit
from .encryption import EncryptedTextField
from .models import AuditEvent


class ContentHidingAdmin(admin.ModelAdmin):
    """An admin that never shows, searches or edits encrypted content fields."""

    def get_exclude(self, request, obj=None):
        content = [
            field.name
            for field in self.model._meta.get_fields()
            if isinstance(field, EncryptedTextField)
        ]
        return [*(super().get_exclude(request, obj) or []), *content]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, and the model refuses changes anyway."""

    list_display = [
        "at",
        "event",
        "actor_label",
        "capacity",
        "object_type",
        "object_id",
        "subject_label",
        "organisation_label",
        "client_ip",
    ]
    list_filter = ["event", "capacity", "object_type"]
    search_fields = ["actor_label", "subject_label", "object_id", "request_id"]
    list_select_related = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_view_permission(self, request, obj=None):
        # The log is readable only after a second factor (/privacy/2fa/verify/).
        verified = getattr(request.user, "is_verified", lambda: False)()
        return verified and super().has_view_permission(request, obj)

    # Reading the log is itself an entry in it, for staff as for privacy officers.

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            _record_log_reading(request, AuditEvent(pk=0), f"list {request.GET.urlencode()}")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            _record_log_reading(request, AuditEvent(pk=object_id), "entry")
        return response

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _record_log_reading(request, entry, description):
    audit.record(
        AuditEvent.Event.READ,
        actor=request.user,
        capacity=AuditEvent.Capacity.PLATFORM_STAFF,
        targets=[audit.Target(obj=entry, subject_id=None, organisation_id=None)],
        description=f"admin audit log: {description}"[:200],
    )
