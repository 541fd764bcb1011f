from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "kring.evaluation"
    label = "evaluation"
    verbose_name = _("One-minute check")

    def ready(self):
        from . import tasks  # noqa: F401 - connects the receivers that queue the tasks
