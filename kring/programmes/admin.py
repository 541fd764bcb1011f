from django.contrib import admin

from kring.confidentiality.staff_admin import ReadOnlyInline

from .models import Programme, ProgrammeGoal, ProgrammeRole, StatusChange


class GoalInline(admin.TabularInline):
    model = ProgrammeGoal
    extra = 0


class RoleInline(ReadOnlyInline):
    """Roles lead to people's data and, for facilitators, to content: coordinators set
    them in the app (the plan's team), staff only look."""

    model = ProgrammeRole
    fields = ["user", "role", "created_at"]
    readonly_fields = fields


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "starts_on", "ends_on"]
    list_filter = ["status", "organisation"]
    inlines = [GoalInline, RoleInline]
    # Status moves only through the service, which records who and when. Whose programme
    # it is, and which firm runs it, decide who coordinates it: not for staff to change.
    readonly_fields = ["status", "organisation", "run_by", "video_link"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["programme", "from_status", "to_status", "by", "at"]

    def has_change_permission(self, request, obj=None):
        return False
