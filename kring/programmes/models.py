from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kring.confidentiality.encryption import EncryptedTextField


def default_reminder_days() -> list[int]:
    return [7, 1]


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    REGISTRATION_OPEN = "registration_open", _("Registration open")
    GROUPS_FORMED = "groups_formed", _("Groups formed")
    RUNNING = "running", _("Running")
    EVALUATING = "evaluating", _("Evaluating")
    CLOSED = "closed", _("Closed")


class Programme(models.Model):
    """An intervision programme (traject): plan of approach, settings and status."""

    Status = ProgrammeStatus

    # The only moves a programme may make; everything else is refused.
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.APPROVED, Status.DRAFT},
        Status.APPROVED: {Status.REGISTRATION_OPEN, Status.DRAFT},
        Status.REGISTRATION_OPEN: {Status.GROUPS_FORMED, Status.APPROVED},
        Status.GROUPS_FORMED: {Status.RUNNING, Status.REGISTRATION_OPEN},
        Status.RUNNING: {Status.EVALUATING},
        Status.EVALUATING: {Status.CLOSED, Status.RUNNING},
        Status.CLOSED: set(),
    }

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        ONLINE = "online", _("Online")
        MIXED = "mixed", _("On site and online")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="programmes"
    )
    run_by = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("run by facilitation firm"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programmes_run",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("what it is"), blank=True, help_text=_("What participants can expect, in a few lines.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    # Plan of approach.
    reason = models.TextField(_("reason"), blank=True)
    context = models.TextField(_("context and stakeholders"), blank=True)
    target_group = models.TextField(_("target group"), blank=True)
    preconditions = models.TextField(_("other preconditions"), blank=True)
    time_per_participant = models.CharField(
        _("time per participant"),
        max_length=200,
        blank=True,
        help_text=_("For example: 12 hours a year."),
    )
    budget = models.DecimalField(
        _("budget (euro)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cost_per_participant = models.DecimalField(
        _("cost per participant (euro)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    methods = models.TextField(_("methods"), blank=True)
    evaluation_moments = models.TextField(_("evaluation moments"), blank=True)
    video_link = models.URLField(
        _("video link for online meetings"),
        blank=True,
        help_text=_("For example a Teams or Jitsi room."),
    )
    venue = models.CharField(
        _("where"), max_length=250, blank=True, help_text=_("Location(s), or online.")
    )
    roles_and_tasks = models.TextField(_("roles and tasks"), blank=True)
    communication_plan = models.TextField(_("communication plan"), blank=True)

    # Settings.
    group_size_min = models.PositiveSmallIntegerField(_("minimum group size"), default=6)
    group_size_max = models.PositiveSmallIntegerField(_("maximum group size"), default=8)
    meeting_count = models.PositiveSmallIntegerField(_("meetings per group"), default=6)
    interval_weeks = models.PositiveSmallIntegerField(_("weeks between meetings"), default=6)
    meeting_duration_minutes = models.PositiveSmallIntegerField(
        _("meeting duration (minutes)"), default=120
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ON_SITE)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    # Registration.
    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal: members of the organisation")
        OPEN = "open", _("Open: professionals of several organisations")

    visibility = models.CharField(
        _("who may register"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. Later registrations go on the waiting list."),
    )
    registration_closed = models.BooleanField(_("registration closed"), default=False)
    requires_manager_confirmation = models.BooleanField(
        _("line manager confirms the time"), default=False
    )
    registration_token = models.CharField(max_length=43, unique=True, null=True, blank=True)
    reminder_days = models.JSONField(
        _("reminders (days before a meeting)"),
        default=default_reminder_days,
        blank=True,
        help_text=_("For example 7 and 1: a reminder a week and a day before each meeting."),
    )

    ground_rule_set = models.ForeignKey(
        "groups.GroundRuleSet",
        verbose_name=_("ground rules"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(group_size_min__gte=4) & Q(group_size_max__lte=10),
                name="programme_group_size_4_to_10",
            ),
            models.CheckConstraint(
                condition=Q(group_size_min__lte=F("group_size_max")),
                name="programme_group_size_min_le_max",
            ),
            models.CheckConstraint(
                condition=Q(meeting_count__gte=1) & Q(meeting_count__lte=24),
                name="programme_meeting_count_1_to_24",
            ),
            models.CheckConstraint(
                condition=Q(meeting_duration_minutes__gte=30)
                & Q(meeting_duration_minutes__lte=480),
                name="programme_duration_30_to_480",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=F("ends_on")),
                name="programme_starts_before_it_ends",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgrammeStatus.values),
                name="programme_status_known",
            ),
        ]

    def __str__(self):
        return self.title

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.Status(self.status)]


class ProgrammeGoal(models.Model):
    """One goal of the plan of approach; the evaluation scores goals one by one."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.text


class StatusChange(models.Model):
    """Every status transition of a programme, with who and when."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=Programme.Status.choices)
    to_status = models.CharField(max_length=20, choices=Programme.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.programme}: {self.from_status} → {self.to_status}"


class ProgrammeRoleName(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    SPONSOR = "sponsor", _("Sponsor")
    FACILITATOR = "facilitator", _("Facilitator")
    PARTICIPANT = "participant", _("Participant")
    LINE_MANAGER = "line_manager", _("Line manager")


class ProgrammeRole(models.Model):
    """A person's role in one programme; roles are per programme."""

    Role = ProgrammeRoleName

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "role", "user__full_name"]
        verbose_name = _("programme role")
        verbose_name_plural = _("programme roles")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "role"], name="programme_role_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=ProgrammeRoleName.values),
                name="programme_role_known",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.programme}"


