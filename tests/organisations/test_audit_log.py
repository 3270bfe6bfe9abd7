"""The audit log: written by services, read-only in the admin, append-only down to the database."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from lms.audit.models import AuditEntry, AuditLogIsAppendOnly
from lms.audit.services import audit_record
from tests.organisations.tenancy import build_world, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def entries(world):
    return {
        "a": audit_record(
            action="staff.update",
            target=world.learner_a,
            actor=world.admin_a.user,
            ip_address="10.1.2.3",
        ),
        "b": audit_record(action="department.create", target=world.departments["b_ops"]),
    }


def test_compliance_head_reads_their_organisations_entries_only(client, world, entries):
    client.force_login(world.head_a.user)
    html = client.get("/admin/audit/").content.decode()
    assert str(world.learner_a) in html
    assert "10.1.2.3" in html
    assert world.admin_a.user.full_name in html
    assert "创建部门" not in html and "department.create" not in html  # B's entry
    assert client.get(f"/admin/audit/inspect/{entries['a'].pk}/").status_code == 200
    assert refused(client.get(f"/admin/audit/inspect/{entries['b'].pk}/"))


def test_compliance_administrator_who_is_not_head_reads_nothing(client, world, entries):
    client.force_login(world.admin_a.user)
    assert refused(client.get("/admin/audit/"))
    assert refused(client.get(f"/admin/audit/inspect/{entries['a'].pk}/"))


def test_regulator_and_learner_read_nothing(client, world, entries):
    for staff in (world.city_officer, world.learner_a):
        client.force_login(staff.user)
        response = client.get("/admin/audit/")
        assert refused(response) or response.url.startswith("/accounts/login/")


def test_platform_administrator_reads_everything(client, world, entries):
    client.force_login(world.platform_admin)
    html = client.get("/admin/audit/").content.decode()
    assert "staff.update" in html and "department.create" in html


def test_filter_by_action_and_date(client, world, entries):
    client.force_login(world.platform_admin)
    a_row, b_row = str(world.learner_a), str(world.departments["b_ops"])
    html = client.get("/admin/audit/", {"action": "department.create"}).content.decode()
    assert b_row in html and a_row not in html
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    html = client.get("/admin/audit/", {"at_from": tomorrow}).content.decode()
    assert b_row not in html and a_row not in html
    today = timezone.localdate().isoformat()
    html = client.get("/admin/audit/", {"at_from": today, "at_to": today}).content.decode()
    assert b_row in html and a_row in html


def test_there_is_no_add_edit_or_delete_path_even_for_a_superuser(client, world, entries):
    world.platform_admin.is_superuser = True
    world.platform_admin.save()
    client.force_login(world.platform_admin)
    entry = entries["a"]
    for url in (
        "/admin/audit/new/",
        f"/admin/audit/edit/{entry.pk}/",
        f"/admin/audit/delete/{entry.pk}/",
    ):
        assert refused(client.get(url)), url
        assert refused(client.post(url, {"action": "tampered"})), url
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.action == "staff.update"
    inspect = client.get(f"/admin/audit/inspect/{entry.pk}/").content.decode()
    assert f"/admin/audit/edit/{entry.pk}/" not in inspect
    assert f"/admin/audit/delete/{entry.pk}/" not in inspect


def test_the_model_refuses_update_and_delete(entries):
    entry = entries["a"]
    entry.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_update_and_delete(entries):
    table = AuditEntry._meta.db_table
    for sql in (
        f"UPDATE {table} SET action = 'tampered'",
        f"DELETE FROM {table}",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.filter(action="tampered").count() == 0
    assert AuditEntry.objects.count() == 2


def test_admin_changes_are_audited_with_actor_and_address(client, world):
    client.force_login(world.admin_a.user)
    staff = world.learner_a
    client.post(
        f"/admin/staff/edit/{staff.pk}/",
        {
            "department": world.departments["legal"].pk,
            "position": staff.position_id,
            "employee_number": staff.employee_number,
            "status": "active",
        },
        REMOTE_ADDR="192.0.2.44",
    )
    entry = AuditEntry.objects.get(action="staff.update", object_id=str(staff.pk))
    assert entry.actor == world.admin_a.user
    assert entry.ip_address == "192.0.2.44"
    assert entry.organisation == world.a
    # by name, as they read then: ids say nothing to a reader, and names may change later
    assert entry.data["changes"]["department"] == [
        str(world.departments["sales"]),
        str(world.departments["legal"]),
    ]
    assert set(entry.data["changes"]) == {"department"}


def test_a_position_change_is_logged_with_its_before_and_after(world):
    from lms.organisations.services import position_save

    position = world.learner_a.position
    before = position.compliance_role
    position.is_key = not position.is_key
    position_save(position=position, actor=world.platform_admin)
    entry = AuditEntry.objects.filter(action="position.update", object_id=str(position.pk)).latest(
        "pk"
    )
    assert entry.data["changes"] == {"is_key": [not position.is_key, position.is_key]}
    assert before == position.compliance_role


def test_a_new_organisations_entry_holds_what_it_was_created_with(world):
    from lms.organisations.models import Organisation
    from lms.organisations.services import organisation_save
    from tests.factories.organisations import make_credit_code

    created = organisation_save(
        organisation=Organisation(
            name="新设公司", credit_code=make_credit_code(), region_code="330102"
        ),
        actor=world.platform_admin,
    )
    entry = AuditEntry.objects.get(action="organisation.create", object_id=str(created.pk))
    assert entry.data["changes"]["name"] == [None, "新设公司"]
    assert entry.data["changes"]["region_code"] == [None, "330102"]
