from django.contrib import admin

from .models import Meeting, Room


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["group", "starts_at", "mode", "status"]
    list_filter = ["status", "mode"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "capacity", "organisation"]