class CommunicationMessage(models.Model):
    """One planned message of the communication plan: when, to whom, what."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone involved")
        PARTICIPANTS = "participants", _("Participants")
        LINE_MANAGERS = "line_managers", _("Line managers")
        MANAGEMENT = "management", _("Top management and sponsor")
        FACILITATORS = "facilitators", _("Facilitators")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="messages")
    send_on = models.DateField(_("date"))
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    subject = models.CharField(_("message"), max_length=300)

    class Meta:
        ordering = ["send_on", "id"]
        verbose_name = _("communication message")
        verbose_name_plural = _("communication messages")

    def __str__(self):
        return self.subject


class RegistrationQuerySet(models.QuerySet):
    def taking_part(self):
        """Registrations that hold a place: registered, and for a self-registration only
        once the address is confirmed, so made-up addresses neither fill a programme nor
        end up in a group."""
        return self.filter(status=Registration.Status.REGISTERED).exclude(
            source=Registration.Source.SELF, user__email_verified_at__isnull=True
        )

    def waiting_for(self, what: str):
        """Registrations that wait for something (`WAITING_FOR`): the registrations list
        filters on these, and the dashboard's counts link to that filter."""
        return self.filter(WAITING_FOR[what])


# What a registration can be waiting for, by the name the registrations list takes
# (`?show=...`).
WAITING_FOR = {
    # Self-registered, address not confirmed yet: holds no place until it is.
    "unconfirmed": Q(status="registered", source="self", user__email_verified_at__isnull=True),
    "manager_pending": Q(manager_confirmation="pending") & ~Q(status="withdrawn"),
    "waiting": Q(status="waiting"),
}


class Registration(models.Model):
    """A person's registration for a programme, with the attributes grouping uses.

    The attributes are a snapshot for this programme: open programmes take people from
    several organisations, so they cannot all come from one organisation's records.
    """

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITING = "waiting", _("On the waiting list")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ManagerConfirmation(models.TextChoices):
        NOT_NEEDED = "not_needed", _("Not needed")
        PENDING = "pending", _("Waiting for the line manager")
        CONFIRMED = "confirmed", _("Confirmed by the line manager")
        DECLINED = "declined", _("Declined by the line manager")

    class Source(models.TextChoices):
        SELF = "self", _("Registered themselves")
        IMPORT = "import", _("Imported")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.SELF)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    function_level = models.ForeignKey(
        "organisations.FunctionLevel",
        verbose_name=_("function level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.CharField(_("department"), max_length=120, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    profession = models.CharField(_("profession"), max_length=120, blank=True)
    line_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("line manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    extra_attributes = models.JSONField(_("other attributes"), default=dict, blank=True)
    accepted_ground_rules_at = models.DateTimeField(null=True, blank=True)
    manager_confirmation = models.CharField(
        max_length=12, choices=ManagerConfirmation.choices, default=ManagerConfirmation.NOT_NEEDED
    )
    manager_token_hash = models.CharField(max_length=64, blank=True)
    manager_answered_at = models.DateTimeField(null=True, blank=True)
    # What the person wants the coordinator to know (shifts, accessibility, …): encrypted,
    # read only by the person and the programme's coordinators.
    notes = EncryptedTextField(_("notes for the coordinator"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="registration_unique"),
            models.CheckConstraint(
                condition=~Q(line_manager=F("user")), name="registration_not_own_manager"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.programme}"


class Wish(models.Model):
    """A private wish about group composition ("preferably with", "not with").

    Only the person who made it reads it back. The grouping engine uses it; the coordinator
    sees counts (how many wishes, how many granted) and that a move would break a wish,
    never who wished what about whom.

    Both the kind and the person the wish is about are encrypted at rest, so the database,
    a backup or the admin shows no more than that a registration has some wishes. That is
    why the other person is no foreign key: their user id is kept as text inside an
    encrypted field (`other_person`) and decrypted only where the engine's input is built
    (`groups.composition.load_pool`), which matches it silently against the pool. The
    price is that the database cannot check the id: a wish about someone whose account was
    removed stays behind and simply matches nobody. One wish per person is kept by
    `registration.register`, which writes all of a person's wishes at once.
    """

    class Kind(models.TextChoices):
        PREFER = "prefer", _("Preferably with")
        AVOID = "avoid", _("Not with")

    MAX_PREFER = 3

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="wishes")
    kind = EncryptedTextField(max_length=10, choices=Kind.choices)
    other_person = EncryptedTextField()  # the user id of the person the wish is about

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")

    def __str__(self):
        return str(_("wish"))

    @property
    def other_id(self) -> int:
        return int(self.other_person)

    @property
    def other(self):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(pk=self.other_id).first()

    @other.setter
    def other(self, user) -> None:
        self.other_person = str(user.pk)


class PreparationAssignment(models.Model):
    """The preparation assignment (voorbereidingsopdracht) before the first meeting."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="preparation_assignments"
    )
    text = models.TextField(_("assignment"))
    due_on = models.DateField(_("due date"))
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("preparation assignment")
        verbose_name_plural = _("preparation assignments")

    def __str__(self):
        return f"{self.programme}: {self.due_on}"


class AssignmentCompletion(models.Model):
    assignment = models.ForeignKey(
        PreparationAssignment, on_delete=models.CASCADE, related_name="completions"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("completed assignment")
        verbose_name_plural = _("completed assignments")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user"], name="completion_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.assignment}"
