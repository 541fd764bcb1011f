import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class KickoffAudience(models.TextChoices):
    MANAGEMENT = "management", _("Top management and line managers")
    PARTICIPANTS = "participants", _("Participants and facilitators")


class Kickoff(models.Model):
    """A kick-off session (aftrapsessie) of a programme, for top management or for the
    participants: when and where, who was invited and who came, and what was asked.

    Its agenda is the programme page (the seven W's, roles, registration, ground rules,
    the preparation assignment), shown one section per screen on the room's projector.
    """

    Audience = KickoffAudience

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="kickoffs"
    )
    audience = models.CharField(_("for"), max_length=20, choices=Audience.choices)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    location = models.CharField(_("place"), max_length=250, blank=True)
    video_link = models.URLField(_("video link"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # One calendar event for life: the UID stays, SEQUENCE rises with every change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ical_sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("kick-off session")
        verbose_name_plural = _("kick-off sessions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(video_link=""), name="kickoff_has_a_place"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=480),
                name="kickoff_duration_15_to_480",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=KickoffAudience.values), name="kickoff_audience_known"
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.get_audience_display()}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def where(self) -> str:
        return self.location or self.video_link


class KickoffInvitation(models.Model):
    """One person invited to a kick-off, and whether they came (the coordinator records it)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Absent")

    kickoff = models.ForeignKey(Kickoff, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kickoff_invitations"
    )
    status = models.CharField(
        _("attendance"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name", "id"]
        verbose_name = _("kick-off invitation")
        verbose_name_plural = _("kick-off invitations")
        constraints = [
            models.UniqueConstraint(fields=["kickoff", "user"], name="kickoff_invitation_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.kickoff}"


class KickoffQuestion(models.Model):
    """A question or concern raised at a kick-off, noted for the coordinator. Organisational
    (what people want to know about the programme), not case content."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        CONCERN = "concern", _("Concern")

    kickoff = models.ForeignKey(Kickoff, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.QUESTION)
    text = models.TextField(_("what was raised"))
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    noted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["noted_at", "id"]
        verbose_name = _("question from a kick-off")
        verbose_name_plural = _("questions from kick-offs")

    def __str__(self):
        return self.get_kind_display()
