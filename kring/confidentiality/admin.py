from django.contrib import admin

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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
