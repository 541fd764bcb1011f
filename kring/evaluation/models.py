"""The one-minute check after a meeting: two ratings and an optional remark.

As EvaP does, who answered is stored apart from what was answered. `CheckParticipation`
knows the person and whether they answered (for the reminder only); `CheckAnswer` knows only
the meeting: no person, no time, and a random key, so neither its fields nor the order of
its rows lead back to its author.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kring.confidentiality.encryption import EncryptedTextField

RATINGS = range(1, 6)
REMARK_MAX_LENGTH = 500
DEFAULT_MINIMUM_ANSWERS = 3


class CheckParticipation(models.Model):
    """A person asked for the check of one meeting, and whether they gave it."""

    meeting = models.ForeignKey(
        "planning.Meeting", on_delete=models.CASCADE, related_name="check_participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_participations"
    )
    answered = models.BooleanField(_("answered"), default=False)
    reminded = models.BooleanField(_("reminded"), default=False)

    class Meta:
        verbose_name = _("check participation")
        verbose_name_plural = _("check participations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="check_participation_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.meeting}"


class CheckAnswer(models.Model):
    """One anonymous answer: the meeting, two ratings and a remark; nothing about who."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        "planning.Meeting", on_delete=models.CASCADE, related_name="check_answers"
    )
    usefulness = models.PositiveSmallIntegerField(_("usefulness"))
    safety = models.PositiveSmallIntegerField(_("safety"))
    remark = EncryptedTextField(_("remark"), max_length=REMARK_MAX_LENGTH, blank=True)

    class Meta:
        # By the random key: the order of the rows says nothing about the order of answers.
        ordering = ["id"]
        verbose_name = _("check answer")
        verbose_name_plural = _("check answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(usefulness__gte=1) & Q(usefulness__lte=5),
                name="check_answer_usefulness_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(safety__gte=1) & Q(safety__lte=5), name="check_answer_safety_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.usefulness}/{self.safety}"

    @property
    def group(self):
        """The group whose content this is (for the policy's audit entries)."""
        return self.meeting.group


class CheckSettings(models.Model):
    """A programme's own minimum of answers before anyone sees the results (never below 3)."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="check_settings"
    )
    minimum_answers = models.PositiveSmallIntegerField(
        _("minimum number of answers"), default=DEFAULT_MINIMUM_ANSWERS
    )

    class Meta:
        verbose_name = _("check settings")
        verbose_name_plural = _("check settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_answers__gte=DEFAULT_MINIMUM_ANSWERS),
                name="check_settings_minimum_at_least_3",
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.minimum_answers}"


def minimum_answers(programme) -> int:
    settings_row = CheckSettings.objects.filter(programme=programme).first()
    return settings_row.minimum_answers if settings_row else DEFAULT_MINIMUM_ANSWERS
