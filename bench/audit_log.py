"""What writing an audit entry costs next to the content read it records (issue 8, §3).

Target: an entry costs a content read no more than a few milliseconds. Runs on a
throw-away database: a SQLite file in a temporary directory, or, when DATABASE_URL is
set, a `test_` copy of that PostgreSQL database that is dropped afterwards.

    .venv/bin/python bench/audit_log.py [--repeat 300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring .venv/bin/python bench/audit_log.py
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
os.environ.setdefault("KRING_VAR_DIR", tempfile.mkdtemp(prefix="kring-bench-"))


def _ms_per(action, repeat: int, per_call: int = 1) -> float:
    action()  # warm up caches and connections
    started = time.perf_counter()
    for _ in range(repeat):
        action()
    return (time.perf_counter() - started) * 1000 / (repeat * per_call)


def measure(repeat: int) -> list[tuple[str, float]]:
    from django.db import connection, transaction

    from kring.confidentiality import audit
    from kring.confidentiality.models import AuditEvent
    from kring.meetings.models import Case
    from tests import factories as f

    case = f.CaseFactory(description="Een casus over een cliënt. " * 40)
    cases = [f.CaseFactory(group=case.group) for _ in range(10)]
    reader = f.UserFactory()
    organisation_id = case.group.programme.organisation_id

    def read_content():
        fetched = Case.objects.select_related("group").get(pk=case.pk)
        return fetched.title, fetched.description  # decrypts both fields

    def record_one():
        audit.record(
            AuditEvent.Event.READ,
            actor=reader,
            capacity=AuditEvent.Capacity.MEMBER,
            targets=[audit.Target(case, case.presenter_id, organisation_id)],
            description="case",
        )

    def record_list():
        audit.record(
            AuditEvent.Event.READ,
            actor=reader,
            capacity=AuditEvent.Capacity.MEMBER,
            targets=[audit.Target(c, c.presenter_id, organisation_id) for c in cases],
            description="case list",
        )

    def record_in_callers_transaction():
        with transaction.atomic():
            for _ in range(repeat):
                record_one()

    rows = [
        ("content read: fetch and decrypt one case", _ms_per(read_content, repeat)),
        ("audit entry: one read (own transaction)", _ms_per(record_one, repeat)),
        (
            "audit entry: one read in the caller's transaction (no flush)",
            _ms_per(record_in_callers_transaction, 1, repeat),
        ),
        ("audit entry: per case of a 10-case list", _ms_per(record_list, repeat // 5, 10)),
    ]

    writers, each = 4, max(repeat // 10, 10)

    def parallel():
        def write():
            try:
                for _ in range(each):
                    record_one()
            finally:
                connection.close()

        threads = [threading.Thread(target=write) for _ in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    if connection.vendor == "postgresql":  # SQLite: one writer at a time by design
        started = time.perf_counter()
        parallel()
        elapsed = (time.perf_counter() - started) * 1000 / (writers * each)
        rows.append((f"audit entry: wall time per entry, {writers} parallel writers", elapsed))

    started = time.perf_counter()
    report = audit.verify_chain()
    verify_ms = (time.perf_counter() - started) * 1000 / max(report.entries, 1)
    assert report.intact, report
    rows.append((f"verify_audit_log: per entry ({report.entries} entries)", verify_ms))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(os.environ["KRING_VAR_DIR"]) / "bench.sqlite3"
        )
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        rows = measure(args.repeat)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    content_ms = rows[0][1]
    print(f"Audit log cost on {connection.vendor} ({args.repeat} repetitions)\n")
    print(f"{'operation':<62} {'ms':>8} {'x read':>8}")
    for label, ms in rows:
        print(f"{label:<62} {ms:8.3f} {ms / content_ms:8.2f}")
    entry_ms, unflushed_ms = rows[1][1], rows[2][1]
    verdict = "within" if entry_ms <= 5 else "ABOVE"
    print(
        f"\nOne entry adds {entry_ms:.2f} ms to a content read ({verdict} the 5 ms target); "
        f"{entry_ms - unflushed_ms:.2f} ms of it is the commit's wait for the disk."
    )


if __name__ == "__main__":
    main()
