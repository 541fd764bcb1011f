from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kring.confidentiality.encryption import EncryptedTextField
from kring.methods.structure import CASE_KINDS


class Case(models.Model):
    """A case (casus, inbreng) a member brings to their group.

    Content: encrypted at rest, readable only by the group's current members and its
    assigned facilitator, and every read is audited.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("In the backlog")
        DISCUSSED = "discussed", _("Discussed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="cases")
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cases"
    )
    title = EncryptedTextField(_("title"))
    situation = EncryptedTextField(_("situation"), blank=True)
    # Blank only for cases brought in before these were asked; the form requires them.
    question = EncryptedTextField(_("question"), blank=True)
    help_wanted = EncryptedTextField(_("what help you want"), blank=True)
    # Blank: the presenter is not sure what kind of case it is.
    kind = models.CharField(
        _("kind of case"), max_length=20, choices=list(CASE_KINDS.items()), blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    discussed_at = models.ForeignKey(
        "planning.Meeting",
        verbose_name=_("discussed at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="discussed_cases",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self):
        # Never the title: a string of a case may end up in logs or admin lists.
        return f"case #{self.pk}"


class MeetingCase(models.Model):
    """A case chosen for a meeting (one or two per meeting).

    No content of its own: which case, how it was chosen and by whom. A case has one
    choice at most: a cancelled meeting's choices go, and a chosen case is discussed once
    its meeting is held (or goes back to the backlog when its presenter was not there).
    """

    class How(models.TextChoices):
        VOLUNTEERED = "volunteered", _("Volunteered by the presenter")
        CHOSEN = "chosen", _("Chosen by the process facilitator")
        VOTED = "voted", _("Chosen by a vote of the group")

    meeting = models.ForeignKey(
        "planning.Meeting", on_delete=models.CASCADE, related_name="case_choices"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="meeting_choices")
    how = models.CharField(_("how"), max_length=12, choices=How.choices)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "created_at"]
        verbose_name = _("case chosen for a meeting")
        verbose_name_plural = _("cases chosen for meetings")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="meeting_case_unique"),
            models.UniqueConstraint(fields=["case"], name="meeting_case_one_per_case"),
        ]

    def __str__(self):
        return f"case #{self.case_id} at meeting #{self.meeting_id}"


class CaseVote(models.Model):
    """A short vote of the group on which case(s) of the backlog a meeting takes.

    The tally is shown only once the process facilitator closes it; then the top case(s)
    are chosen (a tie goes to the case brought in first).
    """

    meeting = models.OneToOneField(
        "planning.Meeting", on_delete=models.CASCADE, related_name="case_vote"
    )
    places = models.PositiveSmallIntegerField(_("cases to choose"), default=1)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case vote")
        verbose_name_plural = _("case votes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(places__gte=1) & models.Q(places__lte=2),
                name="case_vote_places_1_or_2",
            )
        ]

    def __str__(self):
        return f"case vote for meeting #{self.meeting_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CaseBallot(models.Model):
    """One member's vote: one case per member per vote (changeable while it is open)."""

    vote = models.ForeignKey(CaseVote, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["vote", "voter"], name="case_ballot_one_per_voter")
        ]

    def __str__(self):
        return f"ballot #{self.pk}"


class LearningLogEntry(models.Model):
    """A personal learning-log entry: readable by its author only.

    It may refer to a meeting the author was at and a case they may read; both stay
    optional and outlive nothing: the entry keeps its text when they go.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_log"
    )
    text = EncryptedTextField(_("entry"))
    meeting = models.ForeignKey(
        "planning.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_log_entries",
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learning_log_entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("learning-log entry")
        verbose_name_plural = _("learning-log entries")

    def __str__(self):
        return f"learning-log entry #{self.pk}"


class LearningLogDismissal(models.Model):
    """A member said they write nothing for this meeting: its prompt stops asking."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey("planning.Meeting", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed learning-log prompt")
        verbose_name_plural = _("dismissed learning-log prompts")
        constraints = [
            models.UniqueConstraint(fields=["author", "meeting"], name="log_dismissal_unique")
        ]

    def __str__(self):
        return f"prompt dismissed for meeting #{self.meeting_id}"


