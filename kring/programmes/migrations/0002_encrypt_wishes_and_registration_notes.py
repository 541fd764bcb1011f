"""Wishes become encrypted at rest, and registrations get private notes.

A wish's kind and the person it is about are encrypted; the person, once a foreign key,
becomes their user id inside an encrypted field (see the `Wish` docstring). Existing rows
are converted with raw SQL, because the encrypted field cannot read plaintext. Every step
has its way back.
"""

import django.db.models.deletion
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models

import kring.confidentiality.encryption
from kring.confidentiality.encryption import decrypt, encrypt


def _decrypted(value):
    try:
        return decrypt(value)
    except ImproperlyConfigured:
        return None


def encrypt_wishes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, kind, other_id FROM programmes_wish")
        for wish_id, kind, other_id in cursor.fetchall():
            if _decrypted(kind) is not None:
                continue  # converted before
            cursor.execute(
                "UPDATE programmes_wish SET kind = %s, other_person = %s WHERE id = %s",
                [encrypt(kind), encrypt(str(other_id)), wish_id],
            )


def decrypt_wishes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, kind, other_person FROM programmes_wish")
        for wish_id, kind, other_person in cursor.fetchall():
            plain_kind = _decrypted(kind)
            if plain_kind is None:
                continue
            cursor.execute(
                "UPDATE programmes_wish SET kind = %s, other_id = %s WHERE id = %s",
                [plain_kind, int(_decrypted(other_person)), wish_id],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="notes",
            field=kring.confidentiality.encryption.EncryptedTextField(
                blank=True, max_length=1000, verbose_name="notes for the coordinator"
            ),
        ),
        # Nullable for the moment, so that the way back can re-add it before refilling it.
        migrations.AlterField(
            model_name="wish",
            name="other",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RemoveConstraint(model_name="wish", name="wish_one_per_person"),
        migrations.AlterField(
            model_name="wish",
            name="kind",
            field=kring.confidentiality.encryption.EncryptedTextField(
                choices=[("prefer", "Preferably with"), ("avoid", "Not with")], max_length=10
            ),
        ),
        migrations.AddField(
            model_name="wish",
            name="other_person",
            field=kring.confidentiality.encryption.EncryptedTextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(encrypt_wishes, decrypt_wishes),
        migrations.RemoveField(model_name="wish", name="other"),
    ]
