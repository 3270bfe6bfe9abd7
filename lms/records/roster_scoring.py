"""Scoring a whole roster's year, a chunk of people at a time (issue 17: 100,000 people with
30 entries each in under a minute on PostgreSQL), for the kept scores (`scores.py`) and closing
a year (`services.appraisal.year_close`). Memory stays bounded by the chunk, not the roster:

- the roster as plain values (membership, user, department), in order of user, `CHUNK` people
  a query (keyset, no model instances);
- the year's live entries (neither a reversal nor reversed) as one row per person in the same
  order: the kinds worth the same each counted per kind (`scoring.counted_facts`), the others
  (violations, commendations, penalties) as arrays in the order they happened
  (`scoring.ordered_facts`). On PostgreSQL that is one query read through a cursor inside the
  caller's transaction; elsewhere (SQLite, the tests' default) two ORM queries merged;
- the policy read once (`scoring.Policy`), each person scored by the pure `scoring.appraise`,
  which scores these facts exactly as every entry one by one.
"""

import heapq
import itertools
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, Q, QuerySet, When

from . import scoring
from .bulk import array_literal
from .kinds import KINDS, Category, category_of
from .models import LedgerEntry

CHUNK = 5000
_cursor_numbers = itertools.count(1)  # a name of its own for each cursor of a transaction

# Kinds whose every entry is worth the same under a policy: counted per person; violations
# (numbered by when they happened), commendations and penalties (points of their own) and any
# kind the code does not know come one by one.
COUNTED_KINDS = tuple(
    kind
    for kind in KINDS
    if kind not in scoring.ENTRY_POINT_KINDS and category_of(kind) != Category.VIOLATION
)


@dataclass(frozen=True, slots=True)
class Scored:
    staff_id: int
    user_id: int
    department_id: int | None
    appraisal: scoring.Appraisal


def roster_appraisals(
    *,
    organisation_id: int,
    year: int,
    roster: QuerySet,
    rules: "dict | scoring.Policy",
    user_ids: list[int] | None = None,
    chunk: int = CHUNK,
) -> Iterator[list[Scored]]:
    """Every person of `roster` (Staff of the organisation) scored for `year`, `chunk` people at
    a time in order of user id; `user_ids` narrows the entries read to those people (the roster
    should be narrowed alike). Raises `scoring.PolicyError` as scoring them one by one would.
    On PostgreSQL call it inside `transaction.atomic()`: the entries come through a cursor of
    the transaction."""
    policy = scoring.policy_of(rules)
    tallies = person_facts(
        organisation_id=organisation_id, year=year, user_ids=user_ids, stream=True
    )
    try:
        pending = next(tallies, None)
        for people in _roster_chunks(roster, chunk):
            scored = []
            for staff_id, user_id, department_id in people:
                while pending is not None and pending[0] < user_id:
                    pending = next(tallies, None)  # someone with entries not on the roster
                facts = pending[1] if pending is not None and pending[0] == user_id else []
                scored.append(
                    Scored(staff_id, user_id, department_id, scoring.appraise(facts, policy))
                )
            yield scored
    finally:
        tallies.close()


def _roster_chunks(roster: QuerySet, chunk: int) -> Iterator[list[tuple[int, int, Any]]]:
    people = roster.order_by("user_id").values_list("pk", "user_id", "department_id")
    last = None
    while True:
        page = list((people if last is None else people.filter(user_id__gt=last))[:chunk])
        if not page:
            return
        yield page
        if len(page) < chunk:
            return
        last = page[-1][1]


def person_facts(
    *,
    organisation_id: int,
    year: int,
    user_ids: Iterable[int] | None = None,
    stream: bool = False,
) -> Generator[tuple[int, list[scoring.Fact]], None, None]:
    """(user id, the facts scoring needs) of everyone with live entries in the organisation's
    year (or of `user_ids`), in order of user id. With `stream` (inside a transaction) on
    PostgreSQL the rows come through a cursor, `CHUNK` at a time; otherwise they are read at
    once (one query: a page's few hundred people)."""
    user_ids = None if user_ids is None else list(user_ids)
    if connection.vendor == "postgresql":
        return _person_facts_postgresql(organisation_id, year, user_ids, stream=stream)
    return _person_facts_orm(organisation_id, year, user_ids)


