"""How long assignment takes for one organisation of 10,000 staff and 20 curricula (< 30 s).

Builds (once) a bench enterprise with 10,000 people over 10 departments and 8 positions, 30
courses and 20 curricula with mixed audiences, then times a first full run (every enrolment
new) and a second run (nothing to do: the idempotent re-run after a roster import).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hegui_learning \\
        .venv/bin/python bench/assignment.py [STAFF]
"""

import datetime as dt
import os
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
from django.db import transaction  # noqa: E402
from wagtail.models import Page  # noqa: E402

from content.models import CourseIndexPage, CoursePage, Curriculum, CurriculumCourse  # noqa: E402
from lms.learning.models import Enrolment  # noqa: E402
from lms.learning.services import assignment_run  # noqa: E402
from lms.organisations import credit_code  # noqa: E402
from lms.organisations.models import (  # noqa: E402
    ComplianceRole,
    Department,
    Organisation,
    Position,
    Staff,
)

STAFF = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
CURRICULA = 20
COURSES = 30
LIMIT_SECONDS = 30
CODE = credit_code.complete("91330100MA2BENCH9")
R = ComplianceRole
POSITIONS = [
    ("员工", R.NONE, False, False, False),
    ("采购专员", R.NONE, True, True, False),
    ("部门经理", R.NONE, True, False, True),
    ("兼职合规管理员", R.ADMIN_PART_TIME, False, False, False),
    ("专职合规管理员", R.ADMIN_FULL_TIME, True, False, False),
    ("合规负责人", R.COMPLIANCE_HEAD, True, False, True),
    ("财务专员", R.NONE, True, True, False),
    ("销售", R.NONE, False, True, False),
]


def build() -> Organisation:
    org = Organisation.objects.filter(credit_code=CODE).first()
    if org is None:
        org = Organisation.objects.create(
            name="基准测试集团有限公司",
            credit_code=CODE,
            sector="state_owned",
            region_code="330100",
        )
    departments = [
        Department.objects.get_or_create(organisation=org, name=f"部门{i:02d}")[0]
        for i in range(10)
    ]
    positions = [
        Position.objects.get_or_create(
            organisation=org,
            name=name,
            defaults={
                "compliance_role": role,
                "is_key": key,
                "is_high_risk": risky,
                "is_management": manager,
            },
        )[0]
        for name, role, key, risky, manager in POSITIONS
    ]
    have = Staff.objects.filter(organisation=org).count()
    if have < STAFF:
        user_model = get_user_model()
        today = dt.date.today()
        users = user_model.objects.bulk_create(
            [
                user_model(email=f"bench{n}@bench.example.cn", full_name=f"员工{n}", password="!")
                for n in range(have, STAFF)
            ],
            batch_size=2000,
        )
        if not users[0].pk:  # backends that do not return ids
            users = list(user_model.objects.filter(email__endswith="@bench.example.cn"))[have:]
        Staff.objects.bulk_create(
            [
                Staff(
                    user=user,
                    organisation=org,
                    department=departments[n % len(departments)],
                    position=positions[(n * 7) % len(positions)],
                    employee_number=f"B{n:06d}",
                    hire_date=today - dt.timedelta(days=(n * 13) % 1500),
                )
                for n, user in enumerate(users, start=have)
            ],
            batch_size=2000,
        )
    index = CourseIndexPage.objects.filter(slug="bench-courses").first()
    if index is None:
        home = Page.objects.get(depth=2)
        index = home.add_child(instance=CourseIndexPage(title="基准课程", slug="bench-courses"))
    courses = list(CoursePage.objects.child_of(index).order_by("path"))
    for n in range(len(courses), COURSES):
        courses.append(
            index.add_child(
                instance=CoursePage(title=f"基准课程{n}", slug=f"bench-{n}", summary="基准")
            )
        )
    if not Curriculum.objects.filter(owner_organisation=org).exists():
        audiences = [
            {"audience_everyone": True},
            {"audience_everyone": True, "refresh": "yearly"},
            {"audience_roles": [R.ADMIN_FULL_TIME, R.ADMIN_PART_TIME]},
            {"audience_roles": [R.COMPLIANCE_HEAD]},
            {"audience_key_positions": True},
            {"audience_high_risk_positions": True},
            {"audience_management_positions": True},
            {"audience_new_hire_days": 90},
            {"audience_new_hire_days": 365, "audience_key_positions": True},
            {"audience_departments": True},
        ]
        for n in range(CURRICULA):
            fields = dict(audiences[n % len(audiences)])
            by_department = fields.pop("audience_departments", False)
            curriculum = Curriculum.objects.create(
                name=f"基准方案{n}", owner_organisation=org, due_days=30, **fields
            )
            if by_department:
                curriculum.audience_departments.set(departments[n % 3 :: 3])
            for order in range(1 + n % 3):
                CurriculumCourse.objects.create(
                    curriculum=curriculum,
                    course=courses[(n * 3 + order) % COURSES],
                    sort_order=order,
                )
    return org


def main() -> None:
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        org = build()
    Enrolment.objects.filter(staff__organisation=org).delete()
    staff = Staff.objects.filter(organisation=org).count()
    curricula = Curriculum.objects.filter(owner_organisation=org).count()
    started = time.perf_counter()
    created = assignment_run(organisation=org)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = assignment_run(organisation=org)
    second = time.perf_counter() - started
    verdict = "OK" if first < LIMIT_SECONDS else "TOO SLOW"
    print(
        f"assignment: {staff} staff, {curricula} curricula -> {created} enrolments in "
        f"{first:.1f} s (limit {LIMIT_SECONDS} s: {verdict}); idempotent re-run {second:.1f} s, "
        f"{again} new"
    )


if __name__ == "__main__":
    main()
