from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class DispatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Not sent")


class CommunicationDispatch(models.Model):
    """What becomes of one planned message of the communication plan: the text the
    coordinator reviewed, whether they confirmed it, and when it went to how many people.

    A planned message without a dispatch is a draft nobody has looked at yet. The message
    itself (date, audience, subject) stays the plan of approach's; a change of its date or
    audience after confirmation sends the dispatch back to draft.
    """

    Status = DispatchStatus

    class FailureReason(models.TextChoices):
        PROGRAMME_CLOSED = "programme_closed", _("The programme was closed.")
        NO_RECIPIENTS = "no_recipients", _("Nobody in the audience could be reached.")

    message = models.OneToOneField(
        "programmes.CommunicationMessage", on_delete=models.CASCADE, related_name="dispatch"
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The date and audience that were confirmed: the task sends only while they still hold.
    planned_for = models.DateField(null=True, blank=True)
    planned_audience = models.CharField(max_length=20, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients_count = models.PositiveIntegerField(default=0)
    failure_reason = models.CharField(max_length=20, choices=FailureReason.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("message dispatch")
        verbose_name_plural = _("message dispatches")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DispatchStatus.values), name="dispatch_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="dispatch_sent_has_time",
            ),
        ]

    def __str__(self):
        return self.subject


class NoticeKind(models.TextChoices):
    PLAN_AWAITS_APPROVAL = "plan_awaits_approval", _("A plan awaits your approval")
    POLL_AWAITS_ANSWER = "poll_awaits_answer", _("A date poll awaits your answer")
    KICKOFF_INVITATION = "kickoff_invitation", _("Invitation to a kick-off")
    CHECK_AWAITS_ANSWER = "check_awaits_answer", _("A one-minute check awaits your answer")
    REPORT_AWAITS_APPROVAL = "report_awaits_approval", _("A report awaits your approval")
    ROUND_PHASE_OPEN = "round_phase_open", _("A step of a written round is open")
    ROUND_REMINDER = "round_reminder", _("A written round awaits your contribution")
    ROUND_INPUTS_IN = "round_inputs_in", _("The group's contributions to your case are in")


class Notice(models.Model):
    """An in-app notice for one person: a kind and plain parameters (names, dates), worded
    when it is shown, in the reader's language. Never case content."""

    Kind = NoticeKind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_unread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="notice_kind_known"
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def text(self) -> str:
        """The notice in the reader's language, with its names filled in."""
        wording = NOTICE_TEXTS[self.kind]
        params = dict(self.params)
        if "when" in params:  # kept as an ISO time, worded in the reader's language
            when = parse_datetime(str(params["when"]))
            if when is not None:
                params["when"] = date_format(timezone.localtime(when), "l j F Y, H:i")
        try:
            return str(wording) % params
        except (KeyError, TypeError, ValueError):
            return str(self.get_kind_display())


NOTICE_TEXTS = {
    NoticeKind.PLAN_AWAITS_APPROVAL: _(
        "The plan of approach of “%(programme)s” awaits your approval."
    ),
    NoticeKind.POLL_AWAITS_ANSWER: _("%(group)s: the date poll “%(poll)s” awaits your answer."),
    NoticeKind.KICKOFF_INVITATION: _(
        "You are invited to the kick-off of “%(programme)s” on %(when)s."
    ),
    NoticeKind.CHECK_AWAITS_ANSWER: _(
        "%(group)s: how was the meeting of %(when)s? Your one-minute check takes a minute."
    ),
    NoticeKind.REPORT_AWAITS_APPROVAL: _(
        "%(group)s: the report of the meeting of %(when)s is waiting for your approval."
    ),
    NoticeKind.ROUND_PHASE_OPEN: _(
        "%(group)s: step %(number)s of the written round is open until %(when)s."
    ),
    NoticeKind.ROUND_REMINDER: _(
        "%(group)s: the written round awaits your contribution to step %(number)s before %(when)s."
    ),
    NoticeKind.ROUND_INPUTS_IN: _(
        "%(group)s: the group's contributions of step %(number)s to your case are in."
    ),
}
