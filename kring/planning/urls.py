from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/invitation.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:meeting_id>/reschedule/", views.reschedule, name="reschedule"),
    path("meetings/<int:meeting_id>/cancel/", views.cancel, name="cancel"),
    path("meetings/<int:meeting_id>/absence/", views.absence, name="absence"),
    path("meetings/<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path("groups/<int:group_id>/attendance/", views.group_attendance, name="group_attendance"),
    path("groups/<int:group_id>/polls/new/", views.poll_create, name="poll_create"),
    path("polls/<int:poll_id>/", views.poll_detail, name="poll"),
    path("poll-options/<int:option_id>/confirm/", views.poll_confirm, name="poll_confirm"),
    path("calendar/", views.my_calendar, name="calendar"),
    path("calendar/reset/", views.reset_calendar, name="reset_calendar"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("programmes/<int:programme_id>/", views.programme_planning, name="programme"),
    path("programmes/<int:programme_id>/blackouts/", views.blackouts, name="programme_blackouts"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/confirm/", views.run_confirm, name="run_confirm"),
    path("organisations/<slug:slug>/rooms/", views.rooms, name="rooms"),
]
