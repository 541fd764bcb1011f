from django.contrib import admin

from kring.confidentiality.staff_admin import ReadOnlyAdminMixin

from .models import ClientRelation, Department, FunctionLevel, Location, Membership, Organisation


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


class FunctionLevelInline(admin.TabularInline):
    model = FunctionLevel
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_facilitation_firm"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DepartmentInline, LocationInline, FunctionLevelInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A role in an organisation leads to its people and, for facilitators, to content:
    the organisation's admins manage it in the app, staff only look."""

    list_display = ["user", "organisation", "role", "department", "location", "function_level"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(ClientRelation)
class ClientRelationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A firm working for a client coordinates the client's programmes: staff only look."""

    list_display = ["firm", "client", "since"]
