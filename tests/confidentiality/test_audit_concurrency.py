"""Many writers at once still make one unbroken chain, on SQLite and on PostgreSQL.

On PostgreSQL the writers are threads of this process, each with its own connection to
the test database. SQLite's in-memory test database is a shared cache, whose table locks
fail at once ("database table is locked") instead of waiting as a database file does, so
on SQLite the writers run in a fresh process against a file copy of the test database:
the way Kring runs on SQLite.
"""

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from kring.confidentiality import audit
from kring.confidentiality.models import AuditEvent

WRITERS = 8
ENTRIES_PER_WRITER = 15
ROOT = Path(__file__).resolve().parents[2]


def write_in_parallel(writers: int, entries: int) -> list[Exception]:
    """Start `writers` threads at the same moment; each appends `entries` reads."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from kring.confidentiality import audit
    from kring.confidentiality.models import AuditEvent

    people = [
        get_user_model().objects.create(email=f"writer{n}@example.org", full_name=f"W {n}")
        for n in range(writers)
    ]
    start = threading.Barrier(writers)
    errors: list[Exception] = []

    def write(person):
        try:
            start.wait()
            for n in range(entries):
                audit.record(
                    AuditEvent.Event.READ,
                    actor=person,
                    capacity=AuditEvent.Capacity.AUTHOR,
                    targets=[audit.Target(person, person.pk, None)],
                    description=f"read {n}",
                )
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connection.close()  # each thread had a connection of its own

    threads = [threading.Thread(target=write, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_the_chain_whole_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("threads on one connection each need a server database")
    errors = write_in_parallel(WRITERS, ENTRIES_PER_WRITER)

    assert not errors
    report = audit.verify_chain()
    assert report.intact, report
    assert report.entries == AuditEvent.objects.count() == WRITERS * ENTRIES_PER_WRITER


CHILD = f"""
import json, django
django.setup()
from tests.confidentiality.test_audit_concurrency import write_in_parallel
from kring.confidentiality.audit import verify_chain
from kring.confidentiality.models import AuditEvent
errors = write_in_parallel({WRITERS}, {ENTRIES_PER_WRITER})
report = verify_chain()
print(json.dumps({{"errors": [repr(e) for e in errors], "intact": report.intact,
                  "entries": report.entries, "rows": AuditEvent.objects.count()}}))
"""


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_the_chain_whole_on_a_sqlite_file(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL test covers a server database")
    database = tmp_path / "kring.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(database)
    connection.connection.backup(copy)  # the migrated schema, without running migrate
    copy.close()

    child = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kring.settings",
            "DATABASE_URL": f"sqlite:///{database}",
            "KRING_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    outcome = json.loads(child.stdout.strip().splitlines()[-1])
    assert outcome == {
        "errors": [],
        "intact": True,
        "entries": WRITERS * ENTRIES_PER_WRITER,
        "rows": WRITERS * ENTRIES_PER_WRITER,
    }
