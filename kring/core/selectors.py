"""Reads for the dashboard: each section shows only what the policy allows."""

from django.utils import timezone

from kring.confidentiality import policy
from kring.groups.models import GroupMembership
from kring.planning.models import Meeting


def dashboard_for(user) -> dict:
    content_groups = list(policy.groups_with_content_for(user))
    member_group_ids = set(
        GroupMembership.objects.current().filter(user=user).values_list("group_id", flat=True)
    )
    upcoming = (
        Meeting.objects.filter(
            group__in=content_groups,
            starts_at__gte=timezone.now(),
            status=Meeting.Status.PLANNED,
        )
        .select_related("group")
        .order_by("starts_at")[:5]
    )
    reports = list(policy.direct_reports_of(user))
    report_user_ids = [membership.user_id for membership in reports]
    # Only the group in the organisation where this person is their line manager: what
    # the report does in open programmes elsewhere is none of the manager's business.
    manages_in = {membership.user_id: membership.organisation_id for membership in reports}
    report_groups = {
        membership.user_id: membership
        for membership in GroupMembership.objects.current()
        .filter(user_id__in=report_user_ids)
        .select_related("group__programme")
        if membership.group.programme.organisation_id == manages_in[membership.user_id]
    }
    return {
        "my_groups": [group for group in content_groups if group.pk in member_group_ids],
        "facilitated_groups": [
            group for group in content_groups if group.facilitator_id == user.pk
        ],
        "programmes": list(policy.programmes_for(user)),
        "upcoming_meetings": list(upcoming),
        "direct_reports": [
            {"membership": membership, "group_membership": report_groups.get(membership.user_id)}
            for membership in reports
        ],
        "managed_organisations": list(policy.managed_organisations(user)),
    }
