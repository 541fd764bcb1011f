"""Login throttling with django-axes: per e-mail address and per client IP, apart.

axes counts failures per lockout parameter and compares the largest count with one limit.
Kring wants a higher limit per IP address (an office, or a care home's wifi, shares one)
than per e-mail address, so the handler scales the IP count to the address limit.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def login_address(request, credentials) -> str | None:
    """The address as the login finds its account: " Marloes@Example.org" is marloes@….

    Without this every spelling of one address would have its own count.
    """
    if credentials and credentials.get("username") is not None:
        value = credentials["username"]
    else:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD) if request else None
    if value is None:
        return None
    return str(value).strip().lower()


class PerAddressAndIPHandler(AxesDatabaseHandler):
    """Locks out at AXES_FAILURE_LIMIT failures for one address or KRING_IP_FAILURE_LIMIT
    failures from one IP address, whichever comes first."""

    def get_failures(self, request, credentials=None) -> int:
        by_address, by_ip = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        # An IP failure weighs address-limit / IP-limit of an address failure, so either
        # count reaches AXES_FAILURE_LIMIT exactly when it reaches its own limit.
        ip_as_address = by_ip * settings.AXES_FAILURE_LIMIT // settings.KRING_IP_FAILURE_LIMIT
        return max(by_address, ip_as_address)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears the count of its own address, not of its IP address:
        else one account of the attacker's own would reset the count for all the others."""
        by_address, _by_ip = self.filter_user_attempts(request, credentials)
        count, _ = by_address.delete()
        return count
