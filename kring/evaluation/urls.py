from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("meetings/<int:meeting_id>/check/", views.answer, name="answer"),
    path("meetings/<int:meeting_id>/check/results/", views.results, name="results"),
]
