"""A compliance administrator of enterprise A tries to reach B's objects by URL in the admin."""

import pytest
from django.forms.models import model_to_dict

from lms.audit.services import audit_record
from lms.organisations.models import Appointment, Department, Organisation, Position, Staff
from lms.organisations.services import appointment_request
from tests.organisations.tenancy import build_world, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def b_objects(world):
    """(viewset url name, object of enterprise B) for every People viewset."""
    appointment = appointment_request(
        staff=world.learner_b, position=world.positions["b_clerk"], actor=world.admin_b.user
    )
    return {
        "staff": world.learner_b,
        "departments": world.departments["b_ops"],
        "positions": world.positions["b_clerk"],
        "appointments": appointment,
        "orgs": world.b,
        "jurisdictions": world.city_regulator.jurisdiction,
    }


def snapshot(obj):
    obj = type(obj).objects.get(pk=obj.pk)
    return model_to_dict(obj)


@pytest.mark.parametrize(
    "viewset", ["staff", "departments", "positions", "appointments", "orgs", "jurisdictions"]
)
def test_administrator_of_a_cannot_list_inspect_edit_or_delete_bs_objects(client, world, viewset):
    target = b_objects(world)[viewset]
    before = snapshot(target)
    client.force_login(world.admin_a.user)
    index = client.get(f"/admin/{viewset}/")
    if index.status_code == 200:
        assert str(target) not in index.content.decode()
    else:
        assert refused(index)
    base = f"/admin/{viewset}"
    for url in (
        f"{base}/inspect/{target.pk}/",
        f"{base}/edit/{target.pk}/",
        f"{base}/delete/{target.pk}/",
        f"{base}/history/{target.pk}/",
        f"{base}/usage/{target.pk}/",
    ):
        assert refused(client.get(url)), url
    for url in (f"{base}/edit/{target.pk}/", f"{base}/delete/{target.pk}/"):
        assert refused(client.post(url, {"name": "被篡改", "employee_number": "HACK"})), url
    assert type(target).objects.filter(pk=target.pk).exists()
    assert snapshot(target) == before


def test_administrator_of_a_lists_only_as_people(client, world):
    client.force_login(world.admin_a.user)
    html = client.get("/admin/staff/").content.decode()
    assert world.learner_a.user.full_name in html
    assert world.learner_b.user.full_name not in html
    assert world.admin_b.user.full_name not in html
    assert world.learner_group.user.full_name not in html


def test_administrator_of_a_sees_and_edits_own_staff(client, world):
    client.force_login(world.admin_a.user)
    staff = world.learner_a
    assert client.get(f"/admin/staff/inspect/{staff.pk}/").status_code == 200
    response = client.post(
        f"/admin/staff/edit/{staff.pk}/",
        {
            "organisation": world.a.pk,
            "department": world.departments["legal"].pk,
            "position": staff.position_id,
            "employee_number": staff.employee_number,
            "status": "active",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Staff.objects.get(pk=staff.pk).department == world.departments["legal"]


def test_administrator_of_a_sees_their_own_organisation_but_cannot_change_it(client, world):
    client.force_login(world.admin_a.user)
    html = client.get("/admin/orgs/").content.decode()
    assert world.a.name in html and world.b.name not in html
    assert client.get(f"/admin/orgs/inspect/{world.a.pk}/").status_code == 200
    before = snapshot(world.a)
    assert refused(client.get(f"/admin/orgs/edit/{world.a.pk}/"))
    assert refused(client.post(f"/admin/orgs/edit/{world.a.pk}/", {"name": "改名"}))
    assert refused(client.get("/admin/orgs/new/"))
    assert snapshot(world.a) == before


def test_only_a_platform_administrator_creates_and_edits_organisations(client, world):
    from tests.factories.organisations import make_credit_code

    client.force_login(world.platform_admin)
    code = make_credit_code("330100")
    response = client.post(
        "/admin/orgs/new/",
        {
            "name": "新平台有限公司",
            "credit_code": code,
            "kind": "enterprise",
            "sector": "online_platform",
            "risk_grade": "B",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Organisation.objects.get(credit_code=code)
    assert created.region_code == "330100"
    from lms.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="organisation.create", object_id=str(created.pk))


def test_audit_entries_of_b_are_out_of_reach_of_as_head(client, world):
    entry = audit_record(action="staff.update", target=world.learner_b, actor=world.admin_b.user)
    client.force_login(world.head_a.user)
    assert entry.object_repr not in client.get("/admin/audit/").content.decode()
    assert refused(client.get(f"/admin/audit/inspect/{entry.pk}/"))


def test_models_keep_their_counts(world):
    """Sanity: nothing above leaked writes into the world (guards the snapshot helper)."""
    assert Department.objects.filter(organisation=world.b).count() == 1
    assert Position.objects.filter(organisation=world.b).count() >= 1
    assert Appointment.objects.count() == 0
