"""How long starting an exam takes: a paper of 50 drawn from a bank of 2,000 (median < 50 ms).

Builds (once) a bench enterprise with a 2,000-question bank over five types and ten tags, a
blueprint of five sections drawing 50 questions, an exam and 200 candidates; then starts one
attempt per candidate (the draw, the frozen paper and its 50 items) and prints the median wall
time, the queries and this process's CPU per start; then renders the exam page (50 questions)
for 50 of them, three times each, and prints its CPU and queries per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hegui_exams \\
        .venv/bin/python bench/exam_start.py [STARTS]
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
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
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments import services  # noqa: E402
from assessments.models import Attempt, Exam, ExamCandidate, Question, QuestionBank  # noqa: E402
from lms.organisations import credit_code  # noqa: E402
from lms.organisations.models import Organisation  # noqa: E402

BANK_SIZE = 2000
KINDS = ["single", "multiple", "true_false", "fill_in", "short_answer"]
TAGS = [
    "反商业贿赂",
    "数据保护",
    "网络交易",
    "安全生产",
    "劳动用工",
    "知识产权",
    "涉外合规",
    "组织",
    "职责",
    "运行机制",
]
CODE = credit_code.complete("91330100MA9BENCH1")


def build():
    org, _ = Organisation.objects.get_or_create(
        credit_code=CODE,
        defaults={"name": "考试压测企业", "sector": Organisation.Sector.OTHER},
    )
    bank, created = QuestionBank.objects.get_or_create(organisation=org, name="压测题库")
    if created or bank.questions.count() < BANK_SIZE:
        now = timezone.now()
        Question.objects.bulk_create(
            Question(
                bank=bank,
                kind=KINDS[i % 5],
                stem=f"压测题目{i}：合规管理人员应当如何履行职责？",
                options=["甲", "乙", "丙", "丁"] if KINDS[i % 5] in ("single", "multiple") else [],
                key={
                    "single": ["B"],
                    "multiple": ["A", "C"],
                    "true_false": ["true"],
                    "fill_in": ["合规"],
                    "short_answer": [],
                }[KINDS[i % 5]],
                tags=[TAGS[i % 10], TAGS[(i * 7) % 10]],
                difficulty=1 + i % 5,
                created_at=now,
            )
            for i in range(BANK_SIZE - bank.questions.count())
        )
    exam = Exam.objects.filter(organisation=org, title="压测考试").first()
    if exam is None:
        blueprint = services.blueprint_create(
            bank=bank,
            name="压测组卷",
            sections=[
                {"count": 15, "points": Decimal(2), "kind": "single"},
                {"count": 10, "points": Decimal(2), "kind": "multiple", "tag": "数据保护"},
                {"count": 15, "points": Decimal(2), "kind": "true_false"},
                {"count": 8, "points": Decimal(2), "kind": "fill_in", "difficulty_max": 4},
                {"count": 2, "points": Decimal(5), "kind": "short_answer"},
            ],
        )
        exam = services.exam_create(
            organisation=org,
            title="压测考试",
            kind="annual",
            blueprint=blueprint,
            opens_at=timezone.now() - timedelta(days=1),
            closes_at=timezone.now() + timedelta(days=3650),
            time_limit_minutes=60,
        )
    return exam


def people(exam, n):
    User = get_user_model()
    users = []
    for i in range(n):
        user, _ = User.objects.get_or_create(
            email=f"bench-exam-{i}@bench.invalid", defaults={"full_name": f"压测考生{i}"}
        )
        users.append(user)
    ExamCandidate.objects.bulk_create(
        [ExamCandidate(exam=exam, user=u) for u in users], ignore_conflicts=True
    )
    return users


def _median_p95(values):
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def bench_starts(exam, users):
    """Start one attempt per person: wall time, this process's CPU and queries per start."""
    walls, cpus, queries = [], [], []
    for user in users:
        with CaptureQueriesContext(connection) as captured:
            began, began_cpu = time.perf_counter(), time.process_time()
            attempt = services.attempt_start(exam=exam, user=user)
            cpus.append((time.process_time() - began_cpu) * 1000)
            walls.append((time.perf_counter() - began) * 1000)
        queries.append(len(captured))
        assert attempt.items.count() == 50
    return walls, cpus, queries


def bench_pages(exam, users, repeats):
    """The exam page (50 questions) through the test client: CPU and queries per request,
    for each person's first view and for reloads."""
    first_cpu, again_cpu, queries = [], [], []
    for user in users:
        attempt = Attempt.objects.get(exam=exam, user=user, status=Attempt.Status.OPEN)
        client = Client()
        client.force_login(user)
        url = reverse("assessments:attempt_take", args=[attempt.pk])
        for n in range(repeats):
            with CaptureQueriesContext(connection) as captured:
                began_cpu = time.process_time()
                response = client.get(url)
                spent = (time.process_time() - began_cpu) * 1000
            assert response.status_code == 200, response.status_code
            (first_cpu if n == 0 else again_cpu).append(spent)
            queries.append(len(captured))
    return first_cpu, again_cpu, queries


def main():
    starts = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    if "sqlite" in connection.vendor:
        print("note: run on PostgreSQL (DATABASE_URL) for the figure that counts")
    call_command("migrate", verbosity=0)
    exam = build()
    users = people(exam, starts)
    Attempt.objects.filter(exam=exam).delete()
    walls, cpus, queries = bench_starts(exam, users)
    median, p95 = _median_p95(walls)
    print(
        f"exam start, 50 of {BANK_SIZE} on {connection.vendor}: median {median:.1f} ms, "
        f"p95 {p95:.1f} ms over {len(walls)} starts "
        f"({'OK' if median < 50 else 'TOO SLOW'}: target < 50 ms)"
    )
    print(
        f"  per start: {statistics.median(queries):.0f} queries (max {max(queries)}), "
        f"CPU median {statistics.median(cpus):.1f} ms, p95 {_median_p95(cpus)[1]:.1f} ms"
    )
    first, again, page_queries = bench_pages(exam, users[: min(50, len(users))], repeats=3)
    print(
        f"exam page, 50 questions: CPU median {statistics.median(first):.1f} ms on a person's "
        f"first view, {statistics.median(again):.1f} ms on a reload; "
        f"{statistics.median(page_queries):.0f} queries (max {max(page_queries)}) "
        f"(~{1000 / statistics.median(again):.0f} pages/s per core)"
    )
    Attempt.objects.filter(exam=exam).delete()


if __name__ == "__main__":
    main()
