"""The world of the cross-tenant sweep (tests/test_cross_tenant_sweep.py).

Organisation A owns one of everything a URL can name: people, a private course with lessons, a
curriculum and a training plan, a question bank, an exam with an open attempt, a certificate,
an image and a document, a roster import, a spot check of A run by regulator R1 with its
rectification. Every name of A's contains MARKER, so a page that shows anything of A's to an
outsider gives itself away, whatever its encoding (the marker is ASCII). B, its people, and R2
(a regulator whose jurisdiction is another region) are the outsiders.
"""

import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

MARKER = "ZQXA"


@dataclass
class SweepWorld:
    a: object
    b: object
    r1: object
    r2: object
    head_a: object  # Staff
    admin_a: object
    learner_a: object
    head_b: object
    learner_b: object
    officer_r1: object
    officer_r2: object
    platform_admin: object
    course: object
    lesson: object
    objects: dict = field(default_factory=dict)  # name -> A's object (see build_world)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()


def build_world() -> SweepWorld:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.admin.models import EditingSession
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import (
        Collection,
        GroupApprovalTask,
        Page,
        PageViewRestriction,
        TaskState,
        Workflow,
        WorkflowPage,
        WorkflowState,
    )
    from wagtail.models.media import UploadedFile

    from assessments import services as exam_services
    from assessments.models import AnnualExamTemplate, ExamKind, QuestionKind
    from assessments.spotchecks.models import (
        DrawnEnterprise,
        Rectification,
        RectificationAttachment,
        RectificationReport,
    )
    from certificates.models import CertificateRule, RenderJob
    from lms.learning.models import Enrolment, TrainingPlan, TrainingPlanItem
    from lms.notifications.models import Notification
    from lms.organisations import roles
    from lms.organisations.models import Appointment, ComplianceRole, Organisation, RosterImportJob
    from lms.organisations.roster import uploads
    from tests.factories import content as cf
    from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
    from tests.factories.certificates import CertificateTemplateFactory, issue
    from tests.factories.organisations import (
        DepartmentFactory,
        JurisdictionFactory,
        OrganisationFactory,
        PositionFactory,
        RegulatorFactory,
        UserFactory,
        person,
    )
    from tests.factories.spotchecks import World, run_to_drawn

    m = MARKER
    a = OrganisationFactory(name=f"{m}甲方网络科技有限公司", region_code="330106")
    b = OrganisationFactory(name="乙方电子商务有限公司", region_code="440305")
    r1 = RegulatorFactory(name=f"{m}杭州市场监管局", region_code="330100")
    JurisdictionFactory(
        regulator=r1, region_prefixes="3301", sectors=[Organisation.Sector.ONLINE_PLATFORM]
    )
    r2 = RegulatorFactory(name="深圳市场监管局", region_code="440300")
    JurisdictionFactory(regulator=r2, region_prefixes="4403")

    dept_a = DepartmentFactory(organisation=a, name=f"{m}法务部")
    clerk_a = PositionFactory(organisation=a, name=f"{m}专员")

    def a_person(role, name, email):
        return person(
            a,
            role=role,
            department=dept_a,
            user__full_name=f"{m}{name}",
            user__email=f"{m.lower()}.{email}@a.example",
            employee_number=f"{m}{email}",
        )

    head_a = a_person(ComplianceRole.COMPLIANCE_HEAD, "合规负责人", "head")
    admin_a = a_person(ComplianceRole.ADMIN_FULL_TIME, "合规管理员", "admin")
    learner_a = person(
        a,
        department=dept_a,
        position=clerk_a,
        user__full_name=f"{m}学员",
        user__email=f"{m.lower()}.learner@a.example",
        employee_number=f"{m}learner",
    )
    head_b = person(b, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="乙方负责人")
    learner_b = person(b, user__full_name="乙方学员")
    officer_r1 = person(r1, role=ComplianceRole.REGULATOR_OFFICER, user__full_name=f"{m}监管员")
    officer_r2 = person(r2, role=ComplianceRole.REGULATOR_OFFICER, user__full_name="深圳监管员")
    inspector_r1 = person(r1, role=ComplianceRole.REGULATOR_INSPECTOR, user__full_name=f"{m}检查员")
    platform_admin = UserFactory(full_name="平台管理员")
    platform_admin.groups.add(Group.objects.get(name=roles.PLATFORM_ADMIN))

    # content: A's private course, a curriculum and a training plan, an enrolment
    course = cf.course(title=f"{m}私有课程", owner=a, lessons=1)
    course.slug = "a-private-course"
    course.save_revision().publish()
    lesson = course.get_children().first().specific
    lesson.title = f"{m}第一课"
    lesson.save_revision().publish()
    revision = course.latest_revision
    curriculum = cf.curriculum(courses=[course], owner=a, name=f"{m}培训方案")
    plan = TrainingPlan.objects.create(organisation=a, year=2026, title=f"{m}年度培训计划")
    TrainingPlanItem.objects.create(plan=plan, curriculum=curriculum, target_date=date(2026, 12, 1))
    enrolment = Enrolment.objects.create(
        user=learner_a.user,
        staff=learner_a,
        course=course,
        source=Enrolment.Source.MANUAL,
        reason=f"{m}指派",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    notification = Notification.objects.create(
        user=learner_a.user,
        key=f"{m}-notice",
        kind="due",
        subject=f"{m}通知",
        body=f"{m}通知",
    )
    appointment = Appointment.objects.create(
        staff=learner_a, position=clerk_a, requested_by=head_a.user, note=f"{m}任职"
    )

    # media: an image (A's seal) and a document, in a collection named for A
    collection = Collection.get_first_root_node().add_child(name=f"{m}资料")
    image = get_image_model().objects.create(
        title=f"{m}印章",
        file=ContentFile(_png(), name="zqxa-seal.png"),
        collection=collection,
        uploaded_by_user=head_a.user,
    )
    document = get_document_model().objects.create(
        title=f"{m}制度文件",
        file=ContentFile(f"{m} 内部制度".encode(), name="zqxa-rules.txt"),
        collection=collection,
        uploaded_by_user=head_a.user,
    )
    uploaded_file = UploadedFile.objects.create(
        for_content_type=None,
        file=ContentFile(_png(), name="zqxa-upload.png"),
        uploaded_by_user=head_a.user,
    )

    # assessments: a bank, a blueprint, an exam with an open attempt, an annual template
    bank = make_bank(a, name=f"{m}题库")
    fill_bank(bank, count=3, stem=f"{m}单选题干")
    fill_bank(bank, count=1, kind=QuestionKind.SHORT_ANSWER, stem=f"{m}简答题干")
    blueprint = make_blueprint(bank, name=f"{m}组卷方案", sections=[{"count": 3, "points": 5}])
    exam = make_exam(
        a, blueprint=blueprint, title=f"{m}年度考试", users=[learner_a.user, admin_a.user]
    )
    attempt = exam_services.attempt_start(exam=exam, user=learner_a.user)
    item = attempt.items.order_by("pk").first()
    candidate = exam.candidates.get(user=learner_a.user)
    annual = exam_services.annual_template_save(
        template=AnnualExamTemplate(organisation=a, blueprint=blueprint, title=f"{m}年度考试模板")
    )

    # certificates: A's template (its seal), a rule, a certificate held by A's learner
    template = CertificateTemplateFactory(
        issuing_organisation=a, title=f"{m}证书", signer_name=f"{m}签发人", seal=image
    )
    rule = CertificateRule.objects.create(template=template, exam_kind=ExamKind.ANNUAL)
    certificate = issue(holder=learner_a.user, template=template, title=f"{m}考试合格")
    render_job = RenderJob.objects.create(
        requested_by=head_a.user, template=template, certificate_ids=[certificate.pk]
    )

    # roster: a kept upload and an import job of A's administrator
    token = uploads.upload_store(
        data=f"姓名,工号,邮箱\n{m}新人,{m}9,{m.lower()}9@a.example\n".encode(),
        file_name=f"{m}花名册.csv",
        user_id=admin_a.user.pk,
        organisation_id=a.pk,
    )
    roster_job = RosterImportJob.objects.create(
        organisation=a,
        requested_by=admin_a.user,
        token=f"{m}-job-token",
        file_name=f"{m}花名册.xlsx",
    )

    # spot check: R1 draws A; A owes a rectification with an attachment
    spot = World(
        regulator=r1,
        officer=officer_r1.user,
        inspectors=[inspector_r1],
        enterprises=[a],
        blueprint=None,
    )
    r1_bank = make_bank(r1, name=f"{m}监管题库")
    fill_bank(r1_bank, count=3, stem=f"{m}监管题干")
    spot.blueprint = make_blueprint(r1_bank, sections=[{"count": 1, "points": 10}])
    campaign = run_to_drawn(
        spot,
        title=f"{m}抽查活动",
        enterprise_count_value=1,
        inspectors_per_enterprise=1,
        scope_region_prefix="3301",
    )
    drawn = DrawnEnterprise.objects.get(campaign=campaign, enterprise=a)
    rectification = Rectification.objects.create(
        drawn_enterprise=drawn,
        notice=f"{m}整改通知",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    report = RectificationReport.objects.create(
        rectification=rectification, text=f"{m}整改报告", submitted_by=head_a.user
    )
    attachment = RectificationAttachment.objects.create(
        report=report,
        file=SimpleUploadedFile("zqxa-report.pdf", b"%PDF-1.4 ZQXA"),
        name=f"{m}报告.pdf",
        size=13,
    )

    # Wagtail: a privacy restriction, a workflow running on A's lesson, an editing session
    restriction = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.PASSWORD, password=f"{m}secret"
    )
    # Workflows and their tasks are the platform's (Wagtail has no owner for them), so their
    # names carry no marker; the workflow's state on A's lesson is A's.
    workflow = Workflow.objects.create(name="课程审批流程")
    task = GroupApprovalTask.objects.create(name="课程审批任务")
    task.groups.add(Group.objects.get(name=roles.COMPLIANCE_HEAD))
    workflow.workflow_tasks.create(task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=course)
    # A workflow waiting on A's lesson, written directly: Wagtail's start() would finish (and
    # publish) at once when it finds its task not yet startable in this transaction.
    workflow_state = WorkflowState.objects.create(
        content_type=lesson.content_type,
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=str(lesson.pk),
        workflow=workflow,
        status=WorkflowState.STATUS_IN_PROGRESS,
        requested_by=learner_a.user,
    )
    task_state = TaskState.objects.create(
        workflow_state=workflow_state,
        revision=lesson.latest_revision,
        task=task,
        status=TaskState.STATUS_IN_PROGRESS,
        content_type=ContentType.objects.get_for_model(TaskState),
    )
    workflow_state.current_task_state = task_state
    workflow_state.save(update_fields=["current_task_state"])
    editing_session = EditingSession.objects.create(
        user=head_a.user,
        content_type=course.content_type,
        object_id=str(course.pk),
        last_seen_at=timezone.now(),
    )
    from wagtail.contrib.redirects.models import Redirect

    redirect = Redirect.objects.create(old_path=f"/{m.lower()}-old", redirect_page=course)
    from lms.records.services import violation_report

    violation = violation_report(
        actor=head_a.user,
        staff=learner_a,
        occurred_on=timezone.localdate(),
        nature=f"{m}违规性质",
        severity="general",
        description=f"{m}违规情况描述",
    )
    from lms.duties.services import duty_entry_record

    duty_entry = duty_entry_record(
        actor=admin_a.user,
        organisation_id=a.pk,
        kind="self_inspection",
        occurred_on=timezone.localdate(),
        department_id=dept_a.pk,
        description=f"{m}合规自查情况",
        opinion=f"{m}书面意见",
        files=[SimpleUploadedFile(f"{m}意见书.pdf", b"%PDF-1.4 sweep", "application/pdf")],
    )

    from lms.commitments import services as commitments
    from lms.commitments.models import CommitmentCampaign, CommitmentTemplate

    commitment_template = CommitmentTemplate.objects.create(
        organisation=a, title=f"{m}合规承诺书", body=f"本人{{name}}，{m}承诺。"
    )
    commitment_campaign = CommitmentCampaign.objects.create(
        template=commitment_template,
        title=f"{m}签署活动",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    commitments.campaign_launch(campaign=commitment_campaign)
    commitment_signature = commitments.commitment_sign(
        signature_id=commitment_campaign.signatures.get(staff=learner_a).pk,
        user=learner_a.user,
        typed_name=learner_a.user.full_name,
        confirmed=True,
    )

    from lms.integrations import services as integrations
    from lms.integrations.models import WebhookDelivery
    from lms.records import services as records_services

    api_key_a, _ = integrations.api_key_create(
        actor=head_a.user, organisation=a, name=f"{m}HR系统", scope="write"
    )
    _, api_key_b_secret = integrations.api_key_create(
        actor=head_b.user, organisation=b, name="乙方HR系统", scope="write"
    )
    webhook_a = integrations.webhook_endpoint_create(
        actor=head_a.user,
        organisation=a,
        url=f"https://{m.lower()}.a.example/hook",
        event_names=["exam.finalised"],
    )
    webhook_delivery_a = WebhookDelivery.objects.create(
        endpoint=webhook_a,
        event="exam.finalised",
        payload={"data": {"person": f"{m}学员"}},
        status=WebhookDelivery.Status.FAILED,
    )
    ledger_entry_a = records_services.record_entry(
        staff=learner_a,
        kind="exam_failed",
        source=dept_a,
        occurred_at=timezone.now() - timedelta(days=400),
        year=timezone.localdate().year - 1,
        summary=f"{m}年度考试未通过",
    )
    closed_year_a = records_services.year_close(
        actor=head_a.user, organisation=a, year=timezone.localdate().year - 1
    )

    from lms.dispatch.quarters import quarter_of
    from lms.dispatch.services import meeting_record

    dispatch_meeting = meeting_record(
        actor=head_a.user,
        organisation_id=a.pk,
        quarter=quarter_of(timezone.localdate()),
        held_on=timezone.localdate(),
        attendee_ids=[head_a.pk, learner_a.pk],
        minutes=f"{m}调度纪要",
        decisions=f"{m}议定事项",
        priorities=f"{m}下季度重点",
        files=[SimpleUploadedFile(f"{m}调度材料.pdf", b"%PDF-1.4 sweep", "application/pdf")],
    )

    from lms.dutylists.models import DutyAcknowledgement
    from tests.factories.dutylists import key_position, write

    duty_post_a = key_position(a, f"{m}采购专员")
    duty_holder_a = person(
        a,
        department=dept_a,
        position=duty_post_a,
        user__full_name=f"{m}采购员",
        user__email=f"{m.lower()}.buyer@a.example",
        employee_number=f"{m}buyer",
    )
    write(head_a.user, duty_post_a, f"{m}不收受供应商回扣。")
    duty_acknowledgement = DutyAcknowledgement.objects.get(staff=duty_holder_a)

    from lms.archive import services as archive_services
    from lms.archive.models import InspectionArchive

    inspection_archive = InspectionArchive.objects.create(
        organisation=a,
        start=date(timezone.localdate().year, 1, 1),
        end=timezone.localdate(),
        requested_by=head_a.user,
    )
    archive_services.archive_build_here(archive_id=inspection_archive.pk)

    from lms.consultations import services as consultations

    consultation = consultations.question_ask(
        actor=learner_a.user,
        text=f"{m}合规咨询",
        lesson_id=lesson.pk,
        files=[SimpleUploadedFile(f"{m}说明.pdf", b"%PDF-1.4 sweep", "application/pdf")],
    )
    consultations.question_answer(actor=head_a.user, question_id=consultation.pk, answer=f"{m}答复")
    faq_entry = consultations.faq_publish(actor=head_a.user, question_id=consultation.pk)
    violation_report = consultations.report_submit(
        actor=learner_a.user,
        subject=f"{m}举报",
        description=f"{m}举报内容",
        anonymous=True,
        files=[SimpleUploadedFile(f"{m}证据.pdf", b"%PDF-1.4 sweep", "application/pdf")],
    )

    from lms.oversight.services import self_inspection_submit

    self_inspection = self_inspection_submit(
        actor=head_a.user,
        organisation_id=a.pk,
        year=timezone.localdate().year - 1,
        upload=SimpleUploadedFile(f"{m}自查报告.pdf", b"%PDF-1.4 sweep", "application/pdf"),
    )

    from lms.sso import services as sso_services
    from lms.sso.models import IdentityProvider

    # A's OpenID Connect provider, at a loopback port nothing listens on: its doors must
    # answer (a 404, a redirect or a page saying it cannot be reached), never a server error.
    identity_provider_a = sso_services.identity_provider_save(
        actor=head_a.user,
        provider=IdentityProvider(),
        data={
            "organisation": a,
            "kind": IdentityProvider.Kind.OIDC,
            "name": f"{m}统一认证",
            "client_id": f"{m}-client",
            "server_url": "http://127.0.0.1:9/o",
            "password_sign_in_allowed": False,
        },
        secret=f"{m}-secret-value",
    )

    objects = {
        "identity_provider": identity_provider_a,
        "api_key": api_key_a,
        "api_key_b_secret": api_key_b_secret,
        "webhook_endpoint": webhook_a,
        "webhook_delivery": webhook_delivery_a,
        "ledger_entry": ledger_entry_a,
        "appraisal": closed_year_a.appraisals.order_by("pk").first(),
        "dispatch_meeting": dispatch_meeting,
        "dispatch_attachment": dispatch_meeting.attachments.get(),
        "inspection_archive": inspection_archive,
        "commitment_template": commitment_template,
        "commitment_campaign": commitment_campaign,
        "commitment_signature": commitment_signature,
        "organisation": a,
        "duty_position": duty_post_a,
        "duty_acknowledgement": duty_acknowledgement,
        "duty_entry": duty_entry,
        "self_inspection": self_inspection,
        "duty_attachment": duty_entry.attachments.get(),
        "consultation": consultation,
        "consultation_attachment": consultation.attachments.get(),
        "faq_entry": faq_entry,
        "violation_report": violation_report,
        "violation_report_attachment": violation_report.attachments.get(),
        "department": dept_a,
        "position": clerk_a,
        "staff": learner_a,
        "violation": violation,
        "appointment": appointment,
        "user": learner_a.user,
        "course": course,
        "lesson": lesson,
        "revision": revision,
        "curriculum": curriculum,
        "training_plan": plan,
        "enrolment": enrolment,
        "notification": notification,
        "collection": collection,
        "image": image,
        "document": document,
        "uploaded_file": uploaded_file,
        "bank": bank,
        "question": bank.questions.order_by("pk").first(),
        "blueprint": blueprint,
        "exam": exam,
        "candidate": candidate,
        "attempt": attempt,
        "attempt_item": item,
        "annual_template": annual,
        "certificate_template": template,
        "certificate_rule": rule,
        "certificate": certificate,
        "render_job": render_job,
        "roster_token": token,
        "roster_job": roster_job,
        "campaign": campaign,
        "drawn_enterprise": drawn,
        "rectification": rectification,
        "attachment": attachment,
        "restriction": restriction,
        "workflow": workflow,
        "task": task,
        "workflow_state": workflow_state,
        "task_state": task_state,
        "editing_session": editing_session,
        "redirect": redirect,
        "group": Group.objects.get(name=roles.COMPLIANCE_HEAD),
        "jurisdiction": r1.jurisdiction,
        "audit_entry": _first_audit_entry(a),
    }
    return SweepWorld(
        a=a,
        b=b,
        r1=r1,
        r2=r2,
        head_a=head_a,
        admin_a=admin_a,
        learner_a=learner_a,
        head_b=head_b,
        learner_b=learner_b,
        officer_r1=officer_r1,
        officer_r2=officer_r2,
        platform_admin=platform_admin,
        course=course,
        lesson=lesson,
        objects=objects,
    )


def _first_audit_entry(organisation):
    from lms.audit.models import AuditEntry

    return AuditEntry.objects.filter(organisation=organisation).order_by("pk").first()
