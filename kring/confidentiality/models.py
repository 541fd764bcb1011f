"""The audit log to NEN 7513: who did what with whose confidential data, tamper-evident.

Entries are append-only and hash-chained: each entry stores the hash of the entry before
it and its own SHA-256 over a canonical serialisation of its fields plus that previous
hash. Changing, deleting or inserting a row in the database breaks the chain, which
`manage.py verify_audit_log` reports. Entries are written only by
`kring.confidentiality.audit.record`, which serialises appends.

The hash covers the stored labels of the actor, the data subject and the organisation,
not their foreign keys: those are SET_NULL so that deleting a person keeps the log
meaningful, and a label carries the id it was written for (`#12 Name <e-mail>`) so the
verifier can tell a foreign key that was pointed elsewhere from one that was cleared.
"""

import hashlib
import hmac
import json
import re
from datetime import UTC

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
LABEL_ID = re.compile(r"^#(\d+)(?: |$)")
LABEL_NAME = re.compile(r"^#\d+ (.*?)(?: <[^<>]*>)?$")


def chain_hash(canonical: bytes) -> str:
    """HMAC-SHA256 with a key that lives outside the database (AUDIT_LOG_KEY): someone
    who can write to the database but does not hold the key cannot re-hash the chain
    after removing or editing an entry."""
    return hmac.new(settings.AUDIT_LOG_KEY.encode(), canonical, hashlib.sha256).hexdigest()


class AuditQuerySet(models.QuerySet):
    """Rows of the log are never changed or removed through the ORM."""

    def update(self, **kwargs):
        raise ValidationError(_("The audit log is append-only."))

    def delete(self):
        raise ValidationError(_("The audit log is append-only."))

    def bulk_update(self, objs, fields, batch_size=None):
        raise ValidationError(_("The audit log is append-only."))

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if any(not obj.hash for obj in objs):
            raise ValidationError(_("Audit entries are written by audit.record only."))
        return super().bulk_create(objs, *args, **kwargs)


class AuditEvent(models.Model):
    """One event on confidential data: read, export, create, change, delete or refused."""

    class Event(models.TextChoices):
        READ = "read", _("read")
        EXPORT = "export", _("export")
        CREATE = "create", _("create")
        CHANGE = "change", _("change")
        DELETE = "delete", _("delete")
        REFUSED = "refused", _("access refused")

    class Capacity(models.TextChoices):
        """The role in which the actor acted (NEN 7513: "in welke hoedanigheid")."""

        MEMBER = "member", _("group member")
        FACILITATOR = "facilitator", _("facilitator")
        AUTHOR = "author", _("author (own content)")
        COORDINATOR = "coordinator", _("coordinator")
        ADMIN = "admin", _("organisation admin")
        PRIVACY_OFFICER = "privacy_officer", _("privacy officer")
        PLATFORM_STAFF = "platform_staff", _("platform staff")
        NONE = "none", _("no role")

    event = models.CharField(_("event"), max_length=10, choices=Event.choices)
    at = models.DateTimeField(_("time"), db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    actor_label = models.CharField(_("actor"), max_length=300, blank=True)
    capacity = models.CharField(
        _("capacity"), max_length=20, choices=Capacity.choices, default=Capacity.NONE
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("data subject"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events_about",
    )
    subject_label = models.CharField(_("data subject"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    organisation_label = models.CharField(_("organisation"), max_length=300, blank=True)
    client_ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["organisation", "at"]),
            models.Index(fields=["subject", "at"]),
        ]

    def __str__(self):
        target = f"{self.object_type}#{self.object_id}"
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.event} {target}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("The audit log is append-only."))
        if not self.hash:
            raise ValidationError(_("Audit entries are written by audit.record only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The audit log is append-only."))

    # The chain.

    def canonical(self) -> bytes:
        """The fields the hash covers, in a fixed order and format (never change this)."""
        return json.dumps(
            [
                self.event,
                self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                self.object_type,
                str(self.object_id),
                self.actor_label,
                self.capacity,
                self.subject_label,
                self.organisation_label,
                self.client_ip or "",
                self.request_id,
                self.description,
                self.previous_hash,
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()

    def compute_hash(self) -> str:
        return chain_hash(self.canonical())

    @property
    def object_kind(self) -> str:
        """What kind of object the entry is about, in the reader's language ("casus")."""
        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type

    @property
    def actor_name(self) -> str:
        """The actor's name as recorded (it stays when the person is deleted)."""
        match = LABEL_NAME.match(self.actor_label)
        return match.group(1) if match else ""

    @staticmethod
    def label_id(label: str) -> int | None:
        """The id a label was written for, or None for an empty label."""
        match = LABEL_ID.match(label)
        return int(match.group(1)) if match else None


class AuditChainHead(models.Model):
    """The last link of the chain, one row: writers lock it to append one at a time, and
    the verifier compares it with the last entry so that cutting off the tail shows."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    entries = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"{self.entries} entries, head {self.last_hash[:12]}"


class TiesVersion(models.Model):
    """One row whose version rises with every change of the ties the policy decides on:
    memberships of organisations, programmes and groups, roles at meetings, client
    relations, an account switched off or its language changed, a group or programme moved.

    Raised by database triggers (migration 0003), in the same transaction as the change,
    so no way of writing (a form, a bulk update, a management command, raw SQL) can miss it.
    The live sockets keep each person's ties across their renders and heartbeats while it
    stays the same (`policy.kept_user`)."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("policy ties version")

    def __str__(self):
        return str(self.version)
