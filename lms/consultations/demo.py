"""Demo consultations at 云集优选: an answered question from a lesson (routed to the part-time
administrator of 商家管理部, citing a clause) published in the FAQ beside its course, an open
question routed to the compliance department, and an anonymous report of a violation. Safe to
run again."""

from content.models import CoursePage, LessonPage, RegulationClause
from lms.organisations.models import Staff

from . import services
from .models import FaqEntry, Question, Report

ANSWERED = "商家入驻时收到商家赠送的购物卡，价值约500元，应当如何处理？"
ANSWER = (
    "不得收受。应当婉拒；无法当场退回的，须在3个工作日内交法务合规部登记并退回，"
    "同时在礼品登记台账中记录。"
)
OPEN = "运营活动中使用竞品对比宣传，需要注意哪些合规要求？"
REPORT_SUBJECT = "商家保证金退还中疑似收取好处费"
REPORT = "有员工在办理商家保证金退还时，暗示商家支付“加急费”后才能尽快退还。"


def _staff(login: str):
    return (
        Staff.objects.filter(user__email=f"{login}@yunji.demo")
        .select_related("user", "organisation", "department")
        .first()
    )


def seed(*, stdout=None) -> None:
    asker, admin2, head, learner, reporter = (
        _staff(x) for x in ("staff4", "admin2", "head", "staff1", "staff3")
    )
    if None in (asker, admin2, head, learner, reporter):
        return
    added = []
    course = CoursePage.objects.live().filter(slug="new-hire-compliance").first()
    lesson = LessonPage.objects.live().child_of(course).first() if course else None
    if not Question.objects.filter(asker=asker, text=ANSWERED).exists():
        question = services.question_ask(
            actor=asker.user,
            organisation_id=asker.organisation_id,
            text=ANSWERED,
            lesson_id=lesson.pk if lesson else None,
        )
        clause = RegulationClause.objects.filter(text__contains="贿赂").first()
        services.question_answer(
            actor=admin2.user,
            question_id=question.pk,
            answer=ANSWER,
            clause_ids=[clause.pk] if clause else [],
        )
        added.append("answered question")
        if not FaqEntry.objects.filter(source=question).exists():
            services.faq_publish(actor=head.user, question_id=question.pk)
            added.append("FAQ entry")
    if not Question.objects.filter(asker=learner, text=OPEN).exists():
        services.question_ask(
            actor=learner.user, organisation_id=learner.organisation_id, text=OPEN
        )
        added.append("open question")
    if not Report.objects.filter(
        organisation=reporter.organisation, subject=REPORT_SUBJECT
    ).exists():
        services.report_submit(
            actor=reporter.user,
            organisation_id=reporter.organisation_id,
            subject=REPORT_SUBJECT,
            description=REPORT,
            anonymous=True,
        )
        added.append("anonymous report")
    if stdout is not None:
        stdout.write(f"  consultations: {', '.join(added) or 'nothing new'}")
