"""Scoring a year: N people × 30 ledger entries each on PostgreSQL (goal: 100,000 people < 60 s).

Builds (once, kept for the next run: the ledger is append-only) a bench enterprise with N people
over 20 departments and 30 entries each of mixed kinds (courses, exams, spot checks,
certificates, violations, commendations), then times what the 合规考核 page and
closing a year do: `selectors.organisation_appraisal` (every person's entries streamed and
scored), split into reading the entries and the pure scoring of them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hegui_bench \\
        .venv/bin/python bench/records_scoring.py [--people 1000]
    .venv/bin/python bench/records_scoring.py --people 100000   # the issue's goal
"""

import argparse
import datetime as dt
import os
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from lms.organisations import credit_code  # noqa: E402
from lms.organisations.models import (  # noqa: E402
    ComplianceRole,
    Department,
    Organisation,
    Position,
    Staff,
)
from lms.records import scoring, selectors  # noqa: E402
from lms.records.kinds import category_of  # noqa: E402
from lms.records.models import LedgerEntry  # noqa: E402
from lms.records.services import rules_for  # noqa: E402

ENTRIES_PER_PERSON = 30
YEAR = 2025
LIMIT_SECONDS_PER_100K = 60
CODE = credit_code.complete("91330100MA2RECRD9")
# (kind, severity) in turn; the exam is failed by every 7th person (a hard rule: 不合格)
MIX = [
    ("course_on_time", ""),
    ("course_on_time", ""),
    ("course_late", ""),
    ("exam_passed", ""),
    ("spotcheck_passed", ""),
    ("certificate_gained", ""),
    ("commendation", ""),
    ("violation", "general"),
    ("course_on_time", ""),
    ("exam_failed", ""),
]


def build(people: int) -> tuple[Organisation, object]:
    """The bench enterprise with at least `people` staff (plus its head), each with 30 entries
    of the bench year. Returns it and the head (who reads the page)."""
    org = Organisation.objects.filter(credit_code=CODE).first()
    if org is None:
        org = Organisation.objects.create(
            name="考核基准集团有限公司",
            credit_code=CODE,
            sector="state_owned",
            region_code="330100",
        )
    departments = [
        Department.objects.get_or_create(organisation=org, name=f"部门{i:02d}")[0]
        for i in range(20)
    ]
    clerk = Position.objects.get_or_create(organisation=org, name="员工")[0]
    head_position = Position.objects.get_or_create(
        organisation=org,
        name="合规负责人",
        defaults={"compliance_role": ComplianceRole.COMPLIANCE_HEAD},
    )[0]
    user_model = get_user_model()
    head = Staff.objects.filter(organisation=org, position=head_position).first()
    if head is None:
        user = user_model.objects.create(
            email="records-head@bench.example.cn", full_name="基准负责人"
        )
        head = Staff.objects.create(
            user=user, organisation=org, position=head_position, employee_number="RH0001"
        )
    have = Staff.objects.filter(organisation=org, position=clerk).count()
    if have < people:
        users = user_model.objects.bulk_create(
            [
                user_model(email=f"records{n}@bench.example.cn", full_name=f"员工{n}", password="!")
                for n in range(have, people)
            ],
            batch_size=5000,
        )
        Staff.objects.bulk_create(
            [
                Staff(
                    user=user,
                    organisation=org,
                    department=departments[n % len(departments)],
                    position=clerk,
                    employee_number=f"R{n:07d}",
                )
                for n, user in enumerate(users, start=have)
            ],
            batch_size=5000,
        )
    with_entries = set(
        LedgerEntry.objects.filter(organisation=org, year=YEAR).values_list("staff_id", flat=True)
    )
    missing = list(
        Staff.objects.filter(organisation=org, position=clerk)
        .exclude(pk__in=with_entries)
        .select_related("department")
        .order_by("pk")[: max(0, people - len(with_entries))]
    )
    source_type = ContentType.objects.get_for_model(Department)
    start = timezone.make_aware(dt.datetime(YEAR, 1, 5, 9))
    rules = rules_for(organisation_id=org.pk, year=YEAR)
    batch: list[LedgerEntry] = []
    for staff in missing:
        for k in range(ENTRIES_PER_PERSON):
            kind, severity = MIX[k % len(MIX)]
            if kind == "exam_failed" and staff.pk % 7:
                kind = "exam_passed"
            points = (
                Decimal(3)
                if kind == "commendation"
                else scoring.entry_points(kind=kind, rules=rules, severity=severity)
            )
            batch.append(
                LedgerEntry(
                    user_id=staff.user_id,
                    staff=staff,
                    organisation=org,
                    department_id=staff.department_id,
                    department_name=staff.department.name,
                    year=YEAR,
                    category=category_of(kind),
                    kind=kind,
                    severity=severity,
                    source_type=source_type,
                    source_id=staff.pk * 100 + k,
                    points=points,
                    summary=f"基准事项{k}",
                    occurred_at=start + dt.timedelta(days=k * 11),
                )
            )
        if len(batch) >= 30_000:
            LedgerEntry.objects.bulk_create(batch, batch_size=5000)
            batch = []
    if batch:
        LedgerEntry.objects.bulk_create(batch, batch_size=5000)
    return org, head.user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    people = parser.parse_args().people
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        org, head = build(people)
    built = time.perf_counter() - started
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load
        cursor.execute("ANALYZE records_ledgerentry")
    entries = LedgerEntry.objects.filter(organisation=org, year=YEAR).count()
    print(f"ledger: {entries:,} entries of {YEAR} in the bench enterprise (build {built:.1f} s)")

    started = time.perf_counter()
    by_user = selectors.scoring_facts(LedgerEntry.objects.filter(organisation=org, year=YEAR))
    read = time.perf_counter() - started
    rules = rules_for(organisation_id=org.pk, year=YEAR)
    facts = list(by_user.values())
    started = time.perf_counter()
    grades = defaultdict(int)
    for person_facts in facts:
        grades[scoring.appraise(person_facts, rules).grade] += 1
    scored = time.perf_counter() - started
    print(f"read the entries: {read:.2f} s; pure scoring of {len(facts):,} people: {scored:.2f} s")

    started = time.perf_counter()
    result = selectors.organisation_appraisal(head, organisation=org, year=YEAR, live=True)
    total = time.perf_counter() - started
    scored_people = sum(len(d.people) for d in result.departments)
    limit = LIMIT_SECONDS_PER_100K * max(scored_people, 1) / 100_000
    verdict = "OK" if total < limit else "TOO SLOW"
    print(
        f"organisation_appraisal: {scored_people:,} people × {ENTRIES_PER_PERSON} entries in "
        f"{total:.2f} s (goal {limit:.1f} s at 60 s per 100,000: {verdict}); "
        f"grades {dict(sorted(grades.items()))}"
    )


if __name__ == "__main__":
    main()
