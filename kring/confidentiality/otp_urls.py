from django.urls import path

from . import otp_views

app_name = "otp"

urlpatterns = [
    path("setup/", otp_views.setup, name="setup"),
    path("verify/", otp_views.verify, name="verify"),
]
