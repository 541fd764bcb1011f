from django.urls import path

from . import input_views as views

app_name = "live_inputs"

urlpatterns = [
    path("meetings/<int:meeting_id>/live/inputs/", views.panel, name="panel"),
    path("meetings/<int:meeting_id>/live/inputs/draft/", views.draft, name="draft"),
    path("meetings/<int:meeting_id>/live/inputs/submit/", views.submit, name="submit"),
    path("meetings/<int:meeting_id>/live/inputs/choice/", views.choose, name="choose"),
    path("meetings/<int:meeting_id>/live/inputs/rating/", views.rate, name="rate"),
    path("meetings/<int:meeting_id>/live/inputs/answer/", views.answer, name="answer"),
    path(
        "meetings/<int:meeting_id>/live/inputs/<int:input_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path("meetings/<int:meeting_id>/live/inputs/<int:input_id>/edit/", views.edit, name="edit"),
]
