"""A meeting run live: the server holds the phase pointer, the timer and who leads.

Organisational, not content: no case text or input lives here (the inputs are the
meeting record's). Seen only by the group's current members and its facilitator
(`Action.VIEW_LIVE_SESSION`). Every change raises the version and appends a `LiveEvent`;
going back is an event like any other and deletes nothing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LiveSession(models.Model):
    """The session of a meeting, run live (a timer of minutes per phase) or in writing
    (a deadline of hours per phase, over days: `kring.live.written`); the pacing can
    change from one phase to the next (a meeting that goes on in writing)."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    class Pacing(models.TextChoices):
        LIVE = "live", _("Live")
        WRITTEN = "written", _("In writing")

    meeting = models.OneToOneField(
        "planning.Meeting", on_delete=models.CASCADE, related_name="live_session"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.NOT_STARTED
    )
    # 1-based index into the phases of the meeting record's method version; 0 = none yet.
    phase = models.PositiveSmallIntegerField(_("phase"), default=0)
    phase_started_at = models.DateTimeField(null=True, blank=True)
    pacing = models.CharField(
        _("pacing"), max_length=8, choices=Pacing.choices, default=Pacing.LIVE
    )
    # In writing: the hours each phase is open, one per phase of the method (set by the
    # process facilitator when the round starts or goes on in writing).
    phase_hours = models.JSONField(default=list, blank=True)
    # An absolute end time: every device counts down to it, corrected for its clock. In
    # writing, the phase's deadline.
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    # Set while paused; the time left is timer_ends_at - paused_at, kept until resumed.
    paused_at = models.DateTimeField(null=True, blank=True)
    # Rises with every change; pushed as "changed, version N".
    version = models.PositiveIntegerField(default=0)
    # Who holds the process facilitator's lead; changed only by starting and handing over,
    # never by a dropped connection.
    led_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_live_sessions",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="not_started") | Q(phase__gte=1, timer_ends_at__isnull=False),
                name="live_session_started_has_phase_and_timer",
            ),
        ]

    def __str__(self):
        return f"live session of meeting #{self.meeting_id}"

    @property
    def group(self):
        return self.meeting.group

    def log_change(self, kind: str, *, by, at, fields=None, **data) -> None:
        """Every change of the session: the version rises, the change is appended to its
        log, and once committed the sockets hear "changed, version N". The caller holds
        the row locked; `fields` saves only those (with the version), None saves all."""
        from . import signals

        self.version += 1
        self.save(update_fields=None if fields is None else [*fields, "version"])
        LiveEvent.objects.create(
            session=self, version=self.version, kind=kind, phase=self.phase, by=by, at=at, data=data
        )
        signals.send_on_commit(session_id=self.pk, version=self.version)


class LiveEvent(models.Model):
    """The session's log: appended, never changed or deleted."""

    class Kind(models.TextChoices):
        START = "start", _("Started")
        ADVANCE = "advance", _("Next phase")
        BACK = "back", _("Back to an earlier phase")
        REVEAL = "reveal", _("Revealed")
        PAUSE = "pause", _("Timer paused")
        RESUME = "resume", _("Timer resumed")
        EXTEND = "extend", _("Timer extended")
        HAND_OVER = "hand_over", _("Lead handed over")
        READY = "ready", _("Ready")
        CLOSE = "close", _("Closed")
        PRESENCE = "presence", _("Connected or gone")
        SCREEN = "screen", _("Room screen opened or closed")
        PACE = "pace", _("Went on live or in writing")
        WITHDRAW = "withdraw", _("Case withdrawn")

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="events")
    # The session's version this event made.
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The phase the session is in after the event.
    phase = models.PositiveSmallIntegerField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["session", "version"]
        verbose_name = _("live session event")
        verbose_name_plural = _("live session events")
        constraints = [
            models.UniqueConstraint(fields=["session", "version"], name="live_event_version"),
        ]

    def __str__(self):
        return f"{self.kind} (version {self.version}) of live session #{self.session_id}"


class PhaseReady(models.Model):
    """A member's "ready" in a phase. A mark counts for the visit of the phase it was made
    in (at >= the session's phase_started_at): after going back, the phase asks again."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="ready_marks")
    phase = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("ready mark")
        verbose_name_plural = _("ready marks")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "phase", "user"], name="phase_ready_once_per_person"
            ),
        ]

    def __str__(self):
        return f"ready in phase {self.phase} of live session #{self.session_id}"


class LivePresence(models.Model):
    """When a person's devices last spoke on a session's socket (a connect or any message,
    a heartbeat every 15 s). One row per person: several tabs or devices count once.
    `counted` says whether the session's version already shows them as connected; it is
    turned off (and the version raised) only after the grace period without a sign."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField()
    counted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="live_presence_once"),
        ]

    def __str__(self):
        return f"presence in live session #{self.session_id}"


class RoomScreen(models.Model):
    """The projector in the room, for a meeting on site: a viewer of its own kind, paired
    with a short code and then known by a secret token in its browser's session. It sees
    only what the room may see (phase, timer, general instruction, revealed inputs without
    names) and expires with the session's close, when the lead closes it, or after 12 h.

    Only a hash of the token is kept: a copy of the database does not open a screen."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="screens")
    # The pairing code, while it can still be typed; cleared once paired or closed.
    code = models.CharField(max_length=6, null=True, blank=True, unique=True)
    code_expires_at = models.DateTimeField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    paired_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("room screen")
        verbose_name_plural = _("room screens")

    def __str__(self):
        return f"room screen #{self.pk} of live session #{self.session_id}"


class ScreenPairingFailure(models.Model):
    """A wrong pairing code, counted per browser session and per address (hashed) to
    throttle guessing."""

    scope = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "at"], name="screen_pairing_failure_scope")]

    def __str__(self):
        return f"wrong pairing code at {self.at:%H:%M}"
