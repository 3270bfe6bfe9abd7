"""The duty log's monthly and quarterly summary downloads as a Word document (lms/word.py) for
the head to file; a learner and another organisation's head get a 404."""

from datetime import date

import pytest
from django.test import TestCase
from django.urls import reverse

from lms.duties import services
from lms.duties.models import DutyType
from lms.organisations.models import ComplianceRole
from lms.word import docx_text
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def test_the_quarterly_summary_downloads_as_word(client, world):
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.duty_entry_record(
            actor=world["part_time"],
            organisation_id=world["org"].pk,
            kind=DutyType.RISK_SCREENING,
            occurred_on=date(2025, 2, 3),
            department_id=world["legal"].pk,
            description="商家入驻环节风险排查",
            zero_risk=True,
            today=date(2099, 1, 1),
        )
    client.force_login(world["head"])
    page = client.get(reverse("duties:summary"), {"period": "2025-Q1"})
    assert reverse("duties:summary_word") in page.text
    response = client.get(reverse("duties:summary_word"), {"period": "2025-Q1"})
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "2025-Q1" in response["Content-Disposition"]
    text = docx_text(response.content)
    assert "履职记录汇总 2025-Q1" in text and world["org"].name in text
    assert "王兼职" in text and "商家入驻环节风险排查" in text and "零风险报告" in text


def test_others_cannot_download_it(client, world, other_org):
    client.force_login(world["learner"])
    assert client.get(reverse("duties:summary_word")).status_code == 404
    client.force_login(person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user)
    response = client.get(reverse("duties:summary_word"), {"org": world["org"].pk})
    assert response.status_code == 404
