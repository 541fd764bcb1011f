from django.urls import path

from . import screen_views

app_name = "screen"

urlpatterns = [
    path("scherm/", screen_views.pair, name="pair"),
    path("scherm/live/", screen_views.view, name="view"),
    path("scherm/live/stage/", screen_views.stage, name="stage"),
    path(
        "meetings/<int:meeting_id>/live/screen/open/",
        screen_views.open_screen,
        name="open",
    ),
    path(
        "meetings/<int:meeting_id>/live/screen/close/",
        screen_views.close_screen,
        name="close",
    ),
]
