"""Closing a year freezes a hash of each person's entries. PostgreSQL computes it in one grouped
query; Python computes it elsewhere: over the same entries both give the same value (so a
year closed either way still verifies), whatever the shape of the ledger: people without
entries, negative and fractional points, severities, reversals, several organisations."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.records import hashing, services
from lms.records.models import LedgerEntry
from tests.factories.organisations import DepartmentFactory, OrganisationFactory, person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL hash is PostgreSQL's"),
]
YEAR = timezone.localdate().year

ENTRY = st.tuples(
    st.sampled_from(
        [
            ("course_on_time", "", None),
            ("exam_failed", "", None),
            ("commendation", "", Decimal("2.5")),
            ("violation", "general", None),
            ("violation", "serious", Decimal("-12.75")),
            ("commendation", "", Decimal("0")),
            ("commendation", "", Decimal("999999.99")),
        ]
    ),
    st.booleans(),  # reversed afterwards
)
# people, each with their entries (an empty list: a person with none)
SHAPE = st.lists(st.lists(ENTRY, max_size=5), min_size=1, max_size=4)


def _both(organisation_id: int) -> tuple[dict, dict]:
    return (
        hashing.entries_hashes_sql(organisation_id=organisation_id, year=YEAR),
        hashing.entries_hashes_python(organisation_id=organisation_id, year=YEAR),
    )


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(shape=SHAPE)
def test_the_sql_and_python_hashes_agree_on_any_ledger(shape):
    organisation = OrganisationFactory()
    for entries in shape:
        staff = person(organisation)
        for (kind, severity, points), reversed_ in entries:
            entry = services.record_entry(
                staff=staff,
                kind=kind,
                severity=severity,
                points=points,
                source=DepartmentFactory(organisation=organisation),
                occurred_at=timezone.now(),
                summary="事项 | 带竖线",
            )
            if reversed_:
                services.reverse_entry(entry=entry, reason="更正")
    sql, python = _both(organisation.pk)
    assert sql == python
    entries = LedgerEntry.objects.filter(organisation=organisation)
    assert set(sql) == set(entries.values_list("user_id", flat=True))
    assert hashing.entries_hashes(organisation_id=organisation.pk, year=YEAR) == sql


def test_an_empty_year_has_no_hashes(org):
    assert _both(org.pk) == ({}, {})
