"""Reports: the formats, drafting a meeting's report from its record, editing, submitting
and approving it (one function per action, each one transaction).

A report is final when its presenter(s) and a majority of the members present have
approved its current revision, or when its deadline passes without objection (a comment is
an objection). An edit after submission raises the revision, so everyone is asked again.
Notices and mails say only that a report waits; they never carry its text.
"""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kring.confidentiality import policy
from kring.confidentiality.models import AuditEvent
from kring.confidentiality.policy import Action
from kring.core import emails
from kring.meetings.models import RoleAssignment
from kring.notifications import services as notifications
from kring.notifications.models import Notice
from kring.planning.models import Attendance, Meeting

from . import defaults, sections
from .models import (
    COMMENT_MAX_LENGTH,
    MAX_APPROVAL_DAYS,
    MIN_APPROVAL_DAYS,
    SECTION_MAX_LENGTH,
    Report,
    ReportApproval,
    ReportFormat,
    ReportFormatVersion,
    ReportSettings,
    approval_days,
)

Status = Report.Status
Decision = ReportApproval.Decision


class ReportError(Exception):
    """An action that does not fit the report's state; the message is for the person."""


# Formats


def default_format() -> ReportFormatVersion:
    """The built-in default's current version (made again if a flushed database lost it)."""
    defaults.load(ReportFormat, ReportFormatVersion)
    return ReportFormat.objects.get(organisation=None).current


def own_format(organisation) -> ReportFormatVersion | None:
    report_format = ReportFormat.objects.filter(organisation=organisation).first()
    return report_format.current if report_format else None


def format_for_programme(programme) -> ReportFormatVersion:
    """The organisation's current format, else that of the firm running the programme,
    else the built-in default."""
    for organisation_id in (programme.organisation_id, programme.run_by_id):
        if organisation_id is None:
            continue
        version = own_format(organisation_id)
        if version is not None:
            return version
    return default_format()


@transaction.atomic
def save_format(*, organisation, sections_data: list[dict], by) -> ReportFormatVersion:
    """Save the organisation's format as its next version; nothing changes when the
    sections are the same as its current (or, for a first save, the inherited) ones."""
    problems = sections.validate(sections_data)
    if problems:
        raise ReportError(" ".join(problems))
    report_format, _created = ReportFormat.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    latest = report_format.current
    if latest is not None and latest.sections == sections_data:
        return latest
    return ReportFormatVersion.objects.create(
        format=report_format,
        number=(latest.number + 1) if latest else 1,
        sections=sections_data,
        created_by=by,
    )


@transaction.atomic
def save_settings(*, programme, approval_days: int, by) -> ReportSettings:
    if not MIN_APPROVAL_DAYS <= approval_days <= MAX_APPROVAL_DAYS:
        raise ReportError(
            _("Choose between %(low)d and %(high)d days.")
            % {"low": MIN_APPROVAL_DAYS, "high": MAX_APPROVAL_DAYS}
        )
    row, _created = ReportSettings.objects.update_or_create(
        programme=programme, defaults={"approval_days": approval_days}
    )
    return row


# Who is asked


def approvers(meeting: Meeting) -> list:
    """The current members who were at the meeting: they approve or comment."""
    return policy.present_members(meeting)


def presenter_ids(meeting: Meeting) -> set[int]:
    return set(
        RoleAssignment.objects.filter(
            meeting=meeting, role=RoleAssignment.Role.PRESENTER
        ).values_list("user_id", flat=True)
    )


def link(meeting: Meeting) -> str:
    return reverse("reports:detail", kwargs={"meeting_id": meeting.pk})


# Drafting


def _bullets(items) -> str:
    return "\n".join(f"- {item}" for item in items if item)


def _names(users) -> str:
    return ", ".join(user.full_name for user in users)


def _roles_text(meeting: Meeting, present_ids: set[int]) -> str:
    assignments = list(
        RoleAssignment.objects.filter(meeting=meeting).select_related("user").order_by("role")
    )
    order = list(RoleAssignment.Role.values)
    assignments.sort(key=lambda a: (order.index(a.role), a.user.full_name))
    lines = [f"{a.get_role_display()}: {a.user.full_name}" for a in assignments]
    with_role = {a.user_id for a in assignments}
    members = [m.user for m in meeting.group.memberships.current().select_related("user")]
    questioners = [u for u in members if u.pk in present_ids and u.pk not in with_role]
    if questioners:
        lines.append(_("Questioners: %(names)s") % {"names": _names(questioners)})
    return "\n".join(lines)


