"""Demo reports: every held meeting of a group has its report, drafted from its record by
its note taker and approved by the members who were there; group 1's last held meeting
waits for approval, one member has approved it, and the others have a notice."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from kring.meetings.models import RoleAssignment
from kring.notifications import services as notifications
from kring.notifications.models import Notice
from kring.planning.models import Meeting

from . import services
from .models import Report, ReportApproval, approval_days

FOLLOW_UP = (
    "De groep spreekt af dat de inbrenger in de volgende bijeenkomst kort vertelt hoe het "
    "gesprek is gegaan."
)


def add_demo_reports(group, *, awaiting_last: bool = False, still_to_approve=None) -> None:
    """Reports for the held meetings of `group`; with `awaiting_last` its last held
    meeting's report waits for approval, approved by one member other than
    `still_to_approve` (the demo participant, who finds it waiting)."""
    held = list(
        Meeting.objects.filter(group=group, status=Meeting.Status.HELD)
        .select_related("group__programme__organisation", "group__facilitator", "method_version")
        .order_by("starts_at")
    )
    if not held:
        return
    format_version = services.format_for_programme(group.programme)
    days = approval_days(group.programme)
    writers = dict(
        RoleAssignment.objects.filter(
            meeting__in=held, role=RoleAssignment.Role.NOTE_TAKER
        ).values_list("meeting_id", "user")
    )
    now = timezone.now()
    approvals = []
    with translation.override("nl"):
        for meeting in held:
            writer = _writer(meeting, writers.get(meeting.pk))
            texts = services.draft_texts(meeting, writer, format_version)
            if "agreements" in texts and not texts["agreements"]:
                texts["agreements"] = FOLLOW_UP
            waiting = awaiting_last and meeting is held[-1]
            submitted_at = max(meeting.ends_at + timedelta(hours=20), now - timedelta(days=1))
            if not waiting:
                submitted_at = meeting.ends_at + timedelta(hours=20)
            report = Report(
                meeting=meeting,
                format_version=format_version,
                status=Report.Status.AWAITING_APPROVAL if waiting else Report.Status.FINAL,
                revision=1,
                submitted_at=submitted_at,
                deadline=submitted_at + timedelta(days=days),
                final_at=None if waiting else submitted_at + timedelta(days=2),
                final_because="" if waiting else Report.FinalBecause.APPROVED,
                created_by=writer,
                updated_by=writer,
            )
            report.set_texts(texts)
            report.save()
            present = services.approvers(meeting)
            if waiting:
                _await_approval(report, present, writer, still_to_approve)
            else:
                approvals += [
                    ReportApproval(report=report, user=user, revision=1, decision="approve")
                    for user in present
                ]
    ReportApproval.objects.bulk_create(approvals)


def _writer(meeting, note_taker_id):
    if note_taker_id is not None:
        return next(
            (m.user for m in meeting.group.memberships.current() if m.user_id == note_taker_id),
            meeting.group.facilitator,
        )
    return meeting.group.facilitator


def _await_approval(report, present, writer, still_to_approve):
    """One member (the note taker when they can) has approved; the others are told, and
    the deadline check is queued as when the report is submitted."""
    from .tasks import check_report_deadline

    others = [user for user in present if user != still_to_approve]
    first = writer if writer in others else others[0]
    ReportApproval.objects.create(report=report, user=first, revision=1, decision="approve")
    meeting = report.meeting
    for user in present:
        if user != first:
            notifications.notify(
                recipient=user,
                kind=Notice.Kind.REPORT_AWAITS_APPROVAL,
                params={"group": meeting.group.name, "when": meeting.starts_at.isoformat()},
                link=reverse("reports:detail", kwargs={"meeting_id": meeting.pk}),
            )
    report_id, deadline = report.pk, report.deadline
    transaction.on_commit(
        lambda: check_report_deadline.using(run_after=deadline).enqueue(report_id, 1)
    )
