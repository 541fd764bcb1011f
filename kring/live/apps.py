from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "kring.live"
    label = "live"
    verbose_name = _("Live sessions")

    def ready(self):
        from . import (
            receivers,  # noqa: F401  (connects the push of live_changed)
            tasks,  # noqa: F401  (connects the queueing of a written round's tasks)
        )
