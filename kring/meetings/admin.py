from django.contrib import admin

from kring.confidentiality.admin import ContentHidingAdmin

from .models import Case

# Learning logs are not registered at all: only their author may read them.


@admin.register(Case)
class CaseAdmin(ContentHidingAdmin):
    list_display = ["__str__", "group", "presenter", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["group", "presenter", "created_at"]
    # What kind of case it is (a conflict, a personal theme) is the group's, as its text.
    exclude = ["kind"]

    def has_change_permission(self, request, obj=None):
        # Its status is the presenter's (a withdrawn case is theirs alone): staff only look.
        return False
