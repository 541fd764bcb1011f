"""The migrations that encrypt private data convert the rows that exist, and can go back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kring.planning.models import Attendance, PollAnswer
from kring.programmes.models import Wish

BEFORE = [("planning", "0001_initial"), ("programmes", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest():
    # Every app's latest migration: going back to BEFORE also unapplies the migrations of
    # other apps that depend on these two (groups, meetings, records, ...), and the tests
    # after this one in the same process need the whole schema back.
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _one(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_existing_plain_text_is_encrypted_and_decrypted_again(world):
    attendance = world.meeting.attendances.create(user=world.people["participant"])
    registration = world.programme.registrations.create(user=world.people["participant"])
    latest = _latest()
    try:
        _migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE planning_attendance SET reason = %s WHERE id = %s",
                ["ziek", attendance.pk],
            )
            cursor.execute(
                "INSERT INTO programmes_wish (registration_id, kind, other_id) VALUES (%s, %s, %s)",
                [registration.pk, "avoid", world.people["other_participant"].pk],
            )
        _migrate(latest)

        (stored,) = _one("SELECT reason FROM planning_attendance WHERE id = %s", [attendance.pk])
        assert stored != "ziek"
        assert Attendance.objects.get(pk=attendance.pk).reason == "ziek"
        kind, other = _one("SELECT kind, other_person FROM programmes_wish")
        assert "avoid" not in kind and str(world.people["other_participant"].pk) != other
        wish = Wish.objects.get()
        assert (wish.kind, wish.other) == ("avoid", world.people["other_participant"])
        assert PollAnswer.objects.count() == 0

        _migrate(BEFORE)
        assert _one("SELECT reason FROM planning_attendance WHERE id = %s", [attendance.pk]) == (
            "ziek",
        )
        assert _one("SELECT kind, other_id FROM programmes_wish") == (
            "avoid",
            world.people["other_participant"].pk,
        )
    finally:
        _migrate(latest)
