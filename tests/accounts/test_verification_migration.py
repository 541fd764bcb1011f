"""The migration that brings address confirmation and hashed feed tokens keeps everyone who
could log in logging in, and every calendar address that was handed out working."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0002_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes()]


@pytest.mark.django_db(transaction=True)
def test_people_with_a_password_count_as_confirmed_and_feed_addresses_keep_working(
    world, User, client
):
    participant, imported = world.people["participant"], world.people["outsider"]
    latest = _latest()
    try:
        _migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE accounts_user SET calendar_token = %s WHERE id = %s",
                ["old-feed-token", participant.pk],
            )
            cursor.execute(
                "UPDATE accounts_user SET password = %s WHERE id = %s", ["!unusable", imported.pk]
            )
        _migrate(latest)

        participant = User.objects.get(pk=participant.pk)
        assert participant.email_verified
        assert participant.calendar_token_hash == hashlib.sha256(b"old-feed-token").hexdigest()
        assert not User.objects.get(pk=imported.pk).email_verified
        feed = client.get("/planning/feed/old-feed-token.ics")
        assert feed.status_code == 200
    finally:
        _migrate(latest)
