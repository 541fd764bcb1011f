from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "kring.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self):
        # Connects the task queue to the signals the services send (see signals.py).
        from . import tasks  # noqa: F401
