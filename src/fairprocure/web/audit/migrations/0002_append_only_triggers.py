"""The database itself refuses UPDATE and DELETE on audit events (the model refuses them already).

One trigger per statement kind and vendor; TRUNCATE stays possible on PostgreSQL for a database
administrator (and for the test runner's flush).
"""

from django.db import migrations

MESSAGE = "the audit log is append-only"

SQLITE = [
    (
        f"CREATE TRIGGER audit_event_no_{op.lower()} BEFORE {op} ON audit_auditevent "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} refused'); END",
        f"DROP TRIGGER IF EXISTS audit_event_no_{op.lower()}",
    )
    for op in ("UPDATE", "DELETE")
]

POSTGRESQL = [
    (
        "CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP; END $$",
        "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
    ),
    (
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    ),
]

TRIGGERS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


def _run(schema_editor, statements: list[str]) -> None:
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)  # no parameters: the "%" in the PostgreSQL function stays as written


def create(apps, schema_editor) -> None:
    _run(schema_editor, [install for install, _ in TRIGGERS.get(schema_editor.connection.vendor, [])])


def drop(apps, schema_editor) -> None:
    _run(schema_editor, [remove for _, remove in reversed(TRIGGERS.get(schema_editor.connection.vendor, []))])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
