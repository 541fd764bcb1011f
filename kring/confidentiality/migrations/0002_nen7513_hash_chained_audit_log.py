"""The audit log to NEN 7513: capacity, data subject, organisation, client IP, request id,
and a hash chain. Entries written before keep their reader as actor (capacity "none") and
are chained in the order they were written, so the log verifies from its first entry."""

import hashlib
import hmac
import json
from datetime import UTC

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

GENESIS_HASH = "0" * 64


def _canonical(entry) -> bytes:
    # The same serialisation as AuditEvent.canonical at the time of this migration.
    return json.dumps(
        [
            entry.event,
            entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            entry.object_type,
            str(entry.object_id),
            entry.actor_label,
            entry.capacity,
            entry.subject_label,
            entry.organisation_label,
            entry.client_ip or "",
            entry.request_id,
            entry.description,
            entry.previous_hash,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def chain_existing_entries(apps, schema_editor):
    AuditEvent = apps.get_model("confidentiality", "AuditEvent")
    AuditChainHead = apps.get_model("confidentiality", "AuditChainHead")
    previous, count = GENESIS_HASH, 0
    for entry in AuditEvent.objects.select_related("actor").order_by("id").iterator():
        actor = entry.actor
        entry.actor_label = f"#{actor.pk} {actor.full_name} <{actor.email}>" if actor else ""
        entry.previous_hash = previous
        entry.hash = hmac.new(
            settings.AUDIT_LOG_KEY.encode(), _canonical(entry), hashlib.sha256
        ).hexdigest()
        AuditEvent.objects.filter(pk=entry.pk).update(
            actor_label=entry.actor_label, previous_hash=previous, hash=entry.hash
        )
        previous, count = entry.hash, count + 1
    AuditChainHead.objects.create(pk=1, last_hash=previous, entries=count)


class Migration(migrations.Migration):
    dependencies = [
        ("confidentiality", "0001_initial"),
        ("organisations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_hash", models.CharField(default=GENESIS_HASH, max_length=64)),
                ("entries", models.PositiveBigIntegerField(default=0)),
            ],
            options={"verbose_name": "audit chain head"},
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-at", "-id"],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit events",
            },
        ),
        migrations.RenameField(model_name="auditevent", old_name="user", new_name="actor"),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="audit_events",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.RenameField(model_name="auditevent", old_name="action", new_name="event"),
        migrations.AlterField(
            model_name="auditevent",
            name="event",
            field=models.CharField(
                choices=[
                    ("read", "read"),
                    ("export", "export"),
                    ("create", "create"),
                    ("change", "change"),
                    ("delete", "delete"),
                    ("refused", "access refused"),
                ],
                max_length=10,
                verbose_name="event",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_label",
            field=models.CharField(blank=True, max_length=300, verbose_name="actor"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="capacity",
            field=models.CharField(
                choices=[
                    ("member", "group member"),
                    ("facilitator", "facilitator"),
                    ("author", "author (own content)"),
                    ("coordinator", "coordinator"),
                    ("admin", "organisation admin"),
                    ("privacy_officer", "privacy officer"),
                    ("platform_staff", "platform staff"),
                    ("none", "no role"),
                ],
                default="none",
                max_length=20,
                verbose_name="capacity",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="client_ip",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="client IP"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="audit_events",
                to="organisations.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="organisation_label",
            field=models.CharField(blank=True, max_length=300, verbose_name="organisation"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="request_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="request id"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="subject",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="audit_events_about",
                to=settings.AUTH_USER_MODEL,
                verbose_name="data subject",
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="subject_label",
            field=models.CharField(blank=True, max_length=300, verbose_name="data subject"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, verbose_name="time"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="description",
            field=models.CharField(blank=True, max_length=200, verbose_name="description"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="object_id",
            field=models.CharField(max_length=64, verbose_name="object id"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="object_type",
            field=models.CharField(max_length=100, verbose_name="object type"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["organisation", "at"], name="confidentia_organis_e3bccc_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["subject", "at"], name="confidentia_subject_c830cb_idx"),
        ),
        migrations.RunPython(chain_existing_entries, migrations.RunPython.noop),
    ]
