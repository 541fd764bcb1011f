from django.urls import path

from . import views

app_name = "methods"
urlpatterns = [
    path("", views.library, name="library"),
    path("import/", views.import_method, name="import"),
    path("<int:method_id>/", views.detail, name="detail"),
    path("<int:method_id>/copy/", views.copy, name="copy"),
    path("<int:method_id>/edit/", views.edit, name="edit"),
    path("<int:method_id>/versions/", views.history, name="history"),
    path("<int:method_id>/export/", views.export, name="export"),
    path("meetings/<int:meeting_id>/method/", views.choose_for_meeting, name="choose_for_meeting"),
    path("meetings/<int:meeting_id>/theme/", views.meeting_theme, name="meeting_theme"),
    path(
        "meetings/<int:meeting_id>/follow-cycle-plan/",
        views.follow_cycle_plan,
        name="follow_cycle_plan",
    ),
    path("programmes/<int:programme_id>/cycle-plan/", views.cycle_plan, name="cycle_plan"),
]
