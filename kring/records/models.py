"""The meeting record (verslaglegging): what was said per phase of the meeting's method.

Content: the inputs and the agreements are encrypted at rest, readable only by the group's
current members and its assigned facilitator, through the audited readers of the policy
(`read_record`, `read_open_action_points`). Nothing is deleted: an edit is a new input that
replaces the old one, a withdrawal only changes the state.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.confidentiality.encryption import EncryptedTextField
from kring.methods import structure

# The kinds of input a record holds: the method's input types except "none".
INPUT_KINDS = [(key, label) for key, label in structure.INPUTS.items() if key != "none"]


class MeetingRecord(models.Model):
    """The record of one meeting; made on first use, with the meeting's method version."""

    meeting = models.OneToOneField(
        "planning.Meeting", on_delete=models.CASCADE, related_name="record"
    )
    # Fixed when the record is made: the phases its inputs are numbered by.
    method_version = models.ForeignKey(
        "methods.MethodVersion",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="records",
    )
    agreements = EncryptedTextField(_("agreements"), blank=True)
    # Rises with every change (the live session pushes "changed, version N").
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="updated_meeting_records",
    )

    class Meta:
        verbose_name = _("meeting record")
        verbose_name_plural = _("meeting records")

    def __str__(self):
        return f"record of meeting #{self.meeting_id}"

    @property
    def group(self):
        return self.meeting.group


class RecordInputQuerySet(models.QuerySet):
    def current(self):
        """Not withdrawn, and not replaced by a later edit."""
        return self.exclude(state=RecordInput.State.WITHDRAWN).filter(replaced_by__isnull=True)


class RecordInput(models.Model):
    """One contribution in a phase: a question, a problem statement, a piece of advice..."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVEALED = "revealed", _("Revealed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Rating(models.TextChoices):
        WARM = "warm", _("Warm")
        NEUTRAL = "neutral", _("Neutral")
        COLD = "cold", _("Cold")

    record = models.ForeignKey(MeetingRecord, on_delete=models.CASCADE, related_name="inputs")
    # Made by the form or the device that typed it: a second submit is not a second input.
    client_id = models.UUIDField(default=uuid.uuid4)
    # 1-based index in the method version's phases; 0 = not in a phase.
    phase = models.PositiveSmallIntegerField(_("phase"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=INPUT_KINDS)
    # Whose contribution it is; empty = the group's, not attributed.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="record_inputs",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="entered_record_inputs"
    )
    text = EncryptedTextField(_("text"), blank=True)
    # A presenter's choice -> the chosen problem statement; a rating -> the rated question.
    refers_to = models.ForeignKey(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="referred_by"
    )
    rating = models.CharField(_("rating"), max_length=8, choices=Rating.choices, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SUBMITTED
    )
    # Submitted from a device for a phase the live session had already left (or after it
    # closed): kept, and shown as late.
    late = models.BooleanField(_("late"), default=False)
    # An edit is a new row that replaces the old one; nothing is deleted.
    replaces = models.ForeignKey(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="replaced_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecordInputQuerySet.as_manager()

    class Meta:
        ordering = ["phase", "created_at", "pk"]
        verbose_name = _("record input")
        verbose_name_plural = _("record inputs")
        constraints = [
            models.UniqueConstraint(fields=["record", "client_id"], name="record_input_client_id"),
        ]

    def __str__(self):
        # Never the text: a string of an input may end up in logs.
        return f"record input #{self.pk}"

    @property
    def group(self):
        return self.record.meeting.group

    @property
    def presenter_id(self):
        """For the audit: whose data an action point or take-away is (its presenter)."""
        if self.kind in {"action_points", "takeaways"}:
            return self.author_id
        return None


class ActionPointFollowUp(models.Model):
    """A presenter's follow-up of an action point at a later meeting."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        CARRIED_ON = "carried_on", _("Carried on")

    action_point = models.ForeignKey(
        RecordInput, on_delete=models.CASCADE, related_name="follow_ups"
    )
    at_meeting = models.ForeignKey(
        "planning.Meeting", on_delete=models.CASCADE, related_name="action_point_follow_ups"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("action point follow-up")
        verbose_name_plural = _("action point follow-ups")

    def __str__(self):
        return f"follow-up #{self.pk} of action point #{self.action_point_id}"
