"""Changing a person's position, department or status in the admin: only someone who outranks
them, never oneself, and a compliance role only through an appointment (issue 9, items 1-2)."""

import pytest
from django.core.exceptions import ValidationError

from lms.audit.models import AuditEntry
from lms.organisations import services
from lms.organisations.models import ComplianceRole, Position, Staff
from tests.factories.organisations import PositionFactory, person
from tests.organisations.tenancy import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def cco_position(world):
    return PositionFactory(
        organisation=world.a,
        name="首席合规官",
        compliance_role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER,
        needs_pre_appointment_exam=True,
    )


@pytest.fixture
def head_in_legal(world):
    """A compliance head whose desk is in the part-time administrator's department."""
    head = world.head_a
    head.department = world.departments["legal"]
    head.save()
    return head


def edit_data(staff, **changes):
    data = {
        "organisation": staff.organisation_id,
        "department": staff.department_id or "",
        "position": staff.position_id or "",
        "employee_number": staff.employee_number,
        "hire_date": staff.hire_date.isoformat() if staff.hire_date else "",
        "status": staff.status,
    }
    return {**data, **changes}


def snapshot(staff) -> dict:
    return Staff.objects.filter(pk=staff.pk).values().get()


def test_part_time_administrator_cannot_make_himself_cco(client, world, cco_position):
    me = world.part_time_a
    before = snapshot(me)
    client.force_login(me.user)

    response = client.post(f"/admin/staff/edit/{me.pk}/", edit_data(me, position=cco_position.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert "您不能更改自己的人员记录" in html
    assert "/admin/appointments/" in html  # the button to the appointment process
    assert snapshot(me) == before
    assert not me.user.groups.filter(name="合规负责人").exists()
    assert not AuditEntry.objects.filter(action="staff.update").exists()


def test_nobody_changes_their_own_department_or_status_either(client, world):
    me = world.part_time_a
    before = snapshot(me)
    client.force_login(me.user)
    for change in (
        {"department": world.departments["compliance_unit"].pk},
        {"status": Staff.Status.ON_LEAVE},
    ):
        response = client.post(f"/admin/staff/edit/{me.pk}/", edit_data(me, **change))
        assert response.status_code == 200, change
        assert "您不能更改自己的人员记录" in response.content.decode()
    assert snapshot(me) == before


def test_full_administrator_cannot_make_a_new_hire_cco_through_the_edit_form(
    client, world, cco_position
):
    new_hire = world.learner_a
    before = snapshot(new_hire)
    client.force_login(world.admin_a.user)

    response = client.post(
        f"/admin/staff/edit/{new_hire.pk}/", edit_data(new_hire, position=cco_position.pk)
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "岗位“首席合规官”具有合规职务“首席合规官”" in html
    assert "任职" in html and "/admin/appointments/" in html
    assert snapshot(new_hire) == before


def test_full_administrator_cannot_create_a_new_hire_as_cco(client, world, cco_position):
    client.force_login(world.admin_a.user)
    response = client.post(
        "/admin/staff/new/",
        {
            "full_name": "王五",
            "email": "wangwu@example.cn",
            "organisation": world.a.pk,
            "department": world.departments["legal"].pk,
            "position": cco_position.pk,
            "employee_number": "A9999",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "岗位“首席合规官”具有合规职务“首席合规官”" in html
    assert "/admin/appointments/" in html
    assert not Staff.objects.filter(employee_number="A9999").exists()
    assert not type(world.admin_a.user).objects.filter(email="wangwu@example.cn").exists()


def test_a_new_hire_is_not_created_into_a_position_that_needs_a_pre_appointment_exam(client, world):
    manager = PositionFactory(
        organisation=world.a, name="部门经理", needs_pre_appointment_exam=True
    )
    client.force_login(world.admin_a.user)
    response = client.post(
        "/admin/staff/new/",
        {
            "full_name": "王五",
            "email": "wangwu@example.cn",
            "organisation": world.a.pk,
            "department": world.departments["sales"].pk,
            "position": manager.pk,
            "employee_number": "A9999",
        },
    )
    assert response.status_code == 200
    assert "需要任前考试" in response.content.decode()
    assert not Staff.objects.filter(employee_number="A9999").exists()


def test_part_time_administrator_cannot_set_the_compliance_head_to_left(
    client, world, head_in_legal
):
    before = snapshot(head_in_legal)
    client.force_login(world.part_time_a.user)

    response = client.post(
        f"/admin/staff/edit/{head_in_legal.pk}/",
        edit_data(head_in_legal, status=Staff.Status.LEFT),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "职级不低于您" in html
    assert snapshot(head_in_legal) == before
    assert head_in_legal.user.groups.filter(name="合规负责人").exists()


def test_full_administrator_cannot_move_the_compliance_head_nor_another_full_administrator(
    client, world
):
    peer = person(
        world.a, role=ComplianceRole.ADMIN_FULL_TIME, department=world.departments["sales"]
    )
    client.force_login(world.admin_a.user)
    for target in (world.head_a, peer):
        before = snapshot(target)
        response = client.post(
            f"/admin/staff/edit/{target.pk}/",
            edit_data(target, department=world.departments["sales"].pk, status="on_leave"),
        )
        assert response.status_code == 200
        assert "职级不低于您" in response.content.decode()
        assert snapshot(target) == before


def test_those_who_rank_below_are_still_changed_as_before(client, world):
    # a full-time administrator moves a part-time administrator; the head sends him on leave
    client.force_login(world.admin_a.user)
    part_time = world.part_time_a
    response = client.post(
        f"/admin/staff/edit/{part_time.pk}/",
        edit_data(part_time, department=world.departments["compliance_unit"].pk),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    part_time.refresh_from_db()
    assert part_time.department == world.departments["compliance_unit"]
    client.force_login(world.head_a.user)
    response = client.post(
        f"/admin/staff/edit/{world.admin_a.pk}/", edit_data(world.admin_a, status="on_leave")
    )
    assert response.status_code == 302
    assert Staff.objects.get(pk=world.admin_a.pk).status == Staff.Status.ON_LEAVE
    # and a part-time administrator still looks after the learners of his department
    client.force_login(part_time.user)
    learner = world.learner_a_legal
    response = client.post(f"/admin/staff/edit/{learner.pk}/", edit_data(learner, status="left"))
    assert response.status_code == 302
    assert Staff.objects.get(pk=learner.pk).status == Staff.Status.LEFT


def test_the_staff_list_offers_to_edit_only_those_the_user_may_change(client, world, head_in_legal):
    client.force_login(world.part_time_a.user)
    html = client.get("/admin/staff/").content.decode()
    learner = world.learner_a_legal
    assert f"/admin/staff/edit/{learner.pk}/" in html
    assert f"/admin/staff/inspect/{world.part_time_a.pk}/" in html
    assert f"/admin/staff/edit/{world.part_time_a.pk}/" not in html
    assert f"/admin/staff/edit/{head_in_legal.pk}/" not in html


def test_opening_ones_own_record_says_at_once_that_it_is_not_ones_to_change(client, world):
    client.force_login(world.part_time_a.user)
    html = client.get(f"/admin/staff/edit/{world.part_time_a.pk}/").content.decode()
    assert "您不能更改自己的人员记录" in html
    assert "/admin/appointments/" in html


def test_the_service_refuses_too_and_saves_nothing(world, cco_position):
    me = Staff.objects.get(pk=world.part_time_a.pk)
    me.position = cco_position
    with pytest.raises(ValidationError) as refused:
        services.staff_save(staff=me, actor=me.user)
    assert refused.value.code == "rank_self"

    head = Staff.objects.get(pk=world.head_a.pk)
    head.status = Staff.Status.LEFT
    with pytest.raises(ValidationError) as refused:
        services.staff_save(staff=head, actor=world.admin_a.user)
    assert refused.value.code == "rank_outranked"

    learner = Staff.objects.get(pk=world.learner_a.pk)
    learner.position = cco_position
    with pytest.raises(ValidationError) as refused:
        services.staff_save(staff=learner, actor=world.admin_a.user)
    assert refused.value.code == "rank_needs_appointment"

    with pytest.raises(ValidationError):
        services.person_create(
            organisation=world.a,
            full_name="王五",
            email="wangwu@example.cn",
            employee_number="A9999",
            position=cco_position,
            actor=world.head_a.user,
        )
    assert not type(me.user).objects.filter(email="wangwu@example.cn").exists()
    assert Staff.objects.get(pk=world.part_time_a.pk).position != cco_position
    assert Staff.objects.get(pk=world.head_a.pk).status == Staff.Status.ACTIVE
    assert Staff.objects.get(pk=world.learner_a.pk).position != cco_position


def test_a_platform_administrator_also_goes_through_an_appointment(world, cco_position):
    learner = Staff.objects.get(pk=world.learner_a.pk)
    learner.position = cco_position
    with pytest.raises(ValidationError) as refused:
        services.staff_save(staff=learner, actor=world.platform_admin)
    assert refused.value.code == "rank_needs_appointment"
    # but may change anyone else's record, the head's included
    head = Staff.objects.get(pk=world.head_a.pk)
    head.status = Staff.Status.ON_LEAVE
    services.staff_save(staff=head, actor=world.platform_admin)
    assert Staff.objects.get(pk=head.pk).status == Staff.Status.ON_LEAVE


def test_someone_who_left_in_a_compliance_role_comes_back_only_without_it(client, world):
    part_time = world.part_time_a
    part_time.status = Staff.Status.LEFT
    part_time.save()
    client.force_login(world.admin_a.user)
    response = client.post(
        f"/admin/staff/edit/{part_time.pk}/", edit_data(part_time, status="active")
    )
    assert response.status_code == 200
    assert "任职" in response.content.decode()
    assert Staff.objects.get(pk=part_time.pk).status == Staff.Status.LEFT
    response = client.post(
        f"/admin/staff/edit/{part_time.pk}/",
        edit_data(part_time, status="active", position=world.positions["a_clerk"].pk),
    )
    assert response.status_code == 302
    assert Staff.objects.get(pk=part_time.pk).status == Staff.Status.ACTIVE


# --- positions: a role changes the rank of everyone who holds it ----------------------------
def position_data(position, **changes):
    data = {
        "organisation": position.organisation_id,
        "name": position.name,
        "compliance_role": position.compliance_role,
    }
    for flag in ("is_key", "is_high_risk", "is_management", "needs_pre_appointment_exam"):
        if getattr(position, flag):
            data[flag] = "on"
    return {**data, **changes}


def test_a_position_role_at_or_above_ones_own_cannot_be_given_or_changed(
    client, world, cco_position
):
    client.force_login(world.admin_a.user)
    form = client.get("/admin/positions/new/").content.decode()
    assert 'value="admin_part"' in form and 'value="head"' not in form
    response = client.post(
        "/admin/positions/new/",
        {"organisation": world.a.pk, "name": "副合规负责人", "compliance_role": "head"},
    )
    assert response.status_code == 200
    assert not Position.objects.filter(name="副合规负责人").exists()

    before = Position.objects.filter(pk=cco_position.pk).values().get()
    response = client.post(
        f"/admin/positions/edit/{cco_position.pk}/",
        position_data(cco_position, needs_pre_appointment_exam=""),
    )
    assert response.status_code == 200
    assert "职级高于“首席合规官”" in response.content.decode()
    assert Position.objects.filter(pk=cco_position.pk).values().get() == before

    response = client.post(f"/admin/positions/delete/{cco_position.pk}/")
    assert response.status_code == 302
    assert Position.objects.filter(pk=cco_position.pk).exists()


def test_a_held_position_is_not_raised_to_a_compliance_role(client, world):
    clerk = world.positions["a_clerk"]  # held by two learners
    client.force_login(world.head_a.user)
    response = client.post(
        f"/admin/positions/edit/{clerk.pk}/", position_data(clerk, compliance_role="admin_full")
    )
    assert response.status_code == 200
    assert "/admin/appointments/" in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.compliance_role == ComplianceRole.NONE
    assert not world.learner_a.user.groups.filter(name="合规管理员").exists()


def test_lowering_a_positions_role_is_audited_with_before_and_after(client, world):
    part_time_post = world.part_time_a.position
    client.force_login(world.head_a.user)
    response = client.post(
        f"/admin/positions/edit/{part_time_post.pk}/",
        position_data(part_time_post, compliance_role="none"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="position.update")
    assert entry.data["changes"]["compliance_role"] == ["admin_part", "none"]
    assert entry.actor == world.head_a.user
    assert not world.part_time_a.user.groups.filter(name="合规管理员").exists()
