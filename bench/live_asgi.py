"""Kring's ASGI application with a bare Channels echo route, for bench/live_fanout.py only.

`/ws/bench/echo/<group>/` joins a channel-layer group; a JSON message sent on it is
fanned out as it is to every socket of that group through the same channel layer (in
memory, or Redis with REDIS_URL). No session, no policy, no database: the floor that
the live session's "changed, version N" plus each device's own view are measured against.
Never routed in production: the benchmark serves `bench.live_asgi:application`.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
django_asgi_app = get_asgi_application()

from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402

from kring.asgi import application as kring_application  # noqa: E402


class EchoConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = f"bench-echo-{self.scope['url_route']['kwargs']['group']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(self.group, {"type": "echo", "text": text_data})

    async def echo(self, event):
        await self.send(text_data=event["text"])


echo = AllowedHostsOriginValidator(
    URLRouter([path("ws/bench/echo/<int:group>/", EchoConsumer.as_asgi())])
)


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"].startswith("/ws/bench/"):
        return await echo(scope, receive, send)
    return await kring_application(scope, receive, send)
