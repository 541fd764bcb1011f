"""Methods (werkvormen): built-in ones, and organisations' own copies, each with versions.

A method is organisational, not case content: anyone in the organisation may read it.
The text of a method lives in its versions; a version never changes once it exists (a
meeting keeps the version it used), so every edit makes a new version.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import structure


class Method(models.Model):
    """Built in when it belongs to no organisation; otherwise an organisation's copy."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="methods",
    )
    # The built-in method's data file; empty for an organisation's copy.
    builtin_key = models.SlugField(max_length=60, blank=True)
    copied_from = models.ForeignKey(
        "MethodVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        constraints = [
            models.UniqueConstraint(
                fields=["builtin_key"],
                condition=models.Q(organisation__isnull=True),
                name="methods_one_builtin_per_key",
            )
        ]

    def __str__(self):
        return f"method #{self.pk}"

    @property
    def is_builtin(self) -> bool:
        return self.organisation_id is None

    @property
    def current(self) -> "MethodVersion":
        return self.versions.order_by("-number").first()


class MethodVersion(models.Model):
    """One version of a method's text and phases (see `structure.validate`). Immutable."""

    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["method", "number"]
        verbose_name = _("method version")
        verbose_name_plural = _("method versions")
        constraints = [
            models.UniqueConstraint(fields=["method", "number"], name="methods_version_number")
        ]

    def __str__(self):
        return f"method #{self.method_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("A version of a method cannot be changed; save a new one."))
        errors = structure.validate(self.content)
        if errors:
            raise ValidationError([str(error) for error in errors])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A version of a method cannot be deleted."))

    # Reading the content in the viewer's language.

    def text(self, value: dict) -> str:
        return structure.localised(value, get_language())

    @property
    def name(self) -> str:
        return self.text(self.content["name"])

    @property
    def description(self) -> str:
        return self.text(self.content["description"])

    @property
    def complexity(self) -> str:
        return self.content["complexity"]

    @property
    def case_kinds(self) -> list[str]:
        return self.content["case_kinds"]

    @property
    def total_minutes(self) -> int:
        return sum(phase["minutes"] for phase in self.content["phases"])


class CycleMeeting(models.Model):
    """The programme's cycle plan for one meeting number: the theme and the method each
    group's n-th meeting gets (organisational, not case content; set by a coordinator)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="cycle_meetings"
    )
    number = models.PositiveSmallIntegerField(_("meeting"))
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    method = models.ForeignKey(
        Method,
        verbose_name=_("method"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("meeting of the cycle plan")
        verbose_name_plural = _("cycle plan")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="cycle_meeting_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="cycle_meeting_number_from_1"
            ),
        ]

    def __str__(self):
        return f"programme #{self.programme_id}, meeting {self.number}"


class MeetingCycleState(models.Model):
    """What the cycle plan last gave one meeting, and whether the group's facilitator
    chose its theme or method themselves: then the plan leaves that alone."""

    meeting = models.OneToOneField(
        "planning.Meeting", on_delete=models.CASCADE, related_name="cycle_state"
    )
    # The meeting's place in its group's series when the plan was last applied.
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    theme = models.CharField(max_length=200, blank=True)
    method_version = models.ForeignKey(
        MethodVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    theme_chosen = models.BooleanField(default=False)
    method_chosen = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("cycle plan of a meeting")
        verbose_name_plural = _("cycle plans of meetings")

    def __str__(self):
        return f"meeting #{self.meeting_id}: cycle meeting {self.number}"
