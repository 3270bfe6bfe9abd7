"""合规考核 for a large roster (issue 17: 100,000 staff within 300 ms): past
RECORDS_LIVE_APPRAISAL_LIMIT people the page reads the kept scores (YearScore), refreshed after
each entry commits, after a policy change and nightly, and shows the same figures as scoring
live; people come a page at a time and by department; confirmed violations by nature, severity
and department; the years side by side. Queries do not grow with people."""

from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from lms.organisations.models import ComplianceRole
from lms.records import overview, scores, services
from lms.records.kinds import Grade, Severity
from lms.records.models import YearScore
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db
URL = reverse("records:appraisal")
TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture
def world(org):
    legal = DepartmentFactory(organisation=org, name="法务部")
    sales = DepartmentFactory(organisation=org, name="销售部")
    return {
        "org": org,
        "legal": legal,
        "sales": sales,
        "head": person(org, role=ComplianceRole.COMPLIANCE_HEAD).user,
        "admin": person(org, role=ComplianceRole.ADMIN_FULL_TIME).user,
        "lawyer": person(org, department=legal, user__full_name="李律师"),
        "seller": person(org, department=sales, user__full_name="王销售"),
    }


def record(staff, kind, n=0, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.record_entry(
            staff=staff,
            kind=kind,
            source=DepartmentFactory(organisation=staff.organisation),
            occurred_at=timezone.now(),
            summary=f"事项{n}",
            **kwargs,
        )


def figures(result):
    return (
        [(g["grade"], g["count"]) for g in result.grades],
        [(d.name, d.count, d.average) for d in result.departments],
        sorted((p.name, p.score, p.grade) for p in result.people),
    )


def test_the_kept_scores_follow_each_entry_and_match_scoring_live(world, settings):
    scores.scores_refresh_open_years()  # last night's refresh: everyone kept, nobody scored yet
    record(world["seller"], "violation", severity=Severity.VERY_SERIOUS)
    for n in range(6):
        record(world["lawyer"], "course_on_time", n)
    kept = {row.staff_id: row for row in YearScore.objects.filter(year=YEAR)}
    assert kept[world["lawyer"].pk].grade == Grade.EXCELLENT
    assert kept[world["seller"].pk].grade == Grade.FAIL
    for department in ("法务部", "销售部"):
        settings.RECORDS_LIVE_APPRAISAL_LIMIT = 500
        live = overview.appraisal_overview(
            world["head"], organisation=world["org"], year=YEAR, department=department
        )
        assert live.computed_at is None  # a small roster: scored on the page
        settings.RECORDS_LIVE_APPRAISAL_LIMIT = 1
        kept = overview.appraisal_overview(
            world["head"], organisation=world["org"], year=YEAR, department=department
        )
        assert kept.computed_at is not None
        assert figures(kept) == figures(live)


def test_a_policy_change_rescores_the_organisation(world, settings):
    for n in range(6):
        record(world["lawyer"], "course_on_time", n)
    before = YearScore.objects.get(staff=world["lawyer"], year=YEAR).score
    rules = services.rules_for(organisation_id=world["org"].pk, year=YEAR)
    rules = {**rules, "points": {**rules["points"], "course_on_time": 0}}
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.policy_save(organisation=world["org"], year=YEAR, rules=rules, actor=world["head"])
    after = YearScore.objects.get(staff=world["lawyer"], year=YEAR).score
    assert after < before


def test_a_move_reaches_the_kept_scores_when_it_commits(world):
    from lms.organisations import services as organisations

    scores.scores_refresh_open_years()
    assert YearScore.objects.get(staff=world["lawyer"], year=YEAR).department == world["legal"]
    world["lawyer"].department = world["sales"]
    with TestCase.captureOnCommitCallbacks(execute=True):
        organisations.staff_save(staff=world["lawyer"], actor=world["head"])
    assert YearScore.objects.get(staff=world["lawyer"], year=YEAR).department == world["sales"]


def test_the_nightly_refresh_follows_a_move_and_drops_who_left(world, settings):
    scores.scores_refresh_open_years()
    assert YearScore.objects.get(staff=world["lawyer"], year=YEAR).department == world["legal"]
    world["lawyer"].department = world["sales"]
    world["lawyer"].save()
    world["seller"].status = world["seller"].Status.LEFT
    world["seller"].save()
    scores.scores_refresh_open_years()
    assert YearScore.objects.get(staff=world["lawyer"], year=YEAR).department == world["sales"]
    assert not YearScore.objects.filter(staff=world["seller"]).exists()


def test_people_come_a_page_at_a_time_and_by_department(client, world, settings):
    settings.RECORDS_LIVE_APPRAISAL_LIMIT = 1
    for n in range(overview.PAGE_SIZE + 5):
        person(world["org"], department=world["legal"], user__full_name=f"法务{n:03d}")
    scores.scores_refresh(organisation_id=world["org"].pk, year=YEAR)
    client.force_login(world["head"])
    # a large roster lists one department's people at a time
    first = client.get(URL, {"department": "法务部"}).content.decode()
    assert "法务000" in first and "法务104" not in first and "王销售" not in first
    second = client.get(URL, {"department": "法务部", "page": 2}).content.decode()
    assert "法务104" in second and "王销售" not in second
    assert 'id="people"' in client.get(URL).content.decode()  # the first department by default
    sales = client.get(URL, {"department": "销售部"}).content.decode()
    assert "王销售" in sales and "法务000" not in sales
    assert client.get(URL, {"page": "²"}).status_code == 200  # an odd page is the first


def test_violations_by_nature_severity_and_department_and_the_years_side_by_side(
    client, world, settings
):
    for staff, nature, severity in (
        (world["seller"], "收受供应商礼品", "serious"),
        (world["seller"], "泄露客户信息", "general"),
        (world["lawyer"], "收受供应商礼品", "general"),
    ):
        with TestCase.captureOnCommitCallbacks(execute=True):
            violation = services.violation_report(
                actor=world["admin"],
                staff=staff,
                occurred_on=TODAY - timedelta(days=1),
                nature=nature,
                severity=severity,
                description="说明",
            )
            services.violation_decide(
                actor=world["head"],
                violation=violation,
                confirm=True,
                reason="属实",
                today=violation.statement_due + timedelta(days=1),
            )
    YearScore.objects.create(
        organisation=world["org"],
        year=YEAR - 1,
        staff=world["lawyer"],
        department=world["legal"],
        score=88,
        grade=Grade.PASS,
        computed_at=timezone.now(),
    )
    result = overview.appraisal_overview(world["head"], organisation=world["org"], year=YEAR)
    assert result.violations["total"] == 3
    assert result.violations["by_nature"][0] == {"name": "收受供应商礼品", "count": 2}
    severities = {s["severity"]: s["count"] for s in result.violations["by_severity"]}
    assert severities == {"general": 2, "major": 0, "serious": 1, "very_serious": 0}
    departments = {d["name"]: d["total"] for d in result.violations["by_department"]}
    assert departments == {"法务部": 1, "销售部": 2}
    assert [(line.year, line.count) for line in result.trend][0] == (YEAR - 1, 1)
    assert result.trend[-1].year == YEAR
    client.force_login(world["head"])
    html = client.get(URL).content.decode()
    assert "泄露客户信息" in html and "较重" in html and str(YEAR - 1) in html


def test_queries_of_the_kept_page_do_not_grow_with_people(
    client, world, settings, django_assert_max_num_queries
):
    settings.RECORDS_LIVE_APPRAISAL_LIMIT = 1
    scores.scores_refresh(organisation_id=world["org"].pk, year=YEAR)
    client.force_login(world["head"])
    client.get(URL)
    with django_assert_max_num_queries(60) as few:
        client.get(URL)
    department = DepartmentFactory(organisation=world["org"], name="新部门")
    for n in range(30):
        person(world["org"], department=department, user__full_name=f"新人{n}")
    scores.scores_refresh(organisation_id=world["org"].pk, year=YEAR)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert "新部门" in response.content.decode()
