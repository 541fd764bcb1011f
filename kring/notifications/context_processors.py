from .models import Notice


def notices(request):
    """The number of unread notices, for the header: one query, only for signed-in people."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated or getattr(request, "kring_fragment", False):
        return {}  # a fragment (the live stage) has no header
    return {
        "unread_notice_count": Notice.objects.filter(recipient=user, read_at__isnull=True).count()
    }
