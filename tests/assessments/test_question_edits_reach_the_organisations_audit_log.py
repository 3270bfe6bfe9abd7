"""A question's edit, new version and retirement are logged under its bank's organisation, so
that organisation's compliance head reads them in the audit log (and no other head does)."""

import pytest
from django.urls import reverse

from assessments import services
from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "single",
    "difficulty": 2,
    "option_A": "一",
    "option_B": "二",
    "key_text": "B",
    "explanation": "",
    "tags_text": "数据保护",
    "regulation_reference": "",
}


def test_question_edits_show_in_the_organisations_audit_log(client, org, other_org, learner):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME).user
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    other_head = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user
    bank = make_bank(org)
    first, second = fill_bank(bank, count=4)[:2]
    client.force_login(admin)

    edit = {**FORM, "bank": bank.pk, "stem": "改过的题干"}
    assert client.post(reverse("questions:edit", args=[first.pk]), edit).status_code == 302
    exam = make_exam(org, blueprint=make_blueprint(bank, sections=[{"count": 4}]), users=[learner])
    services.attempt_start(exam=exam, user=learner)  # now used: an edit makes a new version
    edit = {**edit, "stem": "第二版题干"}
    assert client.post(reverse("questions:edit", args=[first.pk]), edit).status_code == 302
    services.question_retire(question=second, actor=admin)

    entries = AuditEntry.objects.filter(
        action__in=["question.update", "question.new_version", "question.retire"]
    )
    assert sorted(e.action for e in entries) == [
        "question.new_version",
        "question.retire",  # the used version, retired by the new one, is not audited again
        "question.update",
    ]
    assert {e.organisation_id for e in entries} == {org.pk}

    client.force_login(head)
    log = client.get("/admin/audit/?action=question.new_version").content.decode()
    assert "question.new_version" in log and "第二版题干" in log
    client.force_login(other_head)
    assert "question.new_version" not in client.get("/admin/audit/").content.decode()
