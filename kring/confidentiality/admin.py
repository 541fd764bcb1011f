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
    list_display = ["at", "user", "action", "object_type", "object_id", "description"]
    list_filter = ["action", "object_type"]
    search_fields = ["user__email", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
