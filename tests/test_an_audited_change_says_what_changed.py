"""Every audited update records the before and after of what it changed (issue 10): a question
bank renamed, an exam's time limit, a certificate template's wording, a training plan, a spot
check's scope, a commitment letter's text. The compliance head reads it in words on the entry's
page, by the fields' names."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as exams
from certificates import services as certificates
from lms.audit.models import AuditEntry
from lms.audit.services import audited_save, editable_fields
from lms.commitments import services as commitments
from lms.learning import services as learning
from lms.learning.models import TrainingPlan
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import make_bank, make_exam
from tests.factories.certificates import CertificateTemplateFactory
from tests.factories.commitments import CommitmentTemplateFactory
from tests.factories.organisations import OrganisationFactory, person
from tests.factories.spotchecks import make_campaign, make_world

pytestmark = pytest.mark.django_db


def latest(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("pk")


def test_a_renamed_question_bank_keeps_both_names():
    org = OrganisationFactory()
    bank = make_bank(org, name="反垄断题库")
    created = latest("question_bank.create")
    assert created.data["changes"]["name"] == [None, "反垄断题库"]

    bank.name = "反垄断与反不正当竞争题库"
    exams.bank_save(bank=bank)
    assert latest("question_bank.update").data["changes"] == {
        "name": ["反垄断题库", "反垄断与反不正当竞争题库"]
    }


def test_a_save_that_changes_nothing_says_so_by_saying_nothing():
    org = OrganisationFactory()
    bank = make_bank(org)
    exams.bank_save(bank=bank)
    assert latest("question_bank.update").data == {}


def test_an_exams_time_limit_change_is_read_by_the_head_in_words(client):
    org = OrganisationFactory()
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    exam = make_exam(org, time_limit_minutes=60)
    exam.time_limit_minutes = 45
    exam.closes_at = exam.closes_at + timedelta(days=1)
    exams.exam_save(exam=exam, actor=head.user)
    entry = latest("exam.update")
    assert entry.data["changes"]["time_limit_minutes"] == [60, 45]
    assert set(entry.data["changes"]) == {"time_limit_minutes", "closes_at"}

    client.force_login(head.user)
    page = client.get(reverse("audit:inspect", args=[entry.pk])).content.decode()
    assert "60 → 45" in page
    assert "time_limit_minutes" not in page


def test_a_refused_exam_change_writes_no_entry():
    org = OrganisationFactory()
    exam = make_exam(org)
    before = AuditEntry.objects.count()
    exam.closes_at = exam.opens_at - timedelta(hours=1)
    with pytest.raises(Exception):  # noqa: B017 - the model's own validation message
        exams.exam_save(exam=exam)
    assert AuditEntry.objects.count() == before


def test_a_certificate_templates_new_wording_is_kept_beside_the_old():
    template = CertificateTemplateFactory()
    old = template.wording
    template.wording = "兹证明{name}同志考核合格。"
    certificates.certificate_template_save(template=template)
    assert latest("certificate_template.update").data["changes"] == {
        "wording": [old, "兹证明{name}同志考核合格。"]
    }


def test_a_training_plans_title_change_is_recorded():
    org = OrganisationFactory()
    plan = learning.training_plan_save(
        plan=TrainingPlan(organisation=org, year=2026, title="年度培训计划")
    )
    plan.title = "2026年度合规培训计划"
    learning.training_plan_save(plan=plan)
    assert latest("training_plan.update").data["changes"] == {
        "title": ["年度培训计划", "2026年度合规培训计划"]
    }


def test_a_spot_checks_scope_change_names_the_enterprises_added():
    world = make_world(enterprises=3)
    first, second, third = world.enterprises
    campaign = make_campaign(world, include=[first.pk])
    from assessments.spotchecks import services as spotchecks

    spotchecks.campaign_save(
        campaign=campaign, actor=world.officer, include_ids=[first.pk, third.pk]
    )
    changes = latest("spotcheck.campaign_update").data["changes"]
    assert changes == {"scope_include": [[first.name], sorted([first.name, third.name])]}


def test_a_commitment_letters_new_text_is_kept_beside_the_old():
    org = OrganisationFactory()
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    template = CommitmentTemplateFactory(organisation=org)
    old = template.body
    template.body = "本人{name}承诺依法合规履职。"
    commitments.commitment_template_save(template=template, actor=head.user)
    entry = latest("commitments.template_changed")
    assert entry.data["changes"] == {"body": [old, "本人{name}承诺依法合规履职。"]}


def test_the_tracked_fields_are_what_people_edit():
    fields = editable_fields(TrainingPlan)
    assert "title" in fields and "organisation" in fields
    assert "id" not in fields
    assert all(not name.endswith("_at") or name != "created_at" for name in fields)


def test_audited_save_runs_the_callers_check_before_saving():
    org = OrganisationFactory()
    plan = TrainingPlan(organisation=org, year=2026, title="计划")

    def refuse():
        from django.core.exceptions import ValidationError

        raise ValidationError("no")

    with pytest.raises(Exception):  # noqa: B017
        audited_save(plan, validate=refuse)
    assert plan.pk is None
    assert not AuditEntry.objects.filter(action="trainingplan.create").exists()
    assert timezone.now()
