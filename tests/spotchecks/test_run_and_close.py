"""Drawn staff are put in the exam and notified; results give verdicts, notices and grades."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from assessments import services as exams
from assessments.models import ExamCandidate, ExamKind
from assessments.spotchecks import services
from assessments.spotchecks.models import Campaign, DrawnEnterprise, DrawnPerson, Rectification
from lms.audit.models import AuditEntry
from lms.notifications.models import Notification
from tests.factories.spotchecks import run_to_drawn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def sit(exam, user, *, correct: bool):
    """Take the exam; `attempt_finalised` goes out on commit, as in production."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return _sit(exam, user, correct=correct)


def _sit(exam, user, *, correct: bool):
    attempt = exams.attempt_start(exam=exam, user=user)
    for n, item in enumerate(attempt.items.select_related("question"), start=1):
        answer = item.question.key if correct else ["A"]
        exams.response_save(
            attempt_id=attempt.pk,
            user_id=user.pk,
            question_id=item.question_id,
            answer=answer,
            seq=n,
        )
    return exams.attempt_submit(attempt_id=attempt.pk, user=user)


def started(world, **fields) -> Campaign:
    """Start, running the Celery work queued on commit (eager, as in dev and tests)."""
    campaign = run_to_drawn(world, **fields)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.campaign_start(campaign=campaign, actor=world.officer)


def test_starting_puts_everyone_drawn_in_a_sealed_spot_check_exam_and_notifies_them(world):
    campaign = started(world)
    exam = campaign.exam
    assert exam.kind == ExamKind.SPOT_CHECK and exam.blueprint.bank.is_sealed
    drawn_users = set(DrawnPerson.objects.filter(campaign=campaign).values_list("user", flat=True))
    assert set(ExamCandidate.objects.filter(exam=exam).values_list("user", flat=True)) == (
        drawn_users
    )
    assert set(Notification.objects.values_list("user", flat=True)) == drawn_users
    assert not DrawnPerson.objects.filter(campaign=campaign, notified_at__isnull=True).exists()


def test_starting_returns_at_once_and_leaves_the_people_to_celery(
    world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    campaign = run_to_drawn(world, enterprise_count_value=4, roles={"admin_full": 2})
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        django_assert_max_num_queries(40),
    ):
        services.campaign_start(campaign=campaign, actor=world.officer)
    campaign.refresh_from_db()
    assert not ExamCandidate.objects.filter(exam=campaign.exam).exists()
    assert len(callbacks) == 1  # the enrolment task, queued on commit

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    assert ExamCandidate.objects.filter(exam=campaign.exam).count() == 8


def test_results_give_verdicts_notices_risk_grades_and_count_no_shows_as_failed(world):
    campaign = started(world, enterprise_count_value=4, roles={"admin_full": 2})
    by_firm = {}
    for person in DrawnPerson.objects.filter(campaign=campaign).select_related("drawn_enterprise"):
        by_firm.setdefault(person.drawn_enterprise.enterprise_id, []).append(person)
    firms = sorted(by_firm)
    # firm 0: both pass; firm 1: one fails; firm 2: one does not sit; firm 3: nobody sits
    for person in by_firm[firms[0]]:
        sit(campaign.exam, person.user, correct=True)
    sit(campaign.exam, by_firm[firms[1]][0].user, correct=True)
    sit(campaign.exam, by_firm[firms[1]][1].user, correct=False)
    sit(campaign.exam, by_firm[firms[2]][0].user, correct=True)

    person = DrawnPerson.objects.get(pk=by_firm[firms[0]][0].pk)
    assert person.outcome == "passed" and person.percent == 100

    services.campaign_close(campaign=campaign, actor=world.officer)
    verdicts = dict(
        DrawnEnterprise.objects.filter(campaign=campaign).values_list("enterprise", "verdict")
    )
    assert [verdicts[f] for f in firms] == ["pass", "fail", "fail", "fail"]
    assert DrawnPerson.objects.filter(campaign=campaign, outcome="no_show").count() == 3
    failing = Rectification.objects.filter(drawn_enterprise__campaign=campaign)
    assert failing.count() == 3
    assert failing.first().deadline == timezone.localdate() + timedelta(days=30)
    grades = {o.pk: o.risk_grade for o in world.enterprises}
    assert grades[firms[0]] == "B"  # unchanged in memory: the factory's grade
    world.enterprises[0].refresh_from_db()
    from lms.organisations.models import Organisation

    after = dict(Organisation.objects.filter(pk__in=firms).values_list("pk", "risk_grade"))
    assert [after[f] for f in firms] == ["A", "C", "C", "C"]
    assert AuditEntry.objects.filter(action="spotcheck.risk_grade").count() == 4


