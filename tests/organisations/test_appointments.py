"""Requesting, approving and refusing appointments in the admin; gates refuse with a reason."""

import pytest

from lms.audit.models import AuditEntry
from lms.organisations import gates
from lms.organisations.models import Appointment, ComplianceRole, Position
from tests.factories.organisations import PositionFactory, person
from tests.organisations.tenancy import build_world, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def head_position(world):
    return PositionFactory(
        organisation=world.a,
        name="合规部负责人",
        compliance_role=ComplianceRole.COMPLIANCE_HEAD,
        needs_pre_appointment_exam=True,
    )


@pytest.fixture
def exam_gate():
    """A gate like the exam engine's: refuses positions that need an exam nobody has passed."""

    def gate(appointment):
        if appointment.position.needs_pre_appointment_exam:
            return "尚未通过该岗位的任前考试（测试用关卡）"
        return None

    gates.register_appointment_gate(gate)
    yield gate
    gates._appointment_gates.remove(gate)


def request_appointment(client, staff, position, note="拟任"):
    return client.post(
        "/admin/appointments/new/", {"staff": staff.pk, "position": position.pk, "note": note}
    )


@pytest.fixture
def cco(world):
    """Appointments to a compliance head's position are decided by someone ranking above it."""
    return person(world.a, role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER)


def test_administrator_requests_and_cco_approves_an_appointment(client, world, head_position, cco):
    head_position.needs_pre_appointment_exam = False
    head_position.save()
    client.force_login(world.admin_a.user)
    form = client.get("/admin/appointments/new/").content.decode()
    assert world.learner_a.user.full_name in form and world.learner_b.user.full_name not in form
    assert "合规部负责人" in form and "乙专员" not in form

    assert request_appointment(client, world.learner_a, head_position).status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.status == Appointment.Status.REQUESTED
    assert appointment.requested_by == world.admin_a.user
    assert AuditEntry.objects.filter(action="appointment.request", object_id=str(appointment.pk))

    client.force_login(cco.user)
    inspect = client.get(f"/admin/appointments/inspect/{appointment.pk}/").content.decode()
    assert f"/admin/appointments/decide/{appointment.pk}/" in inspect
    page = client.get(f"/admin/appointments/decide/{appointment.pk}/")
    assert page.status_code == 200
    response = client.post(f"/admin/appointments/decide/{appointment.pk}/", {"approve": "1"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.APPROVED
    world.learner_a.refresh_from_db()
    assert world.learner_a.position == head_position
    assert world.learner_a.user.groups.filter(name="合规负责人").exists()
    entry = AuditEntry.objects.get(action="appointment.approve")
    assert entry.actor == cco.user
    assert entry.organisation == world.a
    assert entry.ip_address == "127.0.0.1"


def test_a_gate_refusal_is_shown_with_its_reason_and_nothing_changes(
    client, world, head_position, exam_gate, cco
):
    client.force_login(world.admin_a.user)
    request_appointment(client, world.learner_a, head_position)
    appointment = Appointment.objects.get()
    client.force_login(cco.user)
    response = client.post(f"/admin/appointments/decide/{appointment.pk}/", {"approve": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "尚未通过该岗位的任前考试（测试用关卡）" in html
    assert "该任职暂不能批准" in html
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.REQUESTED
    world.learner_a.refresh_from_db()
    assert world.learner_a.position == world.positions["a_clerk"]
    refusal = AuditEntry.objects.get(action="appointment.approval_refused")
    assert "尚未通过该岗位的任前考试（测试用关卡）" in refusal.data["reasons"]


def test_refusing_needs_a_reason_and_records_it(client, world, head_position, cco):
    client.force_login(world.admin_a.user)
    request_appointment(client, world.learner_a, head_position)
    appointment = Appointment.objects.get()
    client.force_login(cco.user)
    url = f"/admin/appointments/decide/{appointment.pk}/"
    response = client.post(url, {"refuse": "1", "refusal_reason": "  "})
    assert response.status_code == 200
    assert "请填写拒绝任职的理由。" in response.content.decode()
    assert Appointment.objects.get().status == Appointment.Status.REQUESTED

    response = client.post(url, {"refuse": "1", "refusal_reason": "任职条件不符"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.REFUSED
    assert appointment.refusal_reason == "任职条件不符"
    assert AuditEntry.objects.get(action="appointment.refuse").data == {"reason": "任职条件不符"}
    # Decided once: a second decision is turned away.
    client.post(url, {"approve": "1"})
    assert Appointment.objects.get().status == Appointment.Status.REFUSED


def test_a_second_open_request_for_the_same_position_is_refused(client, world, head_position):
    client.force_login(world.admin_a.user)
    request_appointment(client, world.learner_a, head_position)
    response = request_appointment(client, world.learner_a, head_position)
    assert response.status_code == 200
    assert "已有一项到该岗位的任职申请正在审批中。" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_another_organisations_administrator_cannot_decide(client, world, head_position):
    client.force_login(world.admin_a.user)
    request_appointment(client, world.learner_a, head_position)
    appointment = Appointment.objects.get()
    client.force_login(world.admin_b.user)
    url = f"/admin/appointments/decide/{appointment.pk}/"
    assert refused(client.get(url))
    assert refused(client.post(url, {"approve": "1"}))
    assert refused(client.post(url, {"refuse": "1", "refusal_reason": "恶意拒绝"}))
    assert Appointment.objects.get().status == Appointment.Status.REQUESTED


def test_part_time_administrator_requests_but_does_not_decide(client, world):
    position = Position.objects.get(organisation=world.a, name="专员")
    client.force_login(world.part_time_a.user)
    staff = world.learner_a_legal
    other = PositionFactory(organisation=world.a, name="法务专员")
    assert request_appointment(client, staff, other).status_code == 302
    appointment = Appointment.objects.get()
    assert refused(client.post(f"/admin/appointments/decide/{appointment.pk}/", {"approve": "1"}))
    assert Appointment.objects.get().status == Appointment.Status.REQUESTED
    assert staff.position == position
