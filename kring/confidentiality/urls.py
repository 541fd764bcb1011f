from django.urls import path

from . import views

app_name = "confidentiality"

urlpatterns = [
    path("my-cases/", views.case_reads, name="case_reads"),
]
