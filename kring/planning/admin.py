from django.contrib import admin

from .models import Meeting, Room


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["group", "starts_at", "mode", "status"]
    list_filter = ["status", "mode"]

    def get_readonly_fields(self, request, obj=None):
        # A meeting's report and session inputs belong to its group: it never moves. Where
        # and when it takes place (and its video link) change only in the app, which tells
        # everyone: staff must not be able to point a group's meeting at a room of theirs.
        if obj is None:
            return []
        return ["group", "starts_at", "duration_minutes", "mode", "location", "online_link"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "capacity", "organisation"]
