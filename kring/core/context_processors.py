from kring.confidentiality import policy


def navigation(request):
    """What the menu offers: only the places this person may go."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or getattr(request, "kring_fragment", False):
        return {}  # a fragment (the live stage) has no menu
    return {
        "nav_managed_organisations": list(policy.managed_organisations(user)),
        "nav_audit_log_organisations": list(policy.audit_log_organisations(user)),
    }
