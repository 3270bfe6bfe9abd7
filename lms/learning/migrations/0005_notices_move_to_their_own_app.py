# Notices moved from learning to their own app (lms.notifications). Every notice is copied,
# with its id, into the new table before learning's is dropped. Spot-check draw notices, which
# borrowed learning's "assigned" kind, get their own kind.

from django.core.management.color import no_style
from django.db import migrations

COLUMNS = ("id", "user_id", "key", "kind", "subject", "body", "link", "created_at", "emailed_at", "read_at")


def _copy(apps, schema_editor, *, source, target, kind_sql, params=()):
    connection = schema_editor.connection
    quote = schema_editor.quote_name
    source_table = apps.get_model(*source)._meta.db_table
    target_model = apps.get_model(*target)
    columns = ", ".join(quote(c) for c in COLUMNS)
    selected = ", ".join(kind_sql if c == "kind" else quote(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(target_model._meta.db_table)} ({columns}) "
            f"SELECT {selected} FROM {quote(source_table)}",
            params,
        )
        for sql in connection.ops.sequence_reset_sql(no_style(), [target_model]):
            cursor.execute(sql)


def notices_forward(apps, schema_editor):
    quote = schema_editor.quote_name
    _copy(
        apps,
        schema_editor,
        source=("learning", "Notification"),
        target=("notifications", "Notification"),
        kind_sql=(
            f"CASE WHEN {quote('kind')} = 'assigned' AND {quote('key')} LIKE %s "
            f"THEN 'spotcheck_drawn' ELSE {quote('kind')} END"
        ),
        params=["spotcheck:%"],
    )


def notices_back(apps, schema_editor):
    """Back to learning; the new table is emptied so that going forward again copies anew."""
    quote = schema_editor.quote_name
    _copy(
        apps,
        schema_editor,
        source=("notifications", "Notification"),
        target=("learning", "Notification"),
        kind_sql=(
            f"CASE WHEN {quote('kind')} = 'spotcheck_drawn' THEN 'assigned' "
            f"ELSE SUBSTR({quote('kind')}, 1, 20) END"
        ),
    )
    table = apps.get_model("notifications", "Notification")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(table)}")


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0004_notification_kind_records'),
        ('notifications', '0001_notices_with_kinds_and_params'),
    ]

    operations = [
        migrations.RunPython(notices_forward, notices_back),
        migrations.DeleteModel(
            name='Notification',
        ),
    ]
