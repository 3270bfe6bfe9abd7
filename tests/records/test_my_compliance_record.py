"""我的合规档案: a person reads their own entries of a year, the score so far and the grade;
each entry links to its source; nobody else's entries; queries do not grow with entries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.records import services
from lms.records.receivers import on_certificate_issued
from tests.factories.certificates import CertificateTemplateFactory, issue
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db
URL = reverse("records:my_record")


@pytest.fixture
def learner(org):
    return person(org, department=DepartmentFactory(organisation=org, name="采购部"))


def add_entries(staff, count, *, start=0):
    departments = [DepartmentFactory(organisation=staff.organisation) for _ in range(count)]
    for n, source in enumerate(departments, start=start):
        services.record_entry(
            staff=staff,
            kind="course_on_time",
            source=source,
            occurred_at=timezone.now() - timedelta(minutes=n),
            summary=f"按时完成必修课程《课程{n}》",
        )


def test_the_person_sees_their_entries_score_and_grade_linking_to_sources(client, org, learner):
    template = CertificateTemplateFactory(issuing_organisation=org)
    certificate = issue(holder=learner.user, template=template)
    on_certificate_issued(None, certificate=certificate)
    add_entries(learner, 2)
    client.force_login(learner.user)
    html = client.get(URL).content.decode()
    assert "我的合规档案" in html
    assert "按时完成必修课程《课程0》" in html and "取得证书" in html
    assert '<span class="score">106</span>' in html and "合格" in html  # 100 + 2 + 2 + 2
    assert reverse("certificates:download", args=[certificate.pk]) in html
    assert "采购部" in html


def test_a_correction_shows_with_its_reason_and_the_score_drops(client, learner):
    add_entries(learner, 1)
    entry = learner.user.ledger_entries.get()
    services.reverse_entry(entry=entry, reason="课程记录重复")
    client.force_login(learner.user)
    html = client.get(URL).content.decode()
    assert "课程记录重复" in html and "更正：" in html
    assert '<span class="score">100</span>' in html


def test_nobody_sees_another_persons_entries(client, org, learner):
    add_entries(learner, 1)
    other = person(org)
    client.force_login(other.user)
    html = client.get(URL).content.decode()
    assert "课程0" not in html


def test_earlier_years_are_chosen_by_year_and_bad_years_are_404(client, learner):
    add_entries(learner, 1)
    client.force_login(learner.user)
    last_year = timezone.localdate().year - 1
    assert "课程0" not in client.get(URL, {"year": last_year}).content.decode()
    assert client.get(URL, {"year": "abc"}).status_code == 404
    assert client.get(URL, {"year": "1900"}).status_code == 404


def test_it_is_in_the_learners_menu(client, learner):
    client.force_login(learner.user)
    html = client.get("/").content.decode()
    menu = html[html.index('class="main-nav"') : html.index("</nav>")]
    assert "我的合规档案" in menu


def test_queries_do_not_grow_with_entries(client, learner, django_assert_max_num_queries):
    client.force_login(learner.user)
    add_entries(learner, 2)
    client.get(URL)  # warm the content-type cache
    with django_assert_max_num_queries(40) as few:
        client.get(URL)
    add_entries(learner, 40, start=10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.content.decode().count('<li class="entry') == 42
