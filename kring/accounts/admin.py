from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .models import Invitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal"), {"fields": ["full_name", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"fields": ["email", "full_name", "password1", "password2"]})]
    filter_horizontal = ["groups"]
    list_filter = ["is_active", "is_staff"]

    # Staff must not take over a member's account (and so read their group's content):
    # the address is proven by its owner and the password set only by them.
    def get_readonly_fields(self, request, obj=None):
        return ["email"] if obj is not None else []

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]
    # An import's invitation grants its programme and details on acceptance: not editable.
    readonly_fields = [
        "organisation",
        "programme",
        "email",
        "role",
        "registration_details",
        "created_by",
        "expires_at",
        "sent_at",
        "accepted_at",
    ]

    def has_add_permission(self, request):
        return False
