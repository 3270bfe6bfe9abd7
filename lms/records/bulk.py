"""Writing many derived rows at once (kept scores, a closed year's appraisals). On PostgreSQL one
`INSERT … SELECT … FROM unnest(arrays)` statement per batch: one array per column, no model
instance and no per-row SQL compiled by Django (at 100,000 rows, building them through
`bulk_create` costs more than scoring the people). Elsewhere `bulk_create` does it."""

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Field, JSONField, Model

BATCH = 5000


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Sequence[Sequence],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
) -> int:
    """Insert `rows` (values in the order of `fields`); on a conflict on the `conflict` fields
    (a unique constraint), update the `update` fields. Returns how many rows were written."""
    if not rows:
        return 0
    meta = model._meta
    if connection.vendor != "postgresql":
        attnames = [_field(model, name).attname for name in fields]
        model._default_manager.bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows],
            batch_size=BATCH,
            update_conflicts=bool(conflict),
            unique_fields=list(conflict) or None,
            update_fields=list(update) or None,
        )
        return len(rows)
    table = connection.ops.quote_name(meta.db_table)
    columns = [_field(model, name) for name in fields]
    names = [_column(model, name) for name in fields]
    arrays = ", ".join(
        "%s::text[]" if isinstance(field, JSONField) else f"%s::{field.db_type(connection)}[]"
        for field in columns
    )
    selected = ", ".join(
        f"u.c{n}::jsonb" if isinstance(field, JSONField) else f"u.c{n}"
        for n, field in enumerate(columns)
    )
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {selected} "  # noqa: S608 - our own table and columns
        f"FROM unnest({arrays}) AS u({', '.join(f'c{n}' for n in range(len(columns)))})"
    )
    if conflict:
        target = ", ".join(_column(model, name) for name in conflict)
        changes = ", ".join(
            f"{column} = EXCLUDED.{column}" for column in (_column(model, name) for name in update)
        )
        sql += f" ON CONFLICT ({target}) DO UPDATE SET {changes}"
    written = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            values = []
            for n, field in enumerate(columns):
                column = [row[n] for row in batch]
                if isinstance(field, JSONField):
                    column = [json.dumps(value, cls=field.encoder) for value in column]
                values.append(array_literal(column))
            cursor.execute(sql, values)
            written += cursor.rowcount
    return written


def _field(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    assert isinstance(field, Field), name
    return field


def _column(model: type[Model], name: str) -> str:
    column = _field(model, name).column
    assert column, name
    return connection.ops.quote_name(column)


def array_literal(values: Sequence) -> str:
    """A PostgreSQL array literal of the values (cast to the column's array type in SQL):
    written here in one join rather than adapted value by value by the driver."""
    types = {type(value) for value in values}
    if types <= {int, Decimal}:  # ids, scores: no quoting (bool is not int's type here)
        return "{" + ",".join(map(str, values)) + "}"
    return "{" + ",".join(_element(value) for value in values) + "}"


def _element(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal):
        return str(value)
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
