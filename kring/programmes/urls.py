from django.urls import include, path

from . import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<int:programme_id>/", views.programme_detail, name="detail"),
    path("<int:programme_id>/plan/", views.plan_edit, name="plan_edit"),
    path("<int:programme_id>/plan/print/", views.plan_print, name="plan_print"),
    path("<int:programme_id>/status/", views.change_status, name="change_status"),
    path("<int:programme_id>/assignments/", views.send_assignment, name="send_assignment"),
    path(
        "assignments/<int:assignment_id>/done/",
        views.complete_assignment,
        name="complete_assignment",
    ),
    path("join/<str:token>/", views.programme_page, name="page"),
    # Registrations, import and export: their own app, names in this namespace.
    path("", include("kring.registrations.urls")),
]
