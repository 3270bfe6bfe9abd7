"""Scoring a year: N people × 30 ledger entries each on PostgreSQL (goal: 100,000 people < 60 s).

Builds (once, kept for the next run: the ledger is append-only) a bench enterprise with N people
over 20 departments and 30 entries each of mixed kinds (courses, exams, spot checks,
certificates, violations, commendations), then times, with wall and CPU time (this process's;
the database's is not in it) and the load average: reading the entries
(`roster_scoring.person_facts`), the pure scoring of them, `scores.scores_refresh` of the whole
organisation (every person's kept score, what the 合规考核 page of a large roster reads: the
goal), the entry hashes in SQL (and Python with --python-hashes), `organisation_appraisal` with
--live, and closing the year (rolled back).

Last measured (100,000 people, 3,000,001 entries, two runs at load 5–9 on the shared 2-core
machine): scores_refresh 28.2–32.7 s wall, 4.3–4.4 s CPU (was ~100 s); year_close 33.3–39.5 s
wall, 6.2–6.4 s CPU.

    createdb -h 127.0.0.1 -U postgres hegui_scoring_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hegui_scoring_bench \\
        .venv/bin/python bench/records_scoring.py [--people 1000] [--build-only]
    .venv/bin/python bench/records_scoring.py --people 100000   # the issue's goal
"""

import argparse
import datetime as dt
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
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
from lms.records import (  # noqa: E402
    hashing,
    roster_scoring,
    scores,
    scoring,
    selectors,
    services,
)
from lms.records.kinds import category_of  # noqa: E402
from lms.records.models import LedgerEntry  # noqa: E402

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


