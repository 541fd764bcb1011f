from django.urls import path

from .consumers import LiveSessionConsumer, RoomScreenConsumer

websocket_urlpatterns = [
    path("ws/live/screen/", RoomScreenConsumer.as_asgi()),
    path("ws/live/<int:session_id>/", LiveSessionConsumer.as_asgi()),
]
