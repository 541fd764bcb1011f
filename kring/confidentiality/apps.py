from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfidentialityConfig(AppConfig):
    name = "kring.confidentiality"
    label = "confidentiality"
    verbose_name = _("Confidentiality")

    def ready(self):
        # After django.contrib.admin's own ready(), which has registered every ModelAdmin.
        from . import staff_admin

        staff_admin.connect()
