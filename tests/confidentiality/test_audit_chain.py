"""The audit log is append-only and hash-chained: tampering in the database shows."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kring.confidentiality import audit
from kring.confidentiality.models import AuditChainHead, AuditEvent

TABLE = AuditEvent._meta.db_table


def _read(world, who="facilitator", times=3):
    for n in range(times):
        audit.record(
            AuditEvent.Event.READ,
            actor=world.people[who],
            capacity=AuditEvent.Capacity.FACILITATOR,
            targets=[audit.Target(world.case, world.case.presenter_id, world.organisation.pk)],
            description=f"case {n}",
        )
    return list(AuditEvent.objects.order_by("id"))


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _broken():
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit_log")
    assert failure.value.returncode == 1
    return str(failure.value)


def test_an_untouched_log_verifies_intact(world, capsys):
    _read(world)
    call_command("verify_audit_log")
    assert "intact, 3 entries" in capsys.readouterr().out


def test_an_empty_log_verifies_intact(db, capsys):
    call_command("verify_audit_log")
    assert "intact, 0 entries" in capsys.readouterr().out


def test_editing_a_row_in_the_database_is_detected(world):
    first, second, _ = _read(world)
    _sql(f"UPDATE {TABLE} SET description = %s WHERE id = %s", ["nothing", second.pk])  # noqa: S608
    assert f"broken at entry {second.pk} (edited)" in _broken()


def test_moving_a_read_to_another_person_is_detected(world):
    first, _, _ = _read(world)
    other = world.people["participant"]
    _sql(f"UPDATE {TABLE} SET actor_id = %s WHERE id = %s", [other.pk, first.pk])  # noqa: S608
    assert f"broken at entry {first.pk} (repointed)" in _broken()


def test_deleting_a_row_in_the_database_is_detected(world):
    _, second, third = _read(world)
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [second.pk])  # noqa: S608
    assert f"broken at entry {third.pk} (unlinked)" in _broken()


def test_deleting_the_last_rows_is_detected(world):
    first, second, third = _read(world)
    _sql(f"DELETE FROM {TABLE} WHERE id >= %s", [second.pk])  # noqa: S608
    assert f"broken at entry {first.pk} (truncated)" in _broken()


def _forge(**fields):
    """A row written around audit.record, with a hash computed as the real writer would."""
    forged = AuditEvent(**fields)
    forged.hash = forged.compute_hash()
    _sql(
        f"INSERT INTO {TABLE} (event, at, object_type, object_id, actor_label, capacity,"  # noqa: S608
        " subject_label, organisation_label, request_id, description, previous_hash, hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            forged.event,
            forged.at,
            forged.object_type,
            forged.object_id,
            forged.actor_label,
            forged.capacity,
            forged.subject_label,
            forged.organisation_label,
            forged.request_id,
            forged.description,
            forged.previous_hash,
            forged.hash,
        ],
    )
    return AuditEvent.objects.order_by("-id").first()


def test_a_forged_row_is_detected(world):
    _, _, third = _read(world)
    forged = _forge(
        event="read",
        at=third.at,
        object_type="meetings.case",
        object_id="1",
        actor_label="#999 Nobody <nobody@example.org>",
        capacity="member",
        previous_hash="f" * 64,
    )
    assert f"broken at entry {forged.pk} (unlinked)" in _broken()


def test_a_forged_row_chained_onto_the_end_is_detected(world):
    _, _, third = _read(world)
    forged = _forge(
        event="read",
        at=third.at,
        object_type="meetings.case",
        object_id="1",
        actor_label="#999 Nobody <nobody@example.org>",
        capacity="member",
        previous_hash=third.hash,
    )
    assert f"broken at entry {forged.pk} (truncated)" in _broken()


def test_deleting_a_person_keeps_their_entries_and_the_chain(world, capsys):
    first, _, _ = _read(world)
    facilitator = world.people["facilitator"]
    label = first.actor_label
    world.group.facilitator = None
    world.group.save()
    facilitator.delete()

    first.refresh_from_db()
    assert (first.actor, first.actor_label) == (None, label)
    call_command("verify_audit_log")
    assert "intact, 3 entries" in capsys.readouterr().out


def test_the_model_refuses_changes_and_deletions(world):
    entry, *_ = _read(world)
    entry.description = "rewritten"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditEvent.objects.filter(pk=entry.pk).update(description="rewritten")
    with pytest.raises(ValidationError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 3
    assert audit.verify_chain().intact


def test_entries_cannot_be_written_around_the_chain(world):
    with pytest.raises(ValidationError):
        AuditEvent.objects.create(event="read", object_type="x", object_id="1")
    assert not AuditEvent.objects.exists()


def test_the_chain_head_follows_every_append(world):
    *_, last = _read(world)
    head = AuditChainHead.objects.get()
    assert (head.last_hash, head.entries) == (last.hash, 3)


def test_a_log_rewritten_and_rehashed_misses_the_noted_hash(world, capsys):
    first, second, third = _read(world)
    noted = third.hash
    # Someone with database access rewrites an entry and re-hashes the chain behind it.
    previous = first.hash
    for entry, description in [(second, "rewritten"), (third, third.description)]:
        entry.description, entry.previous_hash = description, previous
        entry.hash = entry.compute_hash()
        _sql(
            f"UPDATE {TABLE} SET description = %s, previous_hash = %s, hash = %s"  # noqa: S608
            " WHERE id = %s",
            [entry.description, entry.previous_hash, entry.hash, entry.pk],
        )
        previous = entry.hash
    _sql("UPDATE confidentiality_auditchainhead SET last_hash = %s", [previous])

    call_command("verify_audit_log")  # without the anchor the forgery is consistent
    assert "intact, 3 entries" in capsys.readouterr().out
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit_log", anchor=noted)
    assert "(rewritten)" in str(failure.value)


def test_the_noted_hash_of_an_untouched_log_is_found(world, capsys):
    *_, last = _read(world)
    _read(world)
    call_command("verify_audit_log", anchor=last.hash)
    assert "intact, 6 entries" in capsys.readouterr().out


def test_removing_an_entry_and_rehashing_the_rest_without_the_key_is_detected(world):
    """Whoever can write to the database but lacks AUDIT_LOG_KEY cannot rebuild the chain."""
    import hashlib

    first, second, third = _read(world)
    _sql(f"DELETE FROM {TABLE} WHERE id = %s", [second.pk])  # noqa: S608
    third.previous_hash = first.hash
    forged = hashlib.sha256(third.canonical()).hexdigest()
    _sql(
        f"UPDATE {TABLE} SET previous_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
        [first.hash, forged, third.pk],
    )
    head = AuditChainHead.objects.get()
    _sql(
        f"UPDATE {AuditChainHead._meta.db_table} SET last_hash = %s, entries = 2 WHERE id = %s",  # noqa: S608
        [forged, head.pk],
    )
    assert f"broken at entry {third.pk}" in _broken()
