"""Item statistics after an exam: facility, discrimination and the score distribution."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.stats import ItemScore, item_statistics, score_distribution
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person


def test_facility_and_discrimination_from_totals():
    totals = {1: 100.0, 2: 90.0, 3: 50.0, 4: 10.0}
    scores = [
        # q10: only the strong get it right; q20: everybody does
        ItemScore(1, 10, 1.0),
        ItemScore(2, 10, 1.0),
        ItemScore(3, 10, 0.0),
        ItemScore(4, 10, 0.0),
        ItemScore(1, 20, 1.0),
        ItemScore(2, 20, 1.0),
        ItemScore(3, 20, 1.0),
        ItemScore(4, 20, 1.0),
    ]
    stats = item_statistics(totals=totals, scores=scores)
    assert stats[10].facility == 0.5 and stats[10].discrimination == 1.0
    assert stats[20].facility == 1.0 and stats[20].discrimination == 0.0


def test_one_attempt_has_no_discrimination():
    stats = item_statistics(totals={1: 50.0}, scores=[ItemScore(1, 5, 1.0)])
    assert stats[5].discrimination is None


def test_score_distribution_bands():
    assert score_distribution([0, 5, 10, 55, 100, 99.9]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]


@pytest.mark.django_db
def test_the_report_page_shows_statistics_and_a_chart(client, org, compliance_admin):
    bank = make_bank(org)
    fill_bank(bank, count=4)
    people = [person(org, role=ComplianceRole.NONE).user for _ in range(4)]
    exam = make_exam(
        org,
        blueprint=make_blueprint(bank, sections=[{"count": 4, "points": Decimal(25)}]),
        users=people,
    )
    for right, user in enumerate(people):
        attempt = services.attempt_start(exam=exam, user=user)
        for n, item in enumerate(attempt.items.select_related("question").order_by("position")):
            answer = item.question.key if n < right else ["A"]
            services.response_save(
                attempt_id=attempt.pk,
                user_id=user.pk,
                question_id=item.question_id,
                answer=answer,
                seq=1,
            )
        services.attempt_submit(attempt_id=attempt.pk)
    client.force_login(compliance_admin)
    html = client.get(reverse("assessments_admin:exam_report", args=[exam.pk])).content.decode()
    assert "<svg" in html and html.count("<rect") == 10
    assert 'id="item-statistics"' in html
    assert html.count("<tr><td>") >= 4
