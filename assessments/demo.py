"""Demo exams: a 61-question bank written from the seed policy texts (imported through the
xlsx importer), a course quiz, an annual exam open now and a pre-appointment exam."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from lms.organisations.models import ENTERPRISE_COMPLIANCE_ROLES, Organisation

from . import services
from .demo_data.questions import QUESTIONS
from .formats import tabular
from .models import AnnualExamTemplate, Blueprint, Exam, ExamKind, QuestionBank
from .services.imports import questions_import

BANK_NAME = "合规管理综合题库"
DEMO_ORGANISATION = "91330100MA2HG0001"  # 云集优选 (organisations demo)


def seed(*, stdout=None) -> None:
    org = _demo_organisation()
    if org is None:
        if stdout:
            stdout.write("  assessments: organisations demo missing, skipped")
        return
    bank = _bank(org)
    quiz_blueprint = _blueprint(
        bank,
        "课程测验（网络交易平台）",
        [
            {"count": 3, "points": Decimal(20), "kind": "single", "tag": "网络交易平台"},
            {"count": 2, "points": Decimal(20), "kind": "true_false", "tag": "网络交易平台"},
        ],
    )
    annual_blueprint = _blueprint(
        bank,
        "年度合规考试（百分制）",
        [
            {"title": "单选题", "count": 10, "points": Decimal(2), "kind": "single"},
            {"title": "多选题", "count": 5, "points": Decimal(4), "kind": "multiple"},
            {"title": "判断题", "count": 10, "points": Decimal(2), "kind": "true_false"},
            {"title": "填空题", "count": 4, "points": Decimal(5), "kind": "fill_in"},
            {"title": "简答题", "count": 2, "points": Decimal(10), "kind": "short_answer"},
        ],
    )
    pre_blueprint = _blueprint(
        bank,
        "任前合规考试",
        [
            {"title": "单选题", "count": 15, "points": Decimal(4), "kind": "single"},
            {"title": "判断题", "count": 10, "points": Decimal(4), "kind": "true_false"},
        ],
    )
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    exams = [
        _exam(
            org,
            title=f"{today.year}年度合规知识考试",
            kind=ExamKind.ANNUAL,
            blueprint=annual_blueprint,
            opens_at=today - timedelta(days=1),
            closes_at=today + timedelta(days=30),
            time_limit_minutes=60,
            attempts_allowed=2,
            pass_mark=Decimal(60),
            review_policy=Exam.ReviewPolicy.AFTER_CLOSE,
            audience_roles=sorted(str(r) for r in ENTERPRISE_COMPLIANCE_ROLES),
            instructions="本考试共31题，满分100分，60分及格。简答题由合规管理员人工评分。",
        ),
        _exam(
            org,
            title="合规负责人任前合规考试",
            kind=ExamKind.PRE_APPOINTMENT,
            blueprint=pre_blueprint,
            opens_at=today - timedelta(days=1),
            closes_at=today + timedelta(days=365),
            time_limit_minutes=45,
            attempts_allowed=3,
            pass_mark=Decimal(80),
            review_policy=Exam.ReviewPolicy.SCORE_ONLY,
            validity_months=12,
            integrity_watch=True,
            integrity_leave_limit=5,
            integrity_idle_minutes=20,
        ),
    ]
    course = _course("online-platform-compliance-duty")
    if course is not None:
        exams.append(
            _exam(
                org,
                title="课程测验：网络交易平台合规管理主体责任",
                kind=ExamKind.COURSE_QUIZ,
                blueprint=quiz_blueprint,
                course=course,
                opens_at=today - timedelta(days=1),
                closes_at=today + timedelta(days=3650),
                attempts_allowed=5,
                pass_mark=Decimal(60),
                review_policy=Exam.ReviewPolicy.IMMEDIATELY,
            )
        )
    AnnualExamTemplate.objects.get_or_create(
        organisation=org,
        defaults={
            "title": "年度合规知识考试",
            "blueprint": annual_blueprint,
            "opens_month": 3,
            "opens_day": 1,
            "window_days": 30,
            "time_limit_minutes": 60,
        },
    )
    if stdout:
        stdout.write(
            f"  assessments: bank of {bank.questions.count()} questions, "
            + ", ".join(e.title for e in exams)
        )


def _demo_organisation() -> Organisation | None:
    from lms.organisations import credit_code

    return Organisation.objects.filter(credit_code=credit_code.complete(DEMO_ORGANISATION)).first()


def _bank(org) -> QuestionBank:
    bank = QuestionBank.objects.filter(organisation=org, name=BANK_NAME).first()
    if bank is None:
        bank = services.bank_save(
            bank=QuestionBank(
                organisation=org,
                name=BANK_NAME,
                is_shared=True,
                description="根据两份合规政策文件编写的示例题库。",
            )
        )
    questions = [
        SimpleNamespace(
            kind=kind,
            stem=stem,
            options=options,
            key=key,
            explanation=explanation,
            tags=tags,
            difficulty=difficulty,
            regulation_reference=reference,
        )
        for kind, stem, options, key, explanation, tags, difficulty, reference in QUESTIONS
    ]
    # Through the spreadsheet importer, as a compliance administrator would load a bank.
    report = questions_import(bank=bank, data=tabular.export(questions, "xlsx"), fmt="xlsx")
    if not report.ok:
        raise RuntimeError(f"demo questions do not import: {report.errors}")
    return bank


def _blueprint(bank, name, sections) -> Blueprint:
    existing = Blueprint.objects.filter(bank=bank, name=name).first()
    return existing or services.blueprint_create(bank=bank, name=name, sections=sections)


def _exam(org, *, title, **fields) -> Exam:
    existing = Exam.objects.filter(organisation=org, title=title).first()
    if existing:
        if existing.audience_roles:
            services.exam_sync_audience(exam=existing)
        return existing
    return services.exam_create(organisation=org, title=title, **fields)


def _course(slug):
    """The content demo's course page (the demo runs without a user to scope by)."""
    from wagtail.models import Page

    return Page.objects.filter(slug=slug).first()
