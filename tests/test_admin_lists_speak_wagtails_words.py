"""A Chinese administrator reads the admin lists in Wagtail's own words and ours, never one
overriding the other: pagination says 上一个/下一个 (not the exam pager's 上一题/下一题), a
department's or bank's name column says 名称 (not a person's 姓名), a question's status says 有效
(not a staff member's 在岗)."""

import re

import pytest
from django.urls import reverse

from lms.organisations.models import ComplianceRole
from tests.factories.assessments import fill_bank, make_bank
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_client(client, org):
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    client.force_login(head.user)
    return client


def _headers(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", "", cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)
    ]


def test_the_department_list_pages_in_wagtails_words(head_client, org):
    for n in range(25):
        DepartmentFactory(organisation=org, name=f"部门{n:02d}")
    html = head_client.get(reverse("departments:index")).content.decode()
    assert "部门00" in html
    assert "上一题" not in html and "下一题" not in html
    assert "下一个" in html or "下一页" in html
    headers = _headers(html)
    assert "名称" in headers and "姓名" not in headers


def test_a_bank_and_its_questions_read_as_things_not_people(head_client, org):
    bank = make_bank(org, name="反垄断题库")
    fill_bank(bank, count=3)
    html = head_client.get(reverse("question_banks:index")).content.decode()
    assert "反垄断题库" in html
    assert "姓名" not in _headers(html)
    html = head_client.get(reverse("questions:index")).content.decode()
    assert "有效" in html and "在岗" not in html


def test_the_exam_pager_still_says_question(org):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("zh-hans"):
        rendered = Template(
            '{% load i18n %}{% translate "Previous" context "exam question" %}'
            '{% translate "Next" context "exam question" %}'
        ).render(Context())
    assert rendered == "上一题下一题"


def test_a_staff_member_on_duty_reads_zai_gang(org):
    from django.utils import translation

    from lms.organisations.models import Staff

    with translation.override("zh-hans"):
        assert str(Staff.Status.ACTIVE.label) == "在岗"
