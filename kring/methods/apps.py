from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MethodsConfig(AppConfig):
    name = "kring.methods"
    label = "methods"
    verbose_name = _("Methods")

    def ready(self):
        from . import receivers  # noqa: F401  (new, moved and cancelled meetings get the plan)
