from django.contrib import admin

from kring.confidentiality.staff_admin import ReadOnlyInline

from .models import GroundRule, GroundRuleSet, Group, GroupMembership


class GroundRuleInline(admin.TabularInline):
    model = GroundRule
    extra = 0


@admin.register(GroundRuleSet)
class GroundRuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "revision"]
    inlines = [GroundRuleInline]


class MembershipInline(ReadOnlyInline):
    """Members read the group's content: they join through publishing, not the admin."""

    model = GroupMembership
    fields = ["user", "joined_on", "left_on"]
    readonly_fields = fields


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "facilitator"]
    list_filter = ["programme"]
    inlines = [MembershipInline]
    # The facilitator reads the content; services.assign_facilitator checks who may.
    # Groups come from publishing a proposal, and stay in their programme.
    readonly_fields = ["programme", "facilitator", "ground_rule_set"]

    def has_add_permission(self, request):
        return False