def _presence(meeting: Meeting) -> tuple[set[int], str]:
    members = [m.user for m in meeting.group.memberships.current().select_related("user")]
    present = policy.present_members(meeting)
    rows = dict(Attendance.objects.filter(meeting=meeting).values_list("user_id", "status"))
    absent = [user for user in members if user not in present and user.pk in rows]
    lines = [_("Present: %(names)s") % {"names": _names(present) or "—"}]
    if absent:
        lines.append(_("Absent: %(names)s") % {"names": _names(absent)})
    facilitator = meeting.group.facilitator
    if facilitator is not None:
        lines.append(_("Facilitator: %(name)s") % {"name": facilitator.full_name})
    return {user.pk for user in present}, "\n".join(lines)


def _next_meeting(meeting: Meeting) -> str:
    upcoming = (
        Meeting.objects.filter(group=meeting.group, starts_at__gt=meeting.starts_at)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("starts_at")
        .first()
    )
    if upcoming is None:
        return _("Not planned yet.")
    when = date_format(timezone.localtime(upcoming.starts_at), "l j F Y, H:i")
    where = upcoming.online_link if upcoming.mode == Meeting.Mode.ONLINE else upcoming.location
    return f"{when}" + (f", {where}" if where else "")


def _record_digest(by, meeting: Meeting) -> dict:
    """The record's contents as plain lists, after an audited read of the record."""
    from kring.records.selectors import record_digest

    record = policy.read_record(by, meeting).record
    return record_digest(record) if record is not None else {}


def draft_texts(meeting: Meeting, by, format_version: ReportFormatVersion) -> dict[str, str]:
    """A text per section of the format, from the record and the meeting's facts."""
    digest = _record_digest(by, meeting)
    present_ids, presence = _presence(meeting)
    method = meeting.method_version
    chosen = digest.get("chosen_statement") or ""
    cases = policy.read_meeting_cases(by, meeting)
    by_source = {
        "method": (
            _("%(name)s (version %(number)d)") % {"name": method.name, "number": method.number}
            if method
            else ""
        ),
        "roles": _roles_text(meeting, present_ids),
        "presence": presence,
        "cases": _bullets(f"{case.title} ({case.presenter.full_name})" for case in cases),
        # Methods without problem statements still have the presenter's own question.
        "problem_statement": chosen
        or _bullets(digest.get("problem_statements", []))
        or _bullets(case.question for case in cases if case.question),
        "questions": _bullets(digest.get("questions", [])),
        "analysis": _bullets(
            digest.get("contributions", []) + digest.get("analysis", []) + digest.get("gossip", [])
        ),
        "advice": _bullets(digest.get("advice", [])),
        "takeaways": _bullets(digest.get("takeaways", [])),
        "action_points": _bullets(
            f"{name}: {text}" if name else text for name, text in digest.get("action_points", [])
        ),
        "agreements": digest.get("agreements", "") or "",
        "next_meeting": _next_meeting(meeting),
        "free": "",
    }
    return {
        section["key"]: by_source.get(section["source"], "")[:SECTION_MAX_LENGTH]
        for section in format_version.sections
    }


