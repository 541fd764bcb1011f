from django import template

from kring.confidentiality import policy
from kring.confidentiality.policy import Action
from kring.planning.models import Meeting
from kring.reports.models import Report

register = template.Library()

STATUS_LABELS = dict(Report.Status.choices)


@register.inclusion_tag("reports/_meeting_report.html", takes_context=True)
def meeting_report(context, meeting):
    """The meeting page's link to its report, for the group's members and facilitator once
    the meeting is held or over; nothing for everyone else."""
    user = context["request"].user
    if not policy.check_is_open(meeting) or not policy.can(user, Action.VIEW_REPORT, meeting):
        return {"shown": False}
    status = policy.report_statuses(user, meeting.group).get(meeting.pk)
    return {
        "shown": True,
        "meeting": meeting,
        "status": status,
        "status_label": STATUS_LABELS.get(status, ""),
        "may_edit": policy.can(user, Action.EDIT_REPORT, meeting),
    }


@register.inclusion_tag("reports/_group_reports.html", takes_context=True)
def group_reports(context, group):
    """The group page's list of reports with their status (no content)."""
    statuses = policy.report_statuses(context["request"].user, group)
    meetings = Meeting.objects.filter(pk__in=statuses).order_by("starts_at")
    return {
        "rows": [
            {
                "meeting": meeting,
                "status": statuses[meeting.pk],
                "label": STATUS_LABELS[statuses[meeting.pk]],
            }
            for meeting in meetings
        ]
    }
