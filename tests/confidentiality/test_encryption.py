import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from kring.meetings.models import Case, LearningLogEntry
from tests.factories import CaseFactory, LearningLogEntryFactory

pytestmark = pytest.mark.django_db


def _raw(model, pk, column):
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_case_text_is_encrypted_in_the_database():
    case = CaseFactory(title="Conflict met een collega", description="Mijn collega X ...")
    raw_title = _raw(Case, case.pk, "title")
    raw_description = _raw(Case, case.pk, "description")
    assert "Conflict" not in raw_title and "collega" not in raw_description
    assert Case.objects.get(pk=case.pk).title == "Conflict met een collega"


def test_learning_log_is_encrypted_in_the_database():
    entry = LearningLogEntryFactory(text="Ik wil vaker doorvragen")
    assert "doorvragen" not in _raw(LearningLogEntry, entry.pk, "text")


def test_keys_rotate_without_losing_content(settings):
    case = CaseFactory(title="Oude sleutel")
    old_token = _raw(Case, case.pk, "title")
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert _raw(Case, case.pk, "title") != old_token
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can now go
    assert Case.objects.get(pk=case.pk).title == "Oude sleutel"
