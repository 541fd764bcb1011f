from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path(
        "programmes/<int:programme_id>/communication/",
        views.communication_plan,
        name="communication_plan",
    ),
    path("communication/<int:message_id>/", views.message, name="message"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:notice_id>/read/", views.read, name="read"),
    path("notices/read-all/", views.read_all, name="read_all"),
]
