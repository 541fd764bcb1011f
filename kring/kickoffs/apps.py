from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KickoffsConfig(AppConfig):
    name = "kring.kickoffs"
    label = "kickoffs"
    verbose_name = _("Kick-off sessions")