def _copy_rows(table: str, template_id: int, overrides: dict[str, str], source: str, params):
    """INSERT INTO table SELECT …: every column as in the template row (tpl) but the overridden
    ones (SQL expressions over `source`, which names the rows to make); the id from its
    sequence. One statement: no row passes through Python."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND column_name <> 'id' ORDER BY ordinal_position",
            [table],
        )
        columns = [row[0] for row in cursor.fetchall()]
        values = ", ".join(overrides.get(column, f"tpl.{column}") for column in columns)
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} "  # noqa: S608 - our own tables
            f"FROM {table} tpl CROSS JOIN {source} WHERE tpl.id = %s",
            [*params, template_id],
        )
        return cursor.rowcount


def build(people: int) -> tuple[Organisation, object]:
    """The bench enterprise with at least `people` staff (plus its head), each with 30 entries
    of the bench year, made by SQL (generate_series) from a template row of each table: 3
    million entries in a minute or two rather than an hour of ORM. Returns it and the head
    (who reads the page)."""
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
            user=user,
            organisation=org,
            department=departments[0],
            position=head_position,
            employee_number="RH0001",
        )
    source_type = ContentType.objects.get_for_model(Department)
    start = timezone.make_aware(dt.datetime(YEAR, 1, 5, 9))
    template = LedgerEntry.objects.filter(organisation=org, year=YEAR, staff=head).first()
    if template is None:  # the head's own entry: the template of every other
        template = LedgerEntry.objects.create(
            user_id=head.user_id,
            staff=head,
            organisation=org,
            department_id=head.department_id,
            department_name=departments[0].name,
            year=YEAR,
            category=category_of("course_on_time"),
            kind="course_on_time",
            source_type=source_type,
            source_id=0,
            points=scoring.entry_points(
                kind="course_on_time", rules=services.rules_for(organisation_id=org.pk, year=YEAR)
            ),
            summary="基准事项",
            occurred_at=start,
        )
    have = Staff.objects.filter(organisation=org, position=clerk).count()
    if have < people:
        _copy_rows(
            user_model._meta.db_table,
            head.user_id,
            {
                "email": "'records' || n || '@bench.example.cn'",
                "full_name": "'员工' || n",
                "password": "'!'",
            },
            "generate_series(%s, %s) n",
            [have, people - 1],
        )
        _copy_rows(
            Staff._meta.db_table,
            head.pk,
            {
                "user_id": "u.id",
                "position_id": str(clerk.pk),
                "department_id": f"(ARRAY{[d.pk for d in departments]})[u.n %% 20 + 1]",
                "employee_number": "'R' || lpad(u.n::text, 7, '0')",
            },
            f"(SELECT usr.id, substring(usr.email from 'records([0-9]+)@')::int AS n FROM "
            f"{user_model._meta.db_table} usr WHERE usr.email ~ '^records[0-9]+@bench[.]example[.]cn$' "
            f"AND NOT EXISTS (SELECT 1 FROM {Staff._meta.db_table} m WHERE m.user_id = usr.id "
            f"AND m.organisation_id = {org.pk})) u",
            [],
        )
    rules = services.rules_for(organisation_id=org.pk, year=YEAR)
    mix = []
    for k in range(ENTRIES_PER_PERSON):
        kind, severity = MIX[k % len(MIX)]
        for failed in (True, False):  # the exam is failed by every 7th person
            this = "exam_passed" if kind == "exam_failed" and not failed else kind
            points = (
                Decimal(3)
                if this == "commendation"
                else scoring.entry_points(kind=this, rules=rules, severity=severity)
            )
            mix.append(f"({k}, {failed}, '{this}', '{severity}', '{category_of(this)}', {points})")
    staff_table = Staff._meta.db_table
    departments_by_id = ", ".join(f"({d.pk}, '{d.name}')" for d in departments)
    entries_table = LedgerEntry._meta.db_table
    made = _copy_rows(
        entries_table,
        template.pk,
        {
            "user_id": "s.user_id",
            "staff_id": "s.id",
            "department_id": "s.department_id",
            "department_name": "d.name",
            "category": "m.category",
            "kind": "m.kind",
            "severity": "m.severity",
            "points": "m.points",
            "source_id": "s.id * 100 + m.k",
            "summary": "'基准事项' || m.k",
            "occurred_at": "tpl.occurred_at + make_interval(days => m.k * 11)",
            "entered_at": "now()",
        },
        f"(SELECT * FROM {staff_table} st WHERE st.organisation_id = {org.pk} "
        f"AND st.position_id = {clerk.pk} AND NOT EXISTS (SELECT 1 FROM {entries_table} e "
        f"WHERE e.staff_id = st.id AND e.year = {YEAR}) ORDER BY st.id LIMIT %s) s "
        f"JOIN (VALUES {departments_by_id}) d(id, name) ON d.id = s.department_id "
        f"JOIN (VALUES {', '.join(mix)}) m(k, failed, kind, severity, category, points) "
        "ON m.failed = (s.id %% 7 = 0)",
        [people],
    )
    print(f"made {made:,} entries")
    return org, head.user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--build-only", action="store_true", help="build the data and stop")
    parser.add_argument(
        "--live", action="store_true", help="also time organisation_appraisal (model instances)"
    )
    parser.add_argument(
        "--python-hashes", action="store_true", help="also time the entry hashes in Python"
    )
    args = parser.parse_args()
    people = args.people
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        org, head = build(people)
    built = time.perf_counter() - started
    with connection.cursor() as cursor:  # what autovacuum does after a bulk load
        for model in (LedgerEntry, Staff, get_user_model()):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    entries = LedgerEntry.objects.filter(organisation=org, year=YEAR).count()
    print(f"ledger: {entries:,} entries of {YEAR} in the bench enterprise (build {built:.1f} s)")
    if args.build_only:
        return

    print(f"load average before: {_load()}")
    with transaction.atomic():  # the entries come through a cursor of the transaction
        (facts, read) = _timed(
            lambda: list(roster_scoring.person_facts(organisation_id=org.pk, year=YEAR))
        )
    policy = scoring.Policy(services.rules_for(organisation_id=org.pk, year=YEAR))
    grades: dict[str, int] = defaultdict(int)

    def score_all():
        for _user_id, person in facts:
            grades[scoring.appraise(person, policy).grade] += 1

    (_, scored) = _timed(score_all)
    print(
        f"read the entries of {len(facts):,} people: {read}; pure scoring: {scored}; "
        f"grades {dict(sorted(grades.items()))}"
    )
    facts.clear()

    (kept, refresh) = _timed(lambda: scores.scores_refresh(organisation_id=org.pk, year=YEAR))
    limit = LIMIT_SECONDS_PER_100K * max(kept, 1) / 100_000
    verdict = "OK" if refresh.wall < limit else "TOO SLOW"
    print(
        f"scores_refresh (every person's kept score, the 合规考核 page's precompute): {kept:,} "
        f"people × {ENTRIES_PER_PERSON} entries in {refresh} (goal {limit:.1f} s at 60 s per "
        f"100,000: {verdict})"
    )
    if args.live:
        (result, live) = _timed(
            lambda: selectors.organisation_appraisal(head, organisation=org, year=YEAR, live=True)
        )
        people = sum(len(d.people) for d in result.departments)
        print(
            f"organisation_appraisal (live, every person as a model instance): {people:,} in {live}"
        )

    (hashes, sql_hashes) = _timed(
        lambda: hashing.entries_hashes_sql(organisation_id=org.pk, year=YEAR)
    )
    print(f"entries hashes (SQL): {len(hashes):,} people in {sql_hashes}")
    if args.python_hashes:
        (hashes, python_hashes) = _timed(
            lambda: hashing.entries_hashes_python(organisation_id=org.pk, year=YEAR)
        )
        print(f"entries hashes (Python): {len(hashes):,} people in {python_hashes}")

    def close_and_roll_back() -> int:
        with transaction.atomic():  # closed, then rolled back: the bench can run again
            closed = services.year_close(actor=head, organisation=org, year=YEAR)
            frozen = closed.appraisals.count()
            transaction.set_rollback(True)
        return frozen

    (frozen, close) = _timed(close_and_roll_back)
    print(f"year_close: {frozen:,} appraisals frozen in {close} (rolled back)")
    print(f"load average after: {_load()}")


@dataclass
class Took:
    wall: float
    cpu: float  # this process's CPU time (the database's is not in it)

    def __str__(self) -> str:
        return f"{self.wall:.1f} s wall, {self.cpu:.1f} s CPU"


def _timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, Took(time.perf_counter() - wall, time.process_time() - cpu)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
