"""At year end a mandatory course still overdue and an annual exam not sat (its window closed
without an attempt) enter the ledger: when the compliance head closes the year, before the
appraisals are frozen, or by the task on 1 January; once each, however often it runs."""

from datetime import date, datetime, time

import pytest
from django.test import TestCase
from django.utils import timezone

from assessments.models import Exam, ExamKind
from lms.learning import services as learning
from lms.learning.models import Enrolment
from lms.organisations.models import ComplianceRole
from lms.records import services, tasks
from lms.records.models import Appraisal, LedgerEntry
from lms.records.year_end import year_end_entries
from tests.factories import content
from tests.factories.assessments import make_exam
from tests.factories.organisations import person
from tests.records.test_results_feed_the_ledger import sit

pytestmark = pytest.mark.django_db
LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture
def world(org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME).user
    late, diligent, excused = (
        person(org, user__full_name=n) for n in ("拖延者", "勤勉者", "免修者")
    )
    course = content.course(lessons=0, title="反洗钱必修")
    for staff in (late, diligent, excused):
        learning.enrolment_assign_manual(
            staff=staff, course=course, due_on=None, reason="年度必修", actor=admin
        )
    Enrolment.objects.filter(course=course).update(due_on=date(LAST_YEAR, 11, 30))
    Enrolment.objects.filter(staff=diligent).update(status=Enrolment.Status.COMPLETED)
    Enrolment.objects.filter(staff=excused).update(status=Enrolment.Status.WAIVED)
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[late.user, diligent.user], title="年度考试")
    sit(exam, diligent.user, correct=True)
    closes = timezone.make_aware(datetime.combine(date(LAST_YEAR, 12, 20), time(18)))
    Exam.objects.filter(pk=exam.pk).update(
        opens_at=closes.replace(month=12, day=1), closes_at=closes
    )
    return {
        "org": org,
        "head": person(org, role=ComplianceRole.COMPLIANCE_HEAD).user,
        "late": late,
        "diligent": diligent,
        "excused": excused,
    }


def kinds(staff):
    return sorted(
        LedgerEntry.objects.filter(user=staff.user, year=LAST_YEAR).values_list("kind", flat=True)
    )


def test_closing_the_year_records_overdue_courses_and_exams_not_sat_before_freezing(world):
    with TestCase.captureOnCommitCallbacks(execute=True):
        closed = services.year_close(actor=world["head"], organisation=world["org"], year=LAST_YEAR)
    assert kinds(world["late"]) == ["course_overdue", "exam_absent"]
    assert kinds(world["excused"]) == []
    assert "course_overdue" not in kinds(world["diligent"])
    overdue = LedgerEntry.objects.get(user=world["late"].user, kind="course_overdue")
    assert "反洗钱必修" in overdue.summary and f"{LAST_YEAR}-11-30" in overdue.summary
    absent = LedgerEntry.objects.get(user=world["late"].user, kind="exam_absent")
    assert "年度考试" in absent.summary and absent.points < 0
    frozen = Appraisal.objects.get(closed_year=closed, staff=world["late"])
    assert frozen.grade == "fail"  # an exam not sat fails the year
    assert frozen.breakdown["by_category"]["training"] == "-5.00"


def test_the_year_end_entries_are_made_once_however_often_it_runs(world):
    assert tasks.year_end_entries_all(LAST_YEAR) == 2
    first = LedgerEntry.objects.count()
    assert year_end_entries(organisation=world["org"], year=LAST_YEAR) == {
        "course_overdue": 1,
        "exam_absent": 1,
    }
    services.year_close(actor=world["head"], organisation=world["org"], year=LAST_YEAR)
    assert LedgerEntry.objects.count() == first
    assert tasks.year_end_entries_all(LAST_YEAR) == 0  # a closed year is left alone


def test_a_course_due_next_year_or_an_exam_still_open_is_not_counted(world, org):
    Enrolment.objects.filter(staff=world["late"]).update(due_on=date(LAST_YEAR + 1, 1, 5))
    make_exam(org, kind=ExamKind.ANNUAL, users=[world["late"].user], title="今年考试")
    year_end_entries(organisation=org, year=LAST_YEAR)
    assert kinds(world["late"]) == ["exam_absent"]
