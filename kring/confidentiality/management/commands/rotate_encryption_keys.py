from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from kring.confidentiality.encryption import EncryptedTextField, rotate


def encrypted_columns():
    """(model, [column names]) for every model with encrypted content."""
    for model in apps.get_models():
        columns = [
            field.column
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)
        ]
        if columns:
            yield model, columns


def rotate_model(model, columns) -> int:
    """Re-encrypt the stored tokens of one model with the newest key, row by row."""
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    quoted = [quote(column) for column in columns]
    assignments = ", ".join(f"{column} = %s" for column in quoted)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {', '.join(quoted)} FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
        for row_pk, *tokens in rows:
            rotated = [rotate(token) if token is not None else None for token in tokens]
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                [*rotated, row_pk],
            )
    return len(rows)


class Command(BaseCommand):
    help = (
        "Re-encrypt all content with the first key of FIELD_ENCRYPTION_KEYS. Put the new key "
        "first, run this, then remove the old key."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            for model, columns in encrypted_columns():
                count = rotate_model(model, columns)
                self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
