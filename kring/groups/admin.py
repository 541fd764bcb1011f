from django.contrib import admin

from .models import GroundRule, GroundRuleSet, Group, GroupMembership


class GroundRuleInline(admin.TabularInline):
    model = GroundRule
    extra = 0


@admin.register(GroundRuleSet)
class GroundRuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "revision"]
    inlines = [GroundRuleInline]


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "facilitator"]
    list_filter = ["programme"]
    inlines = [MembershipInline]
