from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.confidentiality.encryption import EncryptedTextField


class Case(models.Model):
    """A case (casus, inbreng) a member brings to their group.

    Content: encrypted at rest, readable only by the group's current members and its
    assigned facilitator, and every read is audited.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISCUSSED = "discussed", _("Discussed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="cases")
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cases"
    )
    title = EncryptedTextField(_("title"))
    description = EncryptedTextField(_("situation and question"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self):
        # Never the title: a string of a case may end up in logs or admin lists.
        return f"case #{self.pk}"


class LearningLogEntry(models.Model):
    """A personal learning-log entry: readable by its author only."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_log"
    )
    text = EncryptedTextField(_("entry"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("learning-log entry")
        verbose_name_plural = _("learning-log entries")

    def __str__(self):
        return f"learning-log entry #{self.pk}"