def _live_sql(*, narrowed: bool) -> str:
    """One row per person: the counts of the counted kinds, then the kinds, severities and
    points of the others in the order they happened. A reversal and the entry it reverses are
    left out (the reversals found through the index on reverses_id: a handful of rows)."""
    table = LedgerEntry._meta.db_table
    order = "ORDER BY e.occurred_at, e.id"
    one_by_one = "e.kind <> ALL(%(counted)s)"
    counts = ", ".join(
        f"count(*) FILTER (WHERE e.kind = %(kind{n})s)" for n in range(len(COUNTED_KINDS))
    )
    return (
        f"SELECT e.user_id, {counts}, "  # noqa: S608 - our own table and columns
        f"array_agg(e.kind {order}) FILTER (WHERE {one_by_one}), "
        f"array_agg(e.severity {order}) FILTER (WHERE {one_by_one}), "
        f"array_agg(e.points {order}) FILTER (WHERE {one_by_one}) "
        f"FROM {table} e WHERE e.organisation_id = %(organisation)s AND e.year = %(year)s "
        f"{'AND e.user_id = ANY(%(users)s::bigint[]) ' if narrowed else ''}"
        "AND e.reverses_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
        f"{table} r WHERE r.reverses_id = e.id AND r.reverses_id IS NOT NULL) "
        "GROUP BY e.user_id ORDER BY e.user_id"
    )


def _person_facts_postgresql(
    organisation_id: int, year: int, user_ids: list[int] | None, *, stream: bool
) -> Generator[tuple[int, list[scoring.Fact]], None, None]:
    params: dict[str, Any] = {
        "organisation": organisation_id,
        "year": year,
        "users": None if user_ids is None else array_literal(user_ids),
        "counted": list(COUNTED_KINDS),
        **{f"kind{n}": kind for n, kind in enumerate(COUNTED_KINDS)},
    }
    sql = _live_sql(narrowed=user_ids is not None)
    streamed = stream and connection.in_atomic_block
    name = f"records_person_facts_{next(_cursor_numbers)}"
    with connection.cursor() as cursor:
        if streamed:
            cursor.execute(f"DECLARE {name} NO SCROLL CURSOR FOR {sql}", params)
        else:
            cursor.execute(sql, params)
        try:
            while True:
                if streamed:
                    cursor.execute(f"FETCH FORWARD {CHUNK} FROM {name}")
                rows = cursor.fetchmany(CHUNK)
                for user_id, *numbers, kinds, severities, points in rows:
                    facts = [
                        scoring.Fact(key=-number, kind=kind, times=count)
                        for number, (kind, count) in enumerate(
                            zip(COUNTED_KINDS, numbers, strict=True), start=1
                        )
                        if count
                    ]
                    if kinds:
                        facts.extend(scoring.ordered_facts(kinds, severities, points))
                    yield user_id, facts
                if len(rows) < CHUNK:
                    break
        except GeneratorExit:  # the reader stopped early: the cursor goes now, not at commit
            if streamed:
                cursor.execute(f"CLOSE {name}")
            raise
        if streamed:
            cursor.execute(f"CLOSE {name}")


def _person_facts_orm(
    organisation_id: int, year: int, user_ids: list[int] | None
) -> Generator[tuple[int, list[scoring.Fact]], None, None]:
    entries = LedgerEntry.objects.filter(organisation_id=organisation_id, year=year)
    if user_ids is not None:
        entries = entries.filter(user_id__in=user_ids)
    live = entries.filter(reverses__isnull=True, reversed_by__isnull=True).order_by()
    counts = (
        live.filter(kind__in=COUNTED_KINDS)
        .values("user_id")
        .annotate(**{kind: Count("pk", filter=Q(kind=kind)) for kind in COUNTED_KINDS})
        .values_list("user_id", *COUNTED_KINDS)
        .order_by("user_id")
    )
    # the stored points only of commendations and penalties, the time only of violations
    one_by_one = (
        live.exclude(kind__in=COUNTED_KINDS)
        .annotate(
            stored_points=Case(When(kind__in=list(scoring.ENTRY_POINT_KINDS), then=F("points"))),
            violation_at=Case(When(category=Category.VIOLATION, then=F("occurred_at"))),
        )
        .values_list("user_id", "pk", "kind", "stored_points", "severity", "violation_at")
        .order_by("user_id", "pk")
    )
    counted = (
        (
            user_id,
            scoring.counted_facts(dict(zip(COUNTED_KINDS, numbers, strict=True))),
        )
        for user_id, *numbers in counts.iterator(chunk_size=CHUNK)
    )
    single = (
        (user_id, [scoring.Fact(key, kind, points, severity, occurred_at)])
        for user_id, key, kind, points, severity, occurred_at in one_by_one.iterator(
            chunk_size=CHUNK
        )
    )
    for user_id, parts in groupby(heapq.merge(counted, single, key=itemgetter(0)), itemgetter(0)):
        yield user_id, [fact for _user, facts in parts for fact in facts]
