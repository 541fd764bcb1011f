"""Report formats (versioned, like methods), the report of a meeting and its approval.

A format belongs to an organisation, or to nobody: the built-in default. Its sections live
in its versions; a version never changes once it exists (a report keeps the version it was
drafted in), so every edit of a format makes a new version.

A report's text is content: it is stored encrypted and read only through the policy's
audited readers (`read_report`), by the group's current members and its facilitator.
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kring.confidentiality.encryption import EncryptedTextField

from . import sections as section_data

DEFAULT_APPROVAL_DAYS = 7
MIN_APPROVAL_DAYS = 1
MAX_APPROVAL_DAYS = 30
COMMENT_MAX_LENGTH = 2000
SECTION_MAX_LENGTH = 10_000


class ReportFormat(models.Model):
    """An organisation's report format, or (without organisation) the built-in default."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_format",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("report format")
        verbose_name_plural = _("report formats")
        constraints = [
            # One built-in default: the organisation column counts 0 for it.
            models.UniqueConstraint(
                Coalesce("organisation", Value(0)), name="reports_one_default_format"
            )
        ]

    def __str__(self):
        return f"report format #{self.pk}"

    @property
    def is_default(self) -> bool:
        return self.organisation_id is None

    @property
    def current(self) -> "ReportFormatVersion | None":
        return self.versions.order_by("-number").first()


class ReportFormatVersion(models.Model):
    """One version of a format's sections (see `sections.validate`). Immutable."""

    format = models.ForeignKey(ReportFormat, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    sections = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["format", "number"]
        verbose_name = _("report format version")
        verbose_name_plural = _("report format versions")
        constraints = [
            models.UniqueConstraint(fields=["format", "number"], name="reports_format_version")
        ]

    def __str__(self):
        return f"report format #{self.format_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A version of a report format cannot be changed."))
        problems = section_data.validate(self.sections)
        if problems:
            raise ValidationError(problems)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A version of a report format cannot be deleted."))

    def localised_sections(self) -> list[dict]:
        """The sections with their title and prompt in the viewer's language."""
        language = get_language()
        return [
            {
                "key": section["key"],
                "source": section["source"],
                "title": section_data.localised(section["title"], language),
                "prompt": section_data.localised(section.get("prompt") or {}, language),
            }
            for section in self.sections
        ]


class ReportSettings(models.Model):
    """A programme's approval period: the days the members present have to react."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="report_settings"
    )
    approval_days = models.PositiveSmallIntegerField(
        _("days to approve a report"), default=DEFAULT_APPROVAL_DAYS
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(approval_days__gte=MIN_APPROVAL_DAYS)
                & Q(approval_days__lte=MAX_APPROVAL_DAYS),
                name="report_settings_approval_days_1_to_30",
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.approval_days}"


def approval_days(programme) -> int:
    row = ReportSettings.objects.filter(programme=programme).first()
    return row.approval_days if row else DEFAULT_APPROVAL_DAYS


class Report(models.Model):
    """The report of one meeting: text per section of its format version, and its state.

    `revision` counts the submissions for approval: approvals count for the revision they
    were given on, so an edit after submission asks everyone again.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        FINAL = "final", _("Final")

    class FinalBecause(models.TextChoices):
        APPROVED = "approved", _("approved by the presenter(s) and a majority")
        DEADLINE = "deadline", _("no objection before the deadline")

    meeting = models.OneToOneField(
        "planning.Meeting", on_delete=models.CASCADE, related_name="report"
    )
    format_version = models.ForeignKey(
        ReportFormatVersion, on_delete=models.RESTRICT, related_name="reports"
    )
    # JSON text {section key: text}, encrypted as a whole.
    sections = EncryptedTextField(_("sections"), default="{}")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    revision = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    final_at = models.DateTimeField(null=True, blank=True)
    final_because = models.CharField(max_length=10, choices=FinalBecause.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Named accessors (not "+"): the content scans look for every way to a report.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reports_drafted",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reports_edited",
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="report_submitted_has_date",
            ),
        ]

    def __str__(self):
        return f"report of meeting #{self.meeting_id}"

    @property
    def group(self):
        """The group whose content this is (for the policy's audit entries)."""
        return self.meeting.group

    @property
    def texts(self) -> dict[str, str]:
        try:
            value = json.loads(self.sections or "{}")
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def set_texts(self, texts: dict[str, str]) -> None:
        self.sections = json.dumps(texts, ensure_ascii=False)

    def filled_sections(self) -> list[dict]:
        """The format's sections in the viewer's language, each with its text."""
        texts = self.texts
        return [
            {**section, "text": texts.get(section["key"], "")}
            for section in self.format_version.localised_sections()
        ]


class ReportApproval(models.Model):
    """A member's reaction to one revision of a report: approve, or comment (objection)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        COMMENT = "comment", _("Comment")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_approvals"
    )
    revision = models.PositiveIntegerField()
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = EncryptedTextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report approval")
        verbose_name_plural = _("report approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user", "revision"], name="report_approval_once_per_revision"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.report} r{self.revision}: {self.decision}"

    @property
    def group(self):
        return self.report.meeting.group

    @property
    def meeting(self):
        return self.report.meeting
