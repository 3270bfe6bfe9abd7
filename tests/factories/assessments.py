"""Question banks, blueprints and exams built through the services, as the app builds them."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from assessments import services
from assessments.models import ExamKind, QuestionBank, QuestionKind

_serial = itertools.count(1)


def make_bank(organisation, *, name: str | None = None, **kwargs) -> QuestionBank:
    bank = QuestionBank(organisation=organisation, name=name or f"题库{next(_serial)}", **kwargs)
    return services.bank_save(bank=bank)


def make_question(bank, *, kind: str = QuestionKind.SINGLE, **fields):
    n = next(_serial)
    defaults = {
        QuestionKind.SINGLE: {"options": ["甲", "乙", "丙", "丁"], "key": ["B"]},
        QuestionKind.MULTIPLE: {"options": ["甲", "乙", "丙", "丁"], "key": ["A", "C"]},
        QuestionKind.TRUE_FALSE: {"options": [], "key": ["true"]},
        QuestionKind.FILL_IN: {"options": [], "key": ["合规负责人", "合规主管"]},
        QuestionKind.SHORT_ANSWER: {"options": [], "key": ["参考答案"]},
    }[kind]
    data = {"stem": f"第{n}题：测试题干", "explanation": "解析", "tags": ["通用"], **defaults}
    data.update(fields)
    return services.question_create(bank=bank, kind=kind, audit=False, **data)


def fill_bank(bank, *, count: int = 10, kind: str = QuestionKind.SINGLE, **fields) -> list:
    return [make_question(bank, kind=kind, **fields) for _ in range(count)]


def make_blueprint(bank, *, sections=None, name: str = "组卷方案"):
    sections = sections or [{"count": 5, "points": Decimal(2)}]
    return services.blueprint_create(bank=bank, name=name, sections=sections)


def make_exam(
    organisation,
    *,
    blueprint=None,
    kind: str = ExamKind.ANNUAL,
    users=(),
    opens_at=None,
    closes_at=None,
    **options,
):
    now = timezone.now()
    if blueprint is None:
        bank = make_bank(organisation)
        fill_bank(bank, count=5)
        blueprint = make_blueprint(bank)
    exam = services.exam_create(
        organisation=organisation,
        title=options.pop("title", f"考试{next(_serial)}"),
        kind=kind,
        blueprint=blueprint,
        opens_at=opens_at or now - timedelta(hours=1),
        closes_at=closes_at or now + timedelta(days=7),
        **options,
    )
    if users:
        services.exam_assign(exam=exam, users=users)
    return exam
