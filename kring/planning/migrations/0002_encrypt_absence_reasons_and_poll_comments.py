"""Absence reasons and poll comments become encrypted at rest.

The encrypted field cannot read plaintext, so existing rows are converted with raw SQL:
each value is read as stored and written back encrypted (values that already decrypt are
left alone, so running it twice is harmless).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

import kring.confidentiality.encryption
from kring.confidentiality.encryption import decrypt, encrypt

COLUMNS = [("planning_attendance", "reason"), ("planning_pollanswer", "comment")]


def _is_encrypted(value: str) -> bool:
    try:
        decrypt(value)
    except ImproperlyConfigured:
        return False
    return True


def _convert(schema_editor, change):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in COLUMNS:
            cursor.execute(f"SELECT id, {quote(column)} FROM {quote(table)}")  # noqa: S608
            for row_id, value in cursor.fetchall():
                new = change(value or "")
                if new is not None:
                    cursor.execute(
                        f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608
                        [new, row_id],
                    )


def encrypt_rows(apps, schema_editor):
    _convert(schema_editor, lambda value: None if _is_encrypted(value) else encrypt(value))


def decrypt_rows(apps, schema_editor):
    _convert(schema_editor, lambda value: decrypt(value) if _is_encrypted(value) else None)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attendance",
            name="reason",
            field=kring.confidentiality.encryption.EncryptedTextField(
                blank=True, max_length=300, verbose_name="reason"
            ),
        ),
        migrations.AlterField(
            model_name="pollanswer",
            name="comment",
            field=kring.confidentiality.encryption.EncryptedTextField(
                blank=True, max_length=300, verbose_name="comment"
            ),
        ),
        migrations.RunPython(encrypt_rows, decrypt_rows),
    ]
