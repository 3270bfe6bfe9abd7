"""A compliance head reads the audit log in words: 修改员工, not `staff.update`; 岗位：专员 → 主管,
not `position_id ['5', '2']`; 系统, not `system`. Every action the code base writes has a name."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

from lms.audit import vocabulary
from lms.audit.models import AuditEntry
from lms.audit.services import audit_record
from lms.organisations import services
from tests.factories.organisations import PositionFactory
from tests.organisations.tenancy import build_world

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(db):
    return build_world()


def test_a_changed_position_reads_by_the_positions_names(client, world):
    staff = world.learner_a
    old = staff.position
    staff.position = PositionFactory(organisation=staff.organisation, name="合规主管")
    services.staff_save(staff=staff, actor=world.head_a.user)
    entry = AuditEntry.objects.filter(action="staff.update").latest("pk")
    assert entry.data["changes"] == {"position": [old.name, "合规主管"]}

    client.force_login(world.head_a.user)
    listing = client.get(reverse("audit:index")).content.decode()
    assert "修改员工" in listing and ">staff.update<" not in listing
    page = client.get(reverse("audit:inspect", args=[entry.pk])).content.decode()
    assert f"岗位：{old.name} → 合规主管" in page
    assert "position_id" not in page and "staff.update" not in page


def test_an_older_entry_with_ids_still_reads_by_the_names(client, world):
    staff = world.learner_a
    other = PositionFactory(organisation=staff.organisation, name="合规专员")
    entry = audit_record(
        action="staff.update",
        target=staff,
        actor=world.head_a.user,
        data={"changes": {"position_id": [str(staff.position_id), str(other.pk)]}},
    )
    client.force_login(world.head_a.user)
    page = client.get(reverse("audit:inspect", args=[entry.pk])).content.decode()
    assert f"岗位：{staff.position.name} → 合规专员" in page


def test_an_entry_without_a_person_reads_system(client, world):
    entry = audit_record(action="department.create", target=world.departments["sales"])
    client.force_login(world.head_a.user)
    page = client.get(reverse("audit:inspect", args=[entry.pk])).content.decode()
    assert "系统" in page and "创建部门" in page
    assert ">system<" not in page and "department.create" not in page


# Django permission names ("commitments.add_commitmentcampaign") look like actions but are not
PERMISSION = re.compile(r"^[a-z_]+\.(add|change|delete|view)_[a-z]+$")


def _action_codes_in_the_code_base() -> set[str]:
    prefixes = {code.split(".")[0] for code in vocabulary.ACTIONS}
    pattern = re.compile(r"^([a-z_]+)\.[a-z_]+$")
    found = set()
    for package in ("lms", "assessments", "content", "certificates"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or "tests" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    match = pattern.match(node.value)
                    if match and match[1] in prefixes and not PERMISSION.match(node.value):
                        found.add(node.value)
    return found


def _not_actions() -> set[str]:
    """Strings of the same shape that name something else: Celery tasks, webhook events,
    models (an audit entry's object type)."""
    from django.apps import apps

    from lms.celery import app
    from lms.integrations import events

    app.loader.import_default_modules()
    models = {model._meta.label_lower for model in apps.get_models()}
    return set(app.tasks) | set(events.ALL) | models


def test_every_action_the_code_writes_has_a_name():
    codes = {
        code
        for code in _action_codes_in_the_code_base() - _not_actions()
        if not code.endswith("_")  # a prefix the code matches actions by
    }
    assert "certificate.revoke" in codes and "staff.update" in codes
    assert sorted(codes - set(vocabulary.ACTIONS)) == []
