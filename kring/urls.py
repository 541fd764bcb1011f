from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("kring.core.urls")),
    path("accounts/", include("kring.accounts.urls")),
    path("organisations/", include("kring.organisations.urls")),
    path("programmes/", include("kring.programmes.urls")),
    path("groups/", include("kring.groups.urls")),
    path("planning/", include("kring.planning.urls")),
    path("", include("kring.meetings.urls")),
    path("", include("kring.kickoffs.urls")),
    path("", include("kring.notifications.urls")),
    path("methods/", include("kring.methods.urls")),
    path("", include("kring.evaluation.urls")),
    path("", include("kring.records.urls")),
    path("", include("kring.reports.urls")),
    path("", include("kring.live.urls")),
    path("", include("kring.live.input_urls")),
    path("", include("kring.live.screen_urls")),
    path("privacy/2fa/", include("kring.confidentiality.otp_urls")),
    path("privacy/log/", include("kring.confidentiality.log_urls")),
    path("privacy/", include("kring.confidentiality.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "kring.core.views.bad_request"
handler403 = "kring.core.views.permission_denied"
handler404 = "kring.core.views.page_not_found"
handler500 = "kring.core.views.server_error"
