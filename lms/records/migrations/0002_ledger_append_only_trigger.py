from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION records_ledgerentry_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the compliance ledger is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER records_ledgerentry_no_update_delete
  BEFORE UPDATE OR DELETE ON records_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION records_ledgerentry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS records_ledgerentry_no_update_delete ON records_ledgerentry;
DROP FUNCTION IF EXISTS records_ledgerentry_append_only();
"""
SQLITE_CREATE = [
    """CREATE TRIGGER records_ledgerentry_no_update BEFORE UPDATE ON records_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'the compliance ledger is append-only'); END;""",
    """CREATE TRIGGER records_ledgerentry_no_delete BEFORE DELETE ON records_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'the compliance ledger is append-only'); END;""",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(DROP)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS records_ledgerentry_no_update")
        schema_editor.execute("DROP TRIGGER IF EXISTS records_ledgerentry_no_delete")


class Migration(migrations.Migration):
    """The database itself refuses to change or delete a ledger entry (as for the audit log)."""

    dependencies = [("records", "0001_ledger_and_policies")]
    operations = [migrations.RunPython(forwards, backwards)]
