from django.contrib import admin

from .models import Programme, ProgrammeGoal, ProgrammeRole, StatusChange


class GoalInline(admin.TabularInline):
    model = ProgrammeGoal
    extra = 0


class RoleInline(admin.TabularInline):
    model = ProgrammeRole
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "starts_on", "ends_on"]
    list_filter = ["status", "organisation"]
    inlines = [GoalInline, RoleInline]
    # Status moves only through the service, which records who and when.
    readonly_fields = ["status"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["programme", "from_status", "to_status", "by", "at"]

    def has_change_permission(self, request, obj=None):
        return False
