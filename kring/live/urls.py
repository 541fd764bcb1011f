from django.urls import path

from . import views

app_name = "live"

urlpatterns = [
    path("meetings/<int:meeting_id>/live/", views.page, name="page"),
    path("meetings/<int:meeting_id>/live/stage/", views.stage, name="stage"),
    path("meetings/<int:meeting_id>/live/start/", views.start, name="start"),
    path("meetings/<int:meeting_id>/live/advance/", views.advance, name="advance"),
    path("meetings/<int:meeting_id>/live/back/", views.back, name="back"),
    path("meetings/<int:meeting_id>/live/reveal/", views.reveal, name="reveal"),
    path("meetings/<int:meeting_id>/live/ready/", views.ready, name="ready"),
    path("meetings/<int:meeting_id>/live/timer/", views.timer, name="timer"),
    path("meetings/<int:meeting_id>/live/hand-over/", views.hand_over, name="hand_over"),
    path("meetings/<int:meeting_id>/live/close/", views.close, name="close"),
    path("meetings/<int:meeting_id>/live/pace/", views.pace, name="pace"),
    path("meetings/<int:meeting_id>/live/withdraw/", views.withdraw, name="withdraw"),
    path("groups/<int:group_id>/written-round/", views.plan_round, name="plan_round"),
]
