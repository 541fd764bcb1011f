"""From a committed change to the sockets of its session: only the session and version.

The change is saved before this runs; a channel layer that is down (Redis restarting)
must not turn it into an error for whoever made it. Devices catch up when they reconnect:
the socket starts with the current version.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.dispatch import receiver

from .consumers import group_name
from .signals import live_changed

logger = logging.getLogger(__name__)


@receiver(live_changed, dispatch_uid="live_changed_to_sockets")
def _push_version(sender, session_id, version, **kwargs):
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            group_name(session_id), {"type": "live.changed", "version": version}
        )
    except Exception:  # the layer's own errors differ per backend
        logger.exception("live session %s: version %s not pushed", session_id, version)
