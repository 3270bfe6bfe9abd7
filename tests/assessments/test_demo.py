"""The demo bank, quiz, annual exam and pre-appointment exam are seeded, idempotently."""

from collections import Counter
from io import StringIO

import pytest
from django.utils import timezone

from assessments import demo
from assessments.models import Exam, ExamKind, Question, QuestionBank

pytestmark = pytest.mark.django_db


def test_seed_builds_the_demo_bank_and_exams_and_runs_again_unchanged():
    import content.demo
    import lms.organisations.demo

    lms.organisations.demo.seed(stdout=StringIO())
    content.demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    bank = QuestionBank.objects.get(name=demo.BANK_NAME)
    kinds = Counter(bank.questions.values_list("kind", flat=True))
    assert sum(kinds.values()) >= 60 and len(kinds) == 5
    assert Question.objects.count() == sum(kinds.values())
    now = timezone.now()
    annual = Exam.objects.get(kind=ExamKind.ANNUAL)
    assert annual.is_window_open(now=now) and annual.candidates.exists()
    assert Exam.objects.filter(kind=ExamKind.PRE_APPOINTMENT).count() == 1
    assert Exam.objects.filter(kind=ExamKind.COURSE_QUIZ, course__isnull=False).count() == 1
