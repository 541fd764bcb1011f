from django.urls import path

from . import views

app_name = "kickoffs"
urlpatterns = [
    path("programmes/<int:programme_id>/kickoffs/", views.programme_kickoffs, name="list"),
    path("programmes/<int:programme_id>/kickoffs/new/", views.create, name="create"),
    path("kickoffs/<int:kickoff_id>/", views.detail, name="detail"),
    path("kickoffs/<int:kickoff_id>/edit/", views.edit, name="edit"),
    path("kickoffs/<int:kickoff_id>/invite/", views.invite, name="invite"),
    path("kickoffs/<int:kickoff_id>/attendance/", views.attendance, name="attendance"),
    path("kickoffs/<int:kickoff_id>/questions/", views.note_question, name="note_question"),
    path("kickoffs/<int:kickoff_id>/presentation/", views.presentation, name="presentation"),
    path("kickoffs/<int:kickoff_id>/invitation.ics", views.invitation_ics, name="invitation_ics"),
]
