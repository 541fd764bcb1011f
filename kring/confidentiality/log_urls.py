from django.urls import path

from . import log_views

app_name = "audit_log"

urlpatterns = [
    path("<slug:slug>/", log_views.entries, name="entries"),
    path("<slug:slug>/export.csv", log_views.export, name="export"),
]