def test_at_least_x_percent_rule(world):
    campaign = started(world, enterprise_count_value=1, roles={"admin_full": 2, "head": 1})
    people = list(DrawnPerson.objects.filter(campaign=campaign))
    Campaign.objects.filter(pk=campaign.pk).update(
        verdict_rule="min_percent", verdict_min_percent=60
    )
    for p in people[:2]:
        sit(campaign.exam, p.user, correct=True)
    services.campaign_close(campaign=campaign, actor=world.officer)
    assert DrawnEnterprise.objects.get(campaign=campaign).verdict == "pass"  # 2 of 3 ≥ 60 %


def test_only_a_running_campaign_closes(world):
    campaign = run_to_drawn(world)
    with pytest.raises(services.CampaignRefused):
        services.campaign_close(campaign=campaign, actor=world.officer)


@pytest.fixture
def rectification(world):
    campaign = started(world, enterprise_count_value=1)
    services.campaign_close(campaign=campaign, actor=world.officer)
    return Rectification.objects.get(drawn_enterprise__campaign=campaign)


PDF = b"%PDF-1.4\n%demo\n"


def test_rectification_report_accepted_after_being_returned(world, rectification):
    head = world.heads[rectification.drawn_enterprise.enterprise_id]
    services.rectification_submit(
        rectification=rectification,
        text="已组织全员重新培训。",
        files=[SimpleUploadedFile("培训记录.pdf", PDF, "application/pdf")],
        actor=head,
    )
    with pytest.raises(services.CampaignRefused) as exc:
        services.rectification_decide(
            rectification=rectification, accept=False, comment=" ", actor=world.officer
        )
    assert exc.value.messages == ["Say what is missing when returning a report."]
    services.rectification_decide(
        rectification=rectification, accept=False, comment="请补充考试记录", actor=world.officer
    )
    rectification.refresh_from_db()
    assert rectification.status == "returned"
    services.rectification_submit(
        rectification=rectification, text="已补充考试记录。", files=[], actor=head
    )
    services.rectification_decide(
        rectification=rectification, accept=True, comment="", actor=world.officer
    )
    rectification.refresh_from_db()
    assert rectification.status == "accepted"
    assert rectification.reports.count() == 2


@pytest.mark.parametrize(
    "upload, expected",
    [
        (
            SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "application/pdf"),
            "big.pdf is 10.0 MB; the limit is 10 MB.",
        ),
        (
            SimpleUploadedFile("run.exe", b"MZ....", "application/octet-stream"),
            "run.exe is not an allowed type. Allowed: doc, docx, jpeg, jpg, pdf, png, xls, xlsx.",
        ),
        (
            SimpleUploadedFile("fake.pdf", b"<html>", "application/pdf"),
            "fake.pdf does not look like a .pdf file; is it renamed or damaged?",
        ),
    ],
)
def test_a_bad_attachment_is_refused_and_nothing_is_stored(world, rectification, upload, expected):
    head = world.heads[rectification.drawn_enterprise.enterprise_id]
    with pytest.raises(services.CampaignRefused) as exc:
        services.rectification_submit(
            rectification=rectification, text="整改报告", files=[upload], actor=head
        )
    assert exc.value.messages == [expected]
    rectification.refresh_from_db()
    assert rectification.status == "awaiting" and not rectification.reports.exists()


def test_overdue_rectifications_are_flagged_once(world, rectification):
    later = rectification.deadline + timedelta(days=1)
    assert services.rectifications_flag_overdue(today=rectification.deadline) == 0
    assert services.rectifications_flag_overdue(today=later) == 1
    assert services.rectifications_flag_overdue(today=later) == 0
    rectification.refresh_from_db()
    assert rectification.overdue_flagged_at is not None and rectification.is_overdue(today=later)


def test_an_attempt_after_the_close_does_not_change_the_results(world):
    campaign = started(world, enterprise_count_value=1, roles={"admin_full": 1})
    person = DrawnPerson.objects.get(campaign=campaign)
    services.campaign_close(campaign=campaign, actor=world.officer)
    sit(campaign.exam, person.user, correct=True)
    person.refresh_from_db()
    assert person.outcome == "no_show"
