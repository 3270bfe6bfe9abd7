"""Training plans and enrolments in the Wagtail admin, limited to the administrator's organisation."""

import datetime as dt

import pytest

from lms.learning.models import Enrolment, TrainingPlan
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def _plan_form(org, curriculum, **overrides):
    data = {
        "organisation": str(org.pk),
        "year": "2026",
        "title": "2026年度合规培训计划",
        "notes": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-curriculum": str(curriculum.pk),
        "items-0-target_date": "2026-06-30",
        "items-0-target_rate": "90",
        "items-0-ORDER": "1",
        "items-0-id": "",
    }
    data.update(overrides)
    return data


def test_an_administrator_makes_the_annual_plan_and_it_is_audited(client, org, org_admin, course):
    curriculum = cf.curriculum(courses=[course], owner=org, audience_everyone=True)
    client.force_login(org_admin.user)
    response = client.post("/admin/training_plans/new/", _plan_form(org, curriculum))
    assert response.status_code == 302, response.content.decode()[-2000:]
    plan = TrainingPlan.objects.get()
    assert plan.items.get().target_date == dt.date(2026, 6, 30)
    from lms.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="training_plan.create").exists()


def test_a_completion_target_above_100_is_refused(client, org, org_admin, course):
    curriculum = cf.curriculum(courses=[course], owner=org, audience_everyone=True)
    client.force_login(org_admin.user)
    response = client.post(
        "/admin/training_plans/new/", _plan_form(org, curriculum, **{"items-0-target_rate": "120"})
    )
    assert response.status_code == 200
    assert "目标完成率不能超过 100%" in response.content.decode()
    assert not TrainingPlan.objects.exists()


def test_another_organisations_plans_and_enrolments_are_404(client, org, other_org, course):
    their_plan = TrainingPlan.objects.create(organisation=other_org, year=2026, title="他们的计划")
    outsider = person(other_org)
    enrolment = Enrolment.objects.create(
        user=outsider.user, staff=outsider, course=course, source="manual"
    )
    from lms.organisations.models import ComplianceRole

    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    client.force_login(admin.user)
    assert client.get(f"/admin/training_plans/edit/{their_plan.pk}/").status_code == 404
    assert client.get(f"/admin/enrolments/inspect/{enrolment.pk}/").status_code == 404
    assert "他们的计划" not in client.get("/admin/training_plans/").content.decode()


def test_an_administrator_cannot_plan_for_another_organisation(
    client, org, other_org, org_admin, course
):
    curriculum = cf.curriculum(courses=[course], owner=org, audience_everyone=True)
    client.force_login(org_admin.user)
    response = client.post("/admin/training_plans/new/", _plan_form(other_org, curriculum))
    assert response.status_code == 200
    assert not TrainingPlan.objects.exists()
