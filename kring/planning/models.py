import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kring.confidentiality.encryption import EncryptedTextField


class Room(models.Model):
    """A meeting room of an organisation, for on-site meetings."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=120)
    location = models.ForeignKey(
        "organisations.Location",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="rooms",
    )
    capacity = models.PositiveSmallIntegerField(_("places"), default=10)

    class Meta:
        ordering = ["location__name", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["location", "name"], name="room_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.location})"


class MeetingQuerySet(models.QuerySet):
    def appointments(self):
        """Meetings at a time (on site or online): not written rounds, which run over days
        and are in no calendar, dashboard slot, double booking or attendance to record."""
        return self.exclude(mode=Meeting.Mode.WRITTEN)


class Meeting(models.Model):
    """One meeting (bijeenkomst) of a group: when, how long, where or which link."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        ONLINE = "online", _("Online")
        # A round in writing over days (kring.live.written): no place, no link.
        WRITTEN = "written", _("In writing")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="meetings")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    location = models.CharField(_("location"), max_length=250, blank=True)
    online_link = models.URLField(_("video link"), blank=True)
    room = models.ForeignKey(
        Room, verbose_name=_("room"), on_delete=models.SET_NULL, null=True, blank=True
    )
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    # The version of the method the meeting follows: kept, even when the method is edited.
    method_version = models.ForeignKey(
        "methods.MethodVersion",
        verbose_name=_("method"),
        # Kept while the meeting exists; goes only together with it (an organisation's end).
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # Calendar invitations: UID stays, SEQUENCE rises with every change.
    ical_sequence = models.PositiveIntegerField(default=0)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=30) & Q(duration_minutes__lte=480),
                name="meeting_duration_30_to_480",
            ),
            models.CheckConstraint(
                condition=~Q(mode="on_site") | ~Q(location=""),
                name="meeting_on_site_has_location",
            ),
            models.CheckConstraint(
                condition=~Q(mode="online") | ~Q(online_link=""),
                name="meeting_online_has_link",
            ),
        ]

    def __str__(self):
        return f"{self.group} — {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class Attendance(models.Model):
    """A member's attendance of one meeting: absence reported in advance, presence recorded.

    The reason for an absence is private (often about health or family): encrypted at rest
    and read only by the person and the group's facilitator (`Action.VIEW_ABSENCE_REASON`).
    """

    class Status(models.TextChoices):
        EXPECTED = "expected", _("Expected")
        ABSENT_WITH_NOTICE = "absent_notice", _("Absent with notice")
        PRESENT = "present", _("Present")
        ABSENT_WITHOUT_NOTICE = "absent", _("Absent without notice")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(
        _("attendance"), max_length=16, choices=Status.choices, default=Status.EXPECTED
    )
    reason = EncryptedTextField(_("reason"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.meeting}: {self.status}"


class DatePoll(models.Model):
    """A date poll for a group: members answer yes / if need be / no per option."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Answers are taken until the end of this day; a reminder goes out before it.
    closes_on = models.DateField(_("answer by"), null=True, blank=True)
    is_closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")

    def __str__(self):
        return self.title


class PollOption(models.Model):
    poll = models.ForeignKey(DatePoll, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField(_("starts at"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="poll_option_unique"),
        ]

    def __str__(self):
        return f"{self.poll}: {self.starts_at:%Y-%m-%d %H:%M}"


class PollAnswer(models.Model):
    """One person's answer to one option; the comment is encrypted at rest and read only by
    the group's members and its facilitator."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        IF_NEED_BE = "if_need_be", _("If need be")
        NO = "no", _("No")

    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices)
    comment = EncryptedTextField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        constraints = [
            models.UniqueConstraint(fields=["option", "user"], name="poll_answer_unique"),
        ]

    def __str__(self):
        return f"{self.user}: {self.answer}"


class PlanningRun(models.Model):
    """One run of the planner for all groups of a programme, reviewed before it is confirmed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Planning")
        READY = "ready", _("Ready for review")
        INFEASIBLE = "infeasible", _("Not possible with these rules")
        FAILED = "failed", _("Failed")
        CONFIRMED = "confirmed", _("Confirmed")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="planning_runs"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    rules = models.JSONField(default=dict)
    plan = models.JSONField(default=list)
    objective = models.IntegerField(null=True, blank=True)
    best_bound = models.FloatField(null=True, blank=True)
    answer_counts = models.JSONField(default=dict)
    explanation = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")

    def __str__(self):
        return f"{self.programme} — {self.created_at:%Y-%m-%d %H:%M}"


class MeetingChange(models.Model):
    """Who planned, moved, cancelled or held a meeting, when, and which rule they overrode.

    A coordinator may move a meeting onto a conflict (a holiday, a double booking) when
    they give a reason; the conflicts they saw and the reason stay on record here.
    """

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned")
        MOVED = "moved", _("Moved")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Attendance recorded")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    previous_starts_at = models.DateTimeField(null=True, blank=True)
    starts_at = models.DateTimeField()
    # The conflicts and warnings shown when the change was made, as worded then.
    conflicts = models.JSONField(default=list, blank=True)
    override_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("meeting change")
        verbose_name_plural = _("meeting changes")

    def __str__(self):
        return f"{self.meeting} — {self.kind}"


class BlackoutPeriod(models.Model):
    """Days on which a programme plans no meetings (school holidays, a reorganisation)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="blackout_periods"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, null=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("period without meetings")
        verbose_name_plural = _("periods without meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="blackout_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.reason}: {self.starts_on}–{self.ends_on}"
