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
    case = CaseFactory(
        title="Conflict met een collega",
        situation="Mijn collega X ...",
        question="Hoe spreek ik haar aan?",
        help_wanted="Vragen die me verder helpen",
    )
    assert "Conflict" not in _raw(Case, case.pk, "title")
    assert "collega" not in _raw(Case, case.pk, "situation")
    assert "spreek" not in _raw(Case, case.pk, "question")
    assert "verder" not in _raw(Case, case.pk, "help_wanted")
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
