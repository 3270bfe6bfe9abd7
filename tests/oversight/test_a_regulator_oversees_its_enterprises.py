"""监管总览: a regulator sees, per enterprise in its jurisdiction, aggregates only — staffing,
training, exams, violations by severity, awards, spot checks, dispatch (quarters held),
the self-inspection report — sorted, charted, as xlsx, and one enterprise in detail with a
suggested risk grade it confirms (audited). No person's name, no person's data, nothing of an
enterprise outside the jurisdiction."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms.audit.models import AuditEntry
from lms.learning.models import Enrolment
from lms.organisations.models import ComplianceRole, Organisation
from lms.oversight import selectors, services
from tests.factories.content import course
from tests.factories.organisations import DepartmentFactory, OrganisationFactory, person
from tests.oversight.conftest import LEARNER_NAME

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NAMES = ("钱负责人", "孙首席", "李兼职", LEARNER_NAME, "郑负责人")


def enrol(staff, *, status, due_on):
    return Enrolment.objects.create(
        user=staff.user,
        staff=staff,
        course=course(title=f"课程{staff.pk}{status}"),
        source=Enrolment.Source.MANUAL,
        status=status,
        due_on=due_on,
    )


def test_the_regulator_sees_each_enterprise_of_its_jurisdiction_in_figures(client, world):
    enrol(world["learner"], status=Enrolment.Status.COMPLETED, due_on=TODAY)
    enrol(world["learner"], status=Enrolment.Status.ASSIGNED, due_on=TODAY - timedelta(days=1))
    client.force_login(world["officer"])
    page = client.get(reverse("oversight:index"))
    assert page.status_code == 200
    rows = {row.organisation_id: row for row in page.context["rows"]}
    assert set(rows) == {world["a"].pk, world["b"].pk}  # C is outside the jurisdiction
    a = rows[world["a"].pk]
    assert (a.heads, a.admins) == (2, 1)
    assert a.figures["departments"] == 2 and a.figures["departments_covered"] == 1
    assert a.figures["training_total"] == 2 and a.figures["training_completed"] == 1
    assert a.figures["training_overdue"] == 1
    assert a.figures["violations_serious"] == 1
    assert {c.key: v for c, v in a.cells}["training"] == 50
    assert {c.key: v for c, v in a.cells}["dispatches"] == 0  # no dispatch meeting recorded
    text = page.content.decode()
    assert "甲集团" in text and "丙公司" not in text
    assert 'style="width: 50%"' in text  # the completion drawn as a bar
    assert "暂无数据" in text or "Not available" in text
    for name in NAMES:
        assert name not in text


def test_the_table_sorts_by_any_column_and_refuses_an_unknown_one(client, world):
    client.force_login(world["officer"])
    by_violations = client.get(
        reverse("oversight:index"), {"sort": "violations_serious", "dir": "desc"}
    )
    assert [r.organisation_id for r in by_violations.context["rows"]] == [
        world["a"].pk,
        world["b"].pk,
    ]
    ascending = client.get(reverse("oversight:index"), {"sort": "violations_serious"})
    assert ascending.context["rows"][0].organisation_id == world["b"].pk
    assert client.get(reverse("oversight:index"), {"sort": "password"}).status_code == 404
    assert client.get(reverse("oversight:index"), {"year": "１９"}).status_code == 404


def test_the_xlsx_holds_the_same_figures_and_no_names(client, world):
    client.force_login(world["officer"])
    response = client.get(reverse("oversight:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {rows[1][0], rows[2][0]} == {"甲集团", "乙公司"}
    flat = " ".join(str(v) for row in rows for v in row)
    for name in NAMES:
        assert name not in flat


def test_a_regulator_asking_for_a_persons_data_is_refused(client, world):
    client.force_login(world["officer"])
    staff_id = world["learner"].pk
    for url in (
        reverse("oversight:index"),
        reverse("oversight:export"),
        reverse("oversight:enterprise", args=[world["a"].pk]),
    ):
        response = client.get(url, {"person": staff_id})
        assert response.status_code == 403
        assert LEARNER_NAME not in response.content.decode()
    with pytest.raises(selectors.AggregatesOnly):
        selectors.refuse_personal_data()
    # and the people's own records stay out of reach of a regulator
    record = client.get(reverse("records:person", args=[staff_id]))
    assert record.status_code in (403, 404)


def test_an_enterprise_outside_the_jurisdiction_is_not_found(client, world):
    client.force_login(world["officer"])
    assert client.get(reverse("oversight:enterprise", args=[world["c"].pk])).status_code == 404
    response = client.post(
        reverse("oversight:risk_grade_confirm", args=[world["c"].pk]), {"grade": "D"}
    )
    assert response.status_code == 404
    world["c"].refresh_from_db()
    assert world["c"].risk_grade == "B"


def test_only_regulators_see_oversight(client, world):
    client.force_login(world["head"])
    assert client.get(reverse("oversight:index")).status_code == 404
    assert client.get(reverse("oversight:enterprise", args=[world["a"].pk])).status_code == 404


def test_the_drill_down_shows_the_figures_and_the_suggested_grade(client, world):
    client.force_login(world["officer"])
    page = client.get(reverse("oversight:enterprise", args=[world["a"].pk]))
    assert page.status_code == 200
    row = page.context["row"]
    assert row.suggestion.grade == "B"  # serious violation: 2 points
    text = page.content.decode()
    assert "严重" in text or "serious" in text
    for name in NAMES:
        assert name not in text


def test_the_officer_confirms_the_suggested_grade_audited(client, world):
    client.force_login(world["officer"])
    response = client.post(
        reverse("oversight:risk_grade_confirm", args=[world["a"].pk]),
        {"grade": "C", "reason": "违规较多"},
    )
    assert response.status_code == 302
    world["a"].refresh_from_db()
    assert world["a"].risk_grade == "C"
    entry = AuditEntry.objects.get(action="oversight.risk_grade_confirm")
    assert entry.data["before"] == "B" and entry.data["after"] == "C"
    assert entry.data["suggested"] == "B"
    assert AuditEntry.objects.filter(action="organisation.update", object_id=str(world["a"].pk))
    bad = client.post(reverse("oversight:risk_grade_confirm", args=[world["a"].pk]), {"grade": "Z"})
    assert bad.status_code == 400


def test_an_inspector_reads_but_does_not_confirm_grades(client, world):
    client.force_login(world["inspector"])
    assert client.get(reverse("oversight:index")).status_code == 200
    response = client.post(
        reverse("oversight:risk_grade_confirm", args=[world["a"].pk]), {"grade": "D"}
    )
    assert response.status_code == 403
    world["a"].refresh_from_db()
    assert world["a"].risk_grade == "B"


def test_the_figures_take_the_same_queries_for_two_or_twenty_enterprises(world):
    def queries_for(ids):
        with CaptureQueriesContext(connection) as captured:
            selectors.figures_compute(organisation_ids=ids, year=TODAY.year)
        return len(captured.captured_queries)

    few = queries_for([world["a"].pk, world["b"].pk])
    more = []
    for _n in range(18):
        enterprise = OrganisationFactory()
        DepartmentFactory(organisation=enterprise)
        person(enterprise, role=ComplianceRole.COMPLIANCE_HEAD)
        more.append(enterprise.pk)
    assert queries_for([world["a"].pk, world["b"].pk, *more]) == few


def test_stored_figures_are_refreshed_by_the_service(world):
    assert (
        services.figures_refresh(year=TODAY.year)
        == Organisation.objects.filter(kind="enterprise").count()
    )
    assert services.figures_refresh(year=TODAY.year, organisation_ids=[world["a"].pk]) == 1
    stored = selectors.figures_stored(organisation_ids=[world["a"].pk], year=TODAY.year)
    assert stored[world["a"].pk].figures["violations_serious"] == 1
