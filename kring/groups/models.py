from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GroundRuleSet(models.Model):
    """A set of ground rules (spelregels).

    Organisations keep templates (`organisation` set, `group` empty); a group gets its own
    copy so it can add rules. Every change raises `revision`, and an acceptance counts only
    for the revision it was given for.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="ground_rule_sets",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=200)
    revision = models.PositiveIntegerField(default=1)
    # When the current revision began: a yes given at registration before it is no yes
    # to these rules.
    revised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ground-rule set")
        verbose_name_plural = _("ground-rule sets")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_revision = self.revision

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.pk is not None and self.revision != self._loaded_revision:
            self.revised_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revised_at"}
        super().save(*args, **kwargs)
        self._loaded_revision = self.revision


class GroundRule(models.Model):
    rule_set = models.ForeignKey(GroundRuleSet, on_delete=models.CASCADE, related_name="rules")
    text = models.CharField(_("rule"), max_length=400)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("ground rule")
        verbose_name_plural = _("ground rules")

    def __str__(self):
        return self.text


class GroundRuleAcceptance(models.Model):
    rule_set = models.ForeignKey(
        GroundRuleSet, on_delete=models.CASCADE, related_name="acceptances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ground_rule_acceptances"
    )
    revision = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("acceptance of ground rules")
        verbose_name_plural = _("acceptances of ground rules")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "user"], name="acceptance_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.rule_set} (r{self.revision})"


class Group(models.Model):
    """An intervision group (intervisiegroep) within a programme."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=120)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_groups",
    )
    ground_rule_set = models.OneToOneField(
        GroundRuleSet,
        verbose_name=_("ground rules"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="group_unique_name")
        ]

    def __str__(self):
        return self.name


class GroupMembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)


class GroupMembership(models.Model):
    """A person's membership of a group over time: `left_on` empty means current."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "user__full_name"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(left_on__isnull=True),
                name="group_membership_one_current",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="group_membership_leaves_after_joining",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.group}"


class Proposal(models.Model):
    """A proposed composition of a programme's groups, made by the engine and edited by hand.

    `groups` holds user ids per group; `locked` maps a user id to the group index the
    coordinator fixed them to. Several proposals can be kept and compared; one is published.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Composing")
        READY = "ready", _("Ready")
        INFEASIBLE = "infeasible", _("Not possible with these rules")
        FAILED = "failed", _("Failed")
        PUBLISHED = "published", _("Published")

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="proposals"
    )
    number = models.PositiveIntegerField()
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    rules = models.JSONField(default=dict)
    groups = models.JSONField(default=list)
    locked = models.JSONField(default=dict)
    objective = models.FloatField(null=True, blank=True)
    explanation = models.JSONField(default=list)
    progress = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Who last moved, swapped, locked or published (the engine's run is `created_by`'s).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme", "-number"]
        verbose_name = _("group proposal")
        verbose_name_plural = _("group proposals")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="proposal_unique_number"),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(status="published"),
                name="proposal_one_published",
            ),
        ]

    def __str__(self):
        return f"{self.programme} — {_('proposal')} {self.number}"
