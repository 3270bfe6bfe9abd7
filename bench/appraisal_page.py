"""The 合规考核 page for a large roster (goal: 100,000 staff, p95 < 300 ms).

Builds (once, kept) a bench enterprise with N staff over 20 departments and their kept scores
for the year (`YearScore`, as the refresh leaves them; one INSERT … SELECT), plus a confirmed
violation of every 50th person; then times the page through the whole stack (Django's test
client, the head's session) on page 1, page 2 and one department, and prints p50 / p95 / max
and this process's CPU time a request (the rest is PostgreSQL's).

Last measured (100,000 staff, load 3.3 on the shared 2-core machine): page 1 p95 185 ms, page 2
p95 176 ms, one department p95 261 ms; CPU 32–47 ms a request (at load 8–9: 235 / 257 / 342).

    createdb -h 127.0.0.1 -U postgres hegui_appraisal_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hegui_appraisal_bench \\
        .venv/bin/python bench/appraisal_page.py [--people 100000] [--requests 30]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from lms.organisations import credit_code  # noqa: E402
from lms.organisations.models import (  # noqa: E402
    ComplianceRole,
    Department,
    Organisation,
    Position,
    Staff,
)
from lms.records.models import Violation, ViolationNature, YearScore  # noqa: E402

GOAL_MS = 300
CODE = credit_code.complete("91330100MA2APPRA1")
YEAR = timezone.localdate().year


def build(people: int):
    org = Organisation.objects.filter(credit_code=CODE).first() or Organisation.objects.create(
        name="考核页面基准集团有限公司",
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
    users = get_user_model()
    head = Staff.objects.filter(organisation=org, position=head_position).first()
    if head is None:
        user = users.objects.create(email="appraisal-head@bench.example.cn", full_name="基准负责人")
        head = Staff.objects.create(
            user=user, organisation=org, position=head_position, employee_number="AH0001"
        )
    have = Staff.objects.filter(organisation=org, position=clerk).count()
    if have < people:
        started = time.perf_counter()
        made = users.objects.bulk_create(
            [
                users(
                    email=f"appraisal{n}@bench.example.cn", full_name=f"员工{n:06d}", password="!"
                )
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
                    employee_number=f"P{n:07d}",
                )
                for n, user in enumerate(made, start=have)
            ],
            batch_size=5000,
        )
        print(f"made {people - have:,} staff in {time.perf_counter() - started:.1f} s")
    if YearScore.objects.filter(organisation=org, year=YEAR).count() < people:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {YearScore._meta.db_table}
                    (organisation_id, year, staff_id, department_id, score, grade, computed_at)
                SELECT s.organisation_id, %(year)s, s.id, s.department_id, 60 + s.id %% 40,
                       CASE WHEN s.id %% 40 >= 30 THEN 'excellent' WHEN s.id %% 40 >= 5
                            THEN 'pass' WHEN s.id %% 40 >= 2 THEN 'basic_pass' ELSE 'fail' END,
                       now()
                FROM {Staff._meta.db_table} s WHERE s.organisation_id = %(org)s
                ON CONFLICT DO NOTHING
                """,
                {"year": YEAR, "org": org.pk},
            )
        nature = ViolationNature.objects.get_or_create(organisation=org, name="收受礼品")[0]
        if not Violation.objects.filter(organisation=org).exists():
            Violation.objects.bulk_create(
                [
                    Violation(
                        organisation=org,
                        staff=staff,
                        occurred_on=timezone.localdate(),
                        nature=nature,
                        severity="general",
                        description="基准",
                        reported_by=head.user,
                        statement_due=timezone.localdate(),
                        status=Violation.Status.CONFIRMED,
                    )
                    for staff in Staff.objects.filter(organisation=org, position=clerk)[::50]
                ],
                batch_size=5000,
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"kept scores and violations in {time.perf_counter() - started:.1f} s")
    return org, head


def timed(client, url, params, requests) -> tuple[list[float], list[float]]:
    """Wall times and this process's CPU times (the database's is not in it), in ms."""
    times, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, response.status_code
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    org, head = build(args.people)
    client = Client()
    client.force_login(head.user)
    url = reverse("records:appraisal")
    print(f"load average {os.getloadavg()[0]:.1f}; {args.people:,} staff, goal p95 < {GOAL_MS} ms")
    for label, params in (
        ("page 1", {"org": org.pk}),
        ("page 2", {"org": org.pk, "page": 2}),
        ("one department", {"org": org.pk, "department": "部门07"}),
    ):
        client.get(url, params)  # warm
        walls, cpus = timed(client, url, params, args.requests)
        times = sorted(walls)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{label:>15}: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
            f"max {times[-1]:.0f} ms {'(goal met)' if p95 < GOAL_MS else '(over the goal)'}; "
            f"CPU p50 {statistics.median(cpus):.0f} ms"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
