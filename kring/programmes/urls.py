from django.urls import path

from . import participant_views, registration_views, views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_create, name="create"),
    path("<int:programme_id>/", views.programme_detail, name="detail"),
    path("<int:programme_id>/plan/", views.plan_edit, name="plan_edit"),
    path("<int:programme_id>/plan/print/", views.plan_print, name="plan_print"),
    path("<int:programme_id>/status/", views.change_status, name="change_status"),
    path(
        "<int:programme_id>/registrations/",
        registration_views.registrations,
        name="registrations",
    ),
    path(
        "<int:programme_id>/registrations/toggle/",
        registration_views.toggle_registration,
        name="toggle_registration",
    ),
    path(
        "registrations/<int:registration_id>/withdraw/",
        registration_views.withdraw_registration,
        name="withdraw_registration",
    ),
    path("<int:programme_id>/assignments/", views.send_assignment, name="send_assignment"),
    path(
        "assignments/<int:assignment_id>/done/",
        views.complete_assignment,
        name="complete_assignment",
    ),
    path("join/<str:token>/", registration_views.programme_page, name="page"),
    path(
        "confirm/<str:token>/",
        registration_views.manager_confirmation,
        name="manager_confirmation",
    ),
]

# Import and export of participants (CSV and Excel).
urlpatterns += [
    path(
        "<int:programme_id>/participants/import/",
        participant_views.import_upload,
        name="import_participants",
    ),
    path(
        "<int:programme_id>/participants/import/columns/",
        participant_views.import_columns,
        name="import_columns",
    ),
    path(
        "<int:programme_id>/participants/import/check/",
        participant_views.import_check,
        name="import_check",
    ),
    path(
        "<int:programme_id>/participants/import/invitations/",
        participant_views.import_invitations,
        name="import_invitations",
    ),
    path(
        "<int:programme_id>/participants/import/confirm/",
        participant_views.import_confirm,
        name="import_confirm",
    ),
    path(
        "<int:programme_id>/participants/export.<str:file_format>",
        participant_views.export_participants,
        name="export_participants",
    ),
]
