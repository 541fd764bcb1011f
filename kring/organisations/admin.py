from django.contrib import admin

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
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "department", "location", "function_level"]
    list_filter = ["organisation", "role"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user", "line_manager"]


admin.site.register(ClientRelation)