class RoleAssignment(models.Model):
    """Who holds which role at a meeting (organisational, not case content).

    Everyone present without a role asks questions. Seen by the group's members, its
    facilitator and the programme's coordinators (`Action.VIEW_ROTA`).
    """

    class Role(models.TextChoices):
        PROCESS_FACILITATOR = "process_facilitator", _("Process facilitator")
        PRESENTER = "presenter", _("Presenter")
        TIMEKEEPER = "timekeeper", _("Timekeeper")
        NOTE_TAKER = "note_taker", _("Note taker")

    meeting = models.ForeignKey(
        "planning.Meeting", on_delete=models.CASCADE, related_name="role_assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # Given by an accepted swap or changed by hand: proposing the rota again keeps it.
    fixed = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "role", "user__full_name"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            # Nobody holds two roles in one meeting.
            models.UniqueConstraint(fields=["meeting", "user"], name="role_one_per_person"),
            # One of each role, except presenters (one or two).
            models.UniqueConstraint(
                fields=["meeting", "role"],
                condition=~models.Q(role="presenter"),
                name="role_one_holder",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.role} — meeting #{self.meeting_id}"


class RoleTakeover(models.Model):
    """After an absence notice, who stood in for whom: when the absence is withdrawn and
    the stand-in still holds the role they took over (the same assignment), the role goes
    back to whoever held it."""

    class Status(models.TextChoices):
        STANDING_IN = "standing_in", _("Standing in")
        GIVEN_BACK = "given_back", _("Given back")

    meeting = models.ForeignKey(
        "planning.Meeting", on_delete=models.CASCADE, related_name="role_takeovers"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleAssignment.Role.choices)
    # Whose absence notice it followed; `previous` held the role (the absent member, or a
    # member who moved into the absent member's role and left this one).
    absent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    stand_in = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The stand-in's assignment; gone (null) once their role changed since.
    assignment = models.ForeignKey(
        RoleAssignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.STANDING_IN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("role taken over")
        verbose_name_plural = _("roles taken over")

    def __str__(self):
        return f"takeover #{self.pk} at meeting #{self.meeting_id}"


class PhaseOutStage(models.IntegerChoices):
    """The phase-out plan (afbouw): how far the group runs its own meetings."""

    FACILITATOR_LEADS = 1, _("The facilitator leads")
    MEMBER_WITH_FACILITATOR = 2, _("A member leads, the facilitator beside them")
    MEMBERS_LEAD = 3, _("Members lead, the facilitator observes")
    SELF_RUNNING = 4, _("The group runs itself, the facilitator is on call")


class PhaseOutStep(models.Model):
    """The stage of the phase-out plan at one meeting; set by the group's facilitator."""

    meeting = models.OneToOneField(
        "planning.Meeting", on_delete=models.CASCADE, related_name="phase_out_step"
    )
    stage = models.PositiveSmallIntegerField(_("stage"), choices=PhaseOutStage.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phase-out step")
        verbose_name_plural = _("phase-out steps")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__gte=1) & models.Q(stage__lte=4),
                name="phase_out_stage_1_to_4",
            )
        ]

    def __str__(self):
        return f"meeting #{self.meeting_id}: stage {self.stage}"


class PresenterPreference(models.Model):
    """A member who does not want to present in this group (for now)."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    wants_to_present = models.BooleanField(_("wants to present"), default=True)

    class Meta:
        verbose_name = _("presenter preference")
        verbose_name_plural = _("presenter preferences")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="presenter_preference_unique")
        ]

    def __str__(self):
        return f"{self.user} in group #{self.group_id}: {self.wants_to_present}"


class RoleSwap(models.Model):
    """A member asks another member of the same meeting to swap roles."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("No longer possible")

    meeting = models.ForeignKey(
        "planning.Meeting", on_delete=models.CASCADE, related_name="role_swaps"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    asked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("role swap")
        verbose_name_plural = _("role swaps")

    def __str__(self):
        return f"role swap #{self.pk}"
