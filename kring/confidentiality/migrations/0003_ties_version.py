"""The policy's ties version: one row, raised by triggers on every table whose rows the
policy's viewer reads a person's ties from (`policy.Viewer`), in the transaction of the
change. The live sockets keep a person's ties while it stays the same.

On PostgreSQL the raise is a deferred constraint trigger: it runs at commit, so the row is
locked only for the moment of the commit (not for the whole transaction, where it could
order two transactions' locks the wrong way round). SQLite has one writer at a time."""

from django.db import migrations, models

COUNTER = "confidentiality_tiesversion"
# (app, model, the columns whose update matters; None: every insert, update and delete)
WATCHED = [
    ("organisations", "Membership", None),
    ("organisations", "ClientRelation", None),
    ("programmes", "ProgrammeRole", None),
    ("groups", "GroupMembership", None),
    ("meetings", "RoleAssignment", None),
    ("accounts", "User", ["is_active", "language"]),
    ("groups", "Group", ["programme_id"]),
    ("programmes", "Programme", ["organisation_id"]),
]
RAISE = (
    f"INSERT INTO {COUNTER} (id, version) VALUES (1, 1) "
    f"ON CONFLICT (id) DO UPDATE SET version = {COUNTER}.version + 1"
)


def _tables(apps):
    for app_label, model_name, columns in WATCHED:
        yield apps.get_model(app_label, model_name)._meta.db_table, columns


def _sqlite(table, columns):
    if columns is None:
        events = [("insert", "INSERT"), ("update", "UPDATE"), ("delete", "DELETE")]
    else:
        events = [("update", f"UPDATE OF {', '.join(columns)}"), ("delete", "DELETE")]
    for name, event in events:
        yield (
            f"CREATE TRIGGER kring_ties_{table}_{name} AFTER {event} ON {table} "
            f"BEGIN {RAISE}; END"
        )


def _postgresql(table, columns):
    events = "INSERT OR UPDATE OR DELETE"
    if columns is not None:
        events = f"UPDATE OF {', '.join(columns)} OR DELETE"
    yield (
        f"CREATE CONSTRAINT TRIGGER kring_ties_{table} AFTER {events} ON {table} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kring_ties_changed()"
    )
    yield (
        f"CREATE TRIGGER kring_ties_{table}_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION kring_ties_changed()"
    )


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(f"INSERT INTO {COUNTER} (id, version) VALUES (1, 1)")
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE FUNCTION kring_ties_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {RAISE}; RETURN NULL; END $$"
        )
    make = {"sqlite": _sqlite, "postgresql": _postgresql}[vendor]
    for table, columns in _tables(apps):
        for statement in make(table, columns):
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, columns in _tables(apps):
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER kring_ties_{table} ON {table}")
            schema_editor.execute(f"DROP TRIGGER kring_ties_{table}_truncate ON {table}")
        else:
            for name in ("insert", "update", "delete") if columns is None else ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER kring_ties_{table}_{name}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION kring_ties_changed()")


class Migration(migrations.Migration):
    dependencies = [
        ("confidentiality", "0002_nen7513_hash_chained_audit_log"),
        ("accounts", "0003_verified_addresses_hashed_feed_tokens_import_invitations"),
        ("organisations", "0002_alter_membership_role"),
        ("programmes", "0002_encrypt_wishes_and_registration_notes"),
        ("groups", "0003_ground_rule_revision_time_and_proposal_changed_by"),
        ("meetings", "0005_case_status_in_the_backlog"),
    ]

    operations = [
        migrations.CreateModel(
            name="TiesVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveBigIntegerField(default=0)),
            ],
            options={"verbose_name": "policy ties version"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
