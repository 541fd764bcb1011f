"""From a committed change to the sockets of its session: only the session and version."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.dispatch import receiver

from .consumers import group_name
from .signals import live_changed


@receiver(live_changed, dispatch_uid="live_changed_to_sockets")
def _push_version(sender, session_id, version, **kwargs):
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(
            group_name(session_id), {"type": "live.changed", "version": version}
        )
