"""The in-memory channel layer of a server without Redis still drops what expired (a
message nobody received, the membership of a socket that went away), only not on every
message: at most once every `CLEAN_EVERY_SECONDS`."""

import asyncio

from asgiref.sync import async_to_sync
from django.conf import settings

from kring.live import channel_layer
from kring.live.channel_layer import ThrottledInMemoryChannelLayer


def test_the_settings_use_it_without_redis():
    if not settings.REDIS_URL:
        backend = settings.CHANNEL_LAYERS["default"]["BACKEND"]
        assert backend == "kring.live.channel_layer.ThrottledInMemoryChannelLayer"


def test_an_unreceived_message_expires_and_takes_its_channel_out_of_the_group(monkeypatch):
    async def run():
        layer = ThrottledInMemoryChannelLayer(expiry=0.01)
        await layer.group_add("session", "gone.inmemory!a")
        await layer.group_add("session", "here.inmemory!b")
        await layer.send("gone.inmemory!a", {"type": "live.changed", "version": 2})
        await asyncio.sleep(0.05)
        await layer.group_send("session", {"type": "live.changed", "version": 3})
        # The first send after start cleaned: the expired channel left the group.
        assert set(layer.groups["session"]) == {"here.inmemory!b"}
        assert (await layer.receive("here.inmemory!b"))["version"] == 3

        # Within the second a new expired message is not looked for yet...
        await layer.send("here.inmemory!b", {"type": "live.changed", "version": 4})
        await asyncio.sleep(0.05)
        await layer.group_send("other", {"type": "live.changed", "version": 1})
        assert set(layer.groups["session"]) == {"here.inmemory!b"}
        # ...and once the second is over it is.
        monkeypatch.setattr(channel_layer, "CLEAN_EVERY_SECONDS", 0)
        await layer.group_send("other", {"type": "live.changed", "version": 1})
        assert layer.groups["session"] == {}

    async_to_sync(run)()
