from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    """Registration, wishes, line-manager confirmation, import and export of participants.

    The models stay in `kring.programmes` (a registration belongs to its programme); this
    app holds what people do with them.
    """

    name = "kring.registrations"
    label = "registrations"
    verbose_name = _("Registrations")
