from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kring.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import tasks  # noqa: F401 - the approval deadline task
