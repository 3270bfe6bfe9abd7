"""Appointments by rank: nobody requests or decides their own; the decider outranks both the
person and the position's role (a head's appointment: the CCO or a platform administrator)."""

import pytest
from django.core.exceptions import ValidationError

from lms.organisations import services
from lms.organisations.models import Appointment, ComplianceRole, Position, Staff
from tests.factories.organisations import PositionFactory, person
from tests.organisations.tenancy import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def head_post(world):
    return PositionFactory(
        organisation=world.a, name="合规部负责人", compliance_role=ComplianceRole.COMPLIANCE_HEAD
    )


@pytest.fixture
def cco_post(world):
    return PositionFactory(
        organisation=world.a,
        name="首席合规官",
        compliance_role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER,
    )


@pytest.fixture
def cco(world, cco_post):
    return person(world.a, position=cco_post, department=world.departments["head_office"])


def test_nobody_requests_an_appointment_for_themselves(client, world, cco_post):
    me = world.part_time_a
    client.force_login(me.user)
    form = client.get("/admin/appointments/new/").content.decode()
    assert world.learner_a_legal.user.full_name in form
    assert me.user.full_name not in form

    response = client.post(
        "/admin/appointments/new/", {"staff": me.pk, "position": cco_post.pk, "note": "自荐"}
    )

    assert response.status_code == 200
    assert "不能为自己申请" in response.content.decode()
    assert not Appointment.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.appointment_request(staff=me, position=cco_post, actor=me.user)
    assert refused.value.code == "rank_self"
    assert not Appointment.objects.exists()


def test_nobody_requests_an_appointment_for_someone_at_or_above_them(client, world, cco_post):
    client.force_login(world.admin_a.user)
    response = client.post(
        "/admin/appointments/new/", {"staff": world.head_a.pk, "position": cco_post.pk}
    )
    assert response.status_code == 200
    with pytest.raises(ValidationError) as refused:
        services.appointment_request(
            staff=world.head_a, position=cco_post, actor=world.admin_a.user
        )
    assert refused.value.code == "rank_outranked"
    assert not Appointment.objects.exists()


def test_an_administrator_proposes_a_head_but_only_someone_above_a_head_approves(
    client, world, head_post, cco
):
    client.force_login(world.admin_a.user)
    response = client.post(
        "/admin/appointments/new/", {"staff": world.learner_a.pk, "position": head_post.pk}
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()

    # The full-time administrator and the head are told who decides, and cannot.
    for decider in (world.admin_a, world.head_a):
        client.force_login(decider.user)
        inspect = client.get(f"/admin/appointments/inspect/{appointment.pk}/").content.decode()
        assert f"/admin/appointments/decide/{appointment.pk}/" not in inspect
        assert "首席合规官或平台管理员" in inspect
        response = client.post(f"/admin/appointments/decide/{appointment.pk}/", {"approve": "1"})
        assert response.status_code == 302
        assert response.url == f"/admin/appointments/inspect/{appointment.pk}/"
        client.post(
            f"/admin/appointments/decide/{appointment.pk}/",
            {"refuse": "1", "refusal_reason": "不同意"},
        )
        assert Appointment.objects.get().status == Appointment.Status.REQUESTED
        with pytest.raises(ValidationError) as refused:
            services.appointment_approve(appointment=appointment, actor=decider.user)
        assert refused.value.code == "rank_role_outranks"
        with pytest.raises(ValidationError):
            services.appointment_refuse(appointment=appointment, actor=decider.user, reason="否")
    assert Appointment.objects.get().status == Appointment.Status.REQUESTED
    assert Staff.objects.get(pk=world.learner_a.pk).position == world.positions["a_clerk"]

    client.force_login(cco.user)
    response = client.post(f"/admin/appointments/decide/{appointment.pk}/", {"approve": "1"})
    assert response.status_code == 302
    assert Appointment.objects.get().status == Appointment.Status.APPROVED
    learner = Staff.objects.get(pk=world.learner_a.pk)
    assert learner.position == head_post
    assert learner.user.groups.filter(name="合规负责人").exists()


def test_a_cco_appointment_is_decided_by_a_platform_administrator(world, cco_post, cco):
    appointment = services.appointment_request(
        staff=world.head_a, position=cco_post, actor=cco.user
    )
    with pytest.raises(ValidationError) as refused:
        services.appointment_approve(appointment=appointment, actor=cco.user)
    assert refused.value.code == "rank_role_outranks"
    services.appointment_approve(appointment=appointment, actor=world.platform_admin)
    assert Staff.objects.get(pk=world.head_a.pk).position == cco_post


def test_nobody_decides_their_own_appointment(client, world, cco):
    post = Position.objects.get(pk=world.positions["a_clerk"].pk)
    appointment = services.appointment_request(staff=cco, position=post, actor=world.platform_admin)
    client.force_login(cco.user)
    response = client.post(f"/admin/appointments/decide/{appointment.pk}/", {"approve": "1"})
    assert response.status_code in (302, 404)
    with pytest.raises(ValidationError) as refused:
        services.appointment_approve(appointment=appointment, actor=cco.user)
    assert refused.value.code == "rank_self"
    assert Appointment.objects.get().status == Appointment.Status.REQUESTED


def test_the_home_page_counts_only_appointments_the_user_may_decide(client, world, head_post, cco):
    from lms.organisations.selectors import appointments_to_decide_count

    services.appointment_request(
        staff=world.learner_a, position=head_post, actor=world.admin_a.user
    )
    assert appointments_to_decide_count(world.admin_a.user) == 0
    assert appointments_to_decide_count(cco.user) == 1
    assert appointments_to_decide_count(world.platform_admin) == 1
