from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("meetings/<int:meeting_id>/report/", views.detail, name="detail"),
    path("meetings/<int:meeting_id>/report/draft/", views.draft, name="draft"),
    path("meetings/<int:meeting_id>/report/edit/", views.edit, name="edit"),
    path("meetings/<int:meeting_id>/report/react/", views.react, name="react"),
    path("meetings/<int:meeting_id>/report/print/", views.print_view, name="print"),
    path("programmes/<int:programme_id>/report-settings/", views.settings_view, name="settings"),
    path("organisations/<slug:slug>/report-format/", views.format_edit, name="format"),
    path(
        "organisations/<slug:slug>/report-format/history/",
        views.format_history,
        name="format_history",
    ),
]
