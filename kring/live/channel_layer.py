"""The channel layer of one app server without Redis: Channels' in-memory layer, with its
clean-up of expired messages and group memberships run at most once a second.

Channels' layer cleans on every receive and every group send, walking every channel and
every membership of the process: each socket receives after each message, so the work
grew with the square of the sockets (800 live sockets: 7 % of the server's time in the
walk, bench/live_fanout.py). Messages expire after a minute and memberships after a day;
looking once a second changes neither.
"""

import time

from channels.layers import InMemoryChannelLayer

CLEAN_EVERY_SECONDS = 1.0


class ThrottledInMemoryChannelLayer(InMemoryChannelLayer):
    _cleaned_at = float("-inf")

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._cleaned_at < CLEAN_EVERY_SECONDS:
            return
        self._cleaned_at = now
        super()._clean_expired()
