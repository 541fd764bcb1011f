from django.contrib import admin

from kring.confidentiality.staff_admin import ReadOnlyInline

from .models import GroundRule, GroundRuleSet, Group, GroupMembership


class GroundRuleInline(admin.TabularInline):
    model = GroundRule
    extra = 0


@admin.register(GroundRuleSet)
class GroundRuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "revision"]
    readonly_fields = ["revision", "revised_at"]
    inlines = [GroundRuleInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            # Changed rules need a new yes: earlier acceptances were for other words.
            form.instance.revision += 1
            form.instance.save(update_fields=["revision"])


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
