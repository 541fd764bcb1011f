"""Registration, import and export URLs. They are included in the `programmes` namespace
(`programmes:registrations`, `programmes:import_participants`, …): they live under a
programme's address, and every link and test keeps its name."""

from django.urls import path

from . import import_views, views

urlpatterns = [
    path("<int:programme_id>/registrations/", views.registrations, name="registrations"),
    path(
        "<int:programme_id>/registrations/toggle/",
        views.toggle_registration,
        name="toggle_registration",
    ),
    path(
        "registrations/<int:registration_id>/withdraw/",
        views.withdraw_registration,
        name="withdraw_registration",
    ),
    path("confirm/<str:token>/", views.manager_confirmation, name="manager_confirmation"),
    # Import and export of participants (CSV and Excel).
    path(
        "<int:programme_id>/participants/import/",
        import_views.import_upload,
        name="import_participants",
    ),
    path(
        "<int:programme_id>/participants/import/columns/",
        import_views.import_columns,
        name="import_columns",
    ),
    path(
        "<int:programme_id>/participants/import/check/",
        import_views.import_check,
        name="import_check",
    ),
    path(
        "<int:programme_id>/participants/import/invitations/",
        import_views.import_invitations,
        name="import_invitations",
    ),
    path(
        "<int:programme_id>/participants/import/confirm/",
        import_views.import_confirm,
        name="import_confirm",
    ),
    path(
        "<int:programme_id>/participants/export.<str:file_format>",
        import_views.export_participants,
        name="export_participants",
    ),
]
