"""Reads other apps use: the dashboards and the notifications ask what awaits a person."""

from django.db.models import Count, F, Q, QuerySet

from kring.confidentiality import policy

from .models import DatePoll


def polls_awaiting_answer(user) -> QuerySet[DatePoll]:
    """Open polls of the groups the user is a current member or the facilitator of, in
    which they have not answered every option yet; the soonest deadline first."""
    return (
        DatePoll.objects.filter(
            is_closed=False, group__in=policy.groups_with_content_for(user).values("pk")
        )
        .annotate(
            option_count=Count("options", distinct=True),
            answered_count=Count(
                "options__answers", filter=Q(options__answers__user=user), distinct=True
            ),
        )
        .filter(answered_count__lt=F("option_count"))
        .select_related("group")
        .order_by("closes_on", "created_at")
    )
