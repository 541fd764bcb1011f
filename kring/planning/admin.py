from django.contrib import admin

from .models import Meeting, Room


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["group", "starts_at", "mode", "status"]
    list_filter = ["status", "mode"]

    def get_readonly_fields(self, request, obj=None):
        # A meeting's report and session inputs belong to its group: it never moves.
        return ["group"] if obj is not None else []


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "capacity", "organisation"]