@transaction.atomic
def draft_report(meeting: Meeting, by) -> Report:
    """The meeting's report, drafted from its record in the programme's report format."""
    if not policy.can(by, Action.EDIT_REPORT, meeting):
        raise ReportError(_("You cannot write the report of this meeting."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if Report.objects.filter(meeting=meeting).exists():
        raise ReportError(_("This meeting already has a report."))
    format_version = format_for_programme(meeting.group.programme)
    report = Report(meeting=meeting, format_version=format_version, created_by=by, updated_by=by)
    report.set_texts(draft_texts(meeting, by, format_version))
    report.save()
    policy.record_content_change(AuditEvent.Event.CREATE, by, report, "report drafted")
    return report


# Editing and submitting


def _ask_for_approval(report: Report, *, again: bool) -> None:
    """Notices and mails to everyone present: a report waits (never its content)."""
    meeting = report.meeting
    for user in approvers(meeting):
        notifications.notify(
            recipient=user,
            kind=Notice.Kind.REPORT_AWAITS_APPROVAL,
            params={"group": meeting.group.name, "when": meeting.starts_at.isoformat()},
            link=link(meeting),
        )
        emails.send(
            "report_awaits_approval",
            user.email,
            {
                "meeting": meeting,
                "user": user,
                "link": link(meeting),
                "again": again,
                "deadline": report.deadline,
            },
            language=user.language,
        )


def _submit(report: Report, by) -> None:
    from .tasks import check_report_deadline

    now = timezone.now()
    again = report.revision > 0
    report.revision += 1
    report.status = Status.AWAITING_APPROVAL
    report.submitted_at = now
    report.deadline = now + timedelta(days=approval_days(report.meeting.group.programme))
    report.save()
    report_id, revision, deadline = report.pk, report.revision, report.deadline
    transaction.on_commit(
        lambda: check_report_deadline.using(run_after=deadline).enqueue(report_id, revision)
    )
    _ask_for_approval(report, again=again)


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("meeting__group__programme__organisation", "format_version")
        .get(pk=report.pk)
    )


@transaction.atomic
def save_report(*, report: Report, texts: dict[str, str], submit: bool, by) -> Report:
    """Keep the edited texts. A draft is submitted when asked; a report that was already
    submitted goes out again as a new revision when its text changed."""
    if not policy.can(by, Action.EDIT_REPORT, report.meeting):
        raise ReportError(_("You cannot edit this report."))
    report = _locked(report)
    if report.status == Status.FINAL:
        raise ReportError(_("This report is final and can no longer be changed."))
    keys = [section["key"] for section in report.format_version.sections]
    cleaned = {key: (texts.get(key) or "").strip()[:SECTION_MAX_LENGTH] for key in keys}
    changed = cleaned != {key: report.texts.get(key, "") for key in keys}
    if changed:
        report.set_texts(cleaned)
        report.updated_by = by
        report.save()
        policy.record_content_change(
            AuditEvent.Event.CHANGE, by, report, f"report edited (revision {report.revision})"
        )
    if report.status == Status.DRAFT and submit:
        _submit(report, by)
    elif report.status == Status.AWAITING_APPROVAL and changed:
        _submit(report, by)
    return report


# Approving


def _current_reactions(report: Report) -> list[ReportApproval]:
    return list(
        ReportApproval.objects.filter(report=report, revision=report.revision).select_related(
            "user"
        )
    )


def approval_state(report: Report) -> dict:
    """Who approved and who objected to the current revision, and what is still needed.
    Names only, never a comment's text."""
    meeting = report.meeting
    asked = approvers(meeting)
    asked_ids = {user.pk for user in asked}
    reactions = [r for r in _current_reactions(report) if r.user_id in asked_ids]
    approved = [r.user for r in reactions if r.decision == Decision.APPROVE]
    commented = [r.user for r in reactions if r.decision == Decision.COMMENT]
    presenters = [user for user in asked if user.pk in presenter_ids(meeting)]
    approved_ids = {user.pk for user in approved}
    return {
        "asked": asked,
        "approved": approved,
        "commented": commented,
        "presenters": presenters,
        "presenters_pending": [user for user in presenters if user.pk not in approved_ids],
        "majority": len(asked) // 2 + 1,
        "waiting": [user for user in asked if user.pk not in {r.user_id for r in reactions}],
    }


def _is_approved(state: dict) -> bool:
    return (
        bool(state["asked"])
        and not state["presenters_pending"]
        and len(state["approved"]) >= state["majority"]
    )


def _make_final(report: Report, because: str) -> None:
    report.status = Status.FINAL
    report.final_at = timezone.now()
    report.final_because = because
    report.save(update_fields=["status", "final_at", "final_because", "updated_at"])


@transaction.atomic
def react(
    *, report: Report, decision: str, comment: str = "", by, revision: int | None = None
) -> ReportApproval:
    """A member present approves the current revision or comments on it (which objects to
    it). A second reaction to the same revision replaces the first. `revision`: the one
    the member read; a reaction to a revision changed since is refused."""
    if not policy.can(by, Action.APPROVE_REPORT, report):
        raise ReportError(_("You cannot approve this report."))
    report = _locked(report)
    if report.status != Status.AWAITING_APPROVAL:
        raise ReportError(_("This report is not waiting for approval."))
    if revision is not None and revision != report.revision:
        raise ReportError(
            _("The report has been changed since you opened it. Read it again, then react.")
        )
    comment = comment.strip()[:COMMENT_MAX_LENGTH]
    if decision not in Decision.values:
        raise ReportError(_("Approve the report or write a comment."))
    if decision == Decision.COMMENT and not comment:
        raise ReportError(_("Write what should change in the report."))
    reaction, _created = ReportApproval.objects.update_or_create(
        report=report,
        user=by,
        revision=report.revision,
        defaults={"decision": decision, "comment": comment if decision == Decision.COMMENT else ""},
    )
    if decision == Decision.COMMENT:
        policy.record_content_change(AuditEvent.Event.CREATE, by, reaction, "report comment")
    if _is_approved(approval_state(report)):
        _make_final(report, Report.FinalBecause.APPROVED)
    return reaction


@transaction.atomic
def check_deadline(*, report_id: int, revision: int) -> str:
    """At the deadline of a revision: final when nobody objected. Re-checks the report as
    it is now (edited since, approved already, or moved on to another revision)."""
    report = (
        Report.objects.select_for_update()
        .select_related("meeting__group__programme__organisation")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        return "gone"
    if report.status != Status.AWAITING_APPROVAL or report.revision != revision:
        return "moved on"
    if report.deadline is None or timezone.now() < report.deadline:
        return "not yet"
    if _is_approved(approval_state(report)):
        _make_final(report, Report.FinalBecause.APPROVED)
        return "final"
    if ReportApproval.objects.filter(
        report=report, revision=report.revision, decision=Decision.COMMENT
    ).exists():
        return "objected"
    _make_final(report, Report.FinalBecause.DEADLINE)
    return "final"
