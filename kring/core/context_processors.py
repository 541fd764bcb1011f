from kring.confidentiality import policy
from kring.organisations.models import Membership, Organisation


def navigation(request):
    """What the menu offers: only the places this person may go."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "nav_managed_organisations": list(policy.managed_organisations(user)),
        "nav_audit_log_organisations": _audit_log_organisations(user),
    }


def _audit_log_organisations(user):
    """Organisations whose audit log this person reads (as their privacy officer)."""
    candidates = Organisation.objects.filter(
        memberships__user=user,
        memberships__is_active=True,
        memberships__role=Membership.Role.PRIVACY_OFFICER,
    )
    return [org for org in candidates if policy.can(user, policy.Action.VIEW_AUDIT_LOG, org)]
