from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A tenant: a care organisation, municipality, school, or a facilitation firm.

    A facilitation firm runs programmes for client organisations (`ClientRelation`).
    Organisation-level policy lives here, not in settings.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    is_facilitation_firm = models.BooleanField(_("facilitation firm"), default=False)
    min_respondents = models.PositiveSmallIntegerField(
        _("minimum respondents for aggregates"), default=5
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_respondents__gte=3), name="organisation_min_respondents_at_least_3"
            )
        ]

    def __str__(self):
        return self.name


class ClientRelation(models.Model):
    """A facilitation firm working for a client organisation."""

    firm = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="client_relations"
    )
    client = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="firm_relations"
    )
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("client relation")
        verbose_name_plural = _("client relations")
        constraints = [
            models.UniqueConstraint(fields=["firm", "client"], name="client_relation_unique"),
            models.CheckConstraint(condition=~Q(firm=F("client")), name="client_relation_not_self"),
        ]

    def __str__(self):
        return f"{self.firm} → {self.client}"


class Department(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_name")
        ]

    def __str__(self):
        return self.name


class Location(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=250, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="location_unique_name")
        ]

    def __str__(self):
        return self.name


class FunctionLevel(models.Model):
    """One step on the organisation's ordered scale of function levels."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="function_levels"
    )
    name = models.CharField(_("name"), max_length=120)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the first step."))

    class Meta:
        ordering = ["rank"]
        verbose_name = _("function level")
        verbose_name_plural = _("function levels")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "rank"], name="function_level_unique_rank"
            ),
            models.UniqueConstraint(
                fields=["organisation", "name"], name="function_level_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person in an organisation: their role there and their participant attributes."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation admin")
        COORDINATOR = "coordinator", _("Coordinator")
        FACILITATOR = "facilitator", _("Facilitator")
        MEMBER = "member", _("Member")
        # Functionaris gegevensbescherming: reads the audit log, after a second factor.
        PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    function_level = models.ForeignKey(
        FunctionLevel,
        verbose_name=_("function level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    profession = models.CharField(_("profession"), max_length=120, blank=True)
    line_manager = models.ForeignKey(
        "self",
        verbose_name=_("line manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
    )
    extra_attributes = models.JSONField(_("other attributes"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            models.CheckConstraint(
                condition=~Q(line_manager=F("id")), name="membership_not_own_manager"
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN

    @property
    def manages_programmes(self):
        return self.role in {self.Role.ADMIN, self.Role.COORDINATOR}
