"""The hash of each person's ledger entries of a year, frozen with their appraisal when the year
closes (`Appraisal.entries_hash`): SHA-256 over one line per entry, in entry order,
`pk|kind|points|severity|reverses_id` (Python's `str` of each: `None` for no reversal, points
with their two decimals). On PostgreSQL the database computes it (one grouped query, no row
through Python); elsewhere (SQLite, the tests' default) Python does. Both give the same value,
so years closed before either way still verify."""

import hashlib
from typing import Any

from django.db import connection

from .bulk import array_literal
from .models import LedgerEntry


def entries_hashes(
    *, organisation_id: int, year: int, user_ids: list[int] | None = None
) -> dict[int, str]:
    """{user id: hex digest} of every person with entries of the organisation's year (or of
    those of `user_ids`)."""
    if connection.vendor == "postgresql":
        return entries_hashes_sql(organisation_id=organisation_id, year=year, user_ids=user_ids)
    return entries_hashes_python(organisation_id=organisation_id, year=year, user_ids=user_ids)


def entries_hashes_python(
    *, organisation_id: int, year: int, user_ids: list[int] | None = None
) -> dict[int, str]:
    digests: dict[int, Any] = {}
    entries = LedgerEntry.objects.filter(organisation_id=organisation_id, year=year)
    if user_ids is not None:
        entries = entries.filter(user_id__in=user_ids)
    rows = entries.order_by("user_id", "pk").values_list(
        "user_id", "pk", "kind", "points", "severity", "reverses_id"
    )
    for user_id, *fields in rows.iterator(chunk_size=5000):
        digest = digests.setdefault(user_id, hashlib.sha256())
        digest.update(("|".join(str(f) for f in fields) + "\n").encode())
    return {user_id: digest.hexdigest() for user_id, digest in digests.items()}


def entries_hashes_sql(
    *, organisation_id: int, year: int, user_ids: list[int] | None = None
) -> dict[int, str]:
    """The same digests computed by PostgreSQL: `numeric(8,2)::text` writes the two decimals
    as Python's `str(Decimal)` does; a missing reversal is written `None` as Python does."""
    table = LedgerEntry._meta.db_table
    line = (
        "e.id::text || '|' || e.kind || '|' || e.points::text || '|' || e.severity || '|' || "
        "coalesce(e.reverses_id::text, 'None') || E'\\n'"
    )
    sql = (
        f"SELECT e.user_id, encode(sha256(convert_to(string_agg({line}, '' ORDER BY e.id), "  # noqa: S608 - names of our own table and columns
        f"'UTF8')), 'hex') FROM {table} e WHERE e.organisation_id = %s AND e.year = %s "
        f"{'AND e.user_id = ANY(%s::bigint[]) ' if user_ids is not None else ''}GROUP BY e.user_id"
    )
    params: list = [organisation_id, year]
    if user_ids is not None:
        params.append(array_literal(user_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())
