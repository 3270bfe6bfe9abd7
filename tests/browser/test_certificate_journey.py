"""A person passes the annual exam; the certificate appears in 我的证书, its PDF downloads with
Chinese text and a QR code, the QR code opens the verification page; revoked, it says 已撤销."""

from pathlib import Path

import pytest

from assessments import services as exam_services
from assessments.models import ExamKind
from certificates import services
from certificates.models import CertificateRule
from lms.organisations.models import ComplianceRole
from tests.browser.conftest import sign_in
from tests.certificates.conftest import pdf_page_png, pdf_text, read_qr_codes
from tests.factories.assessments import make_exam
from tests.factories.certificates import CertificateTemplateFactory
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db(transaction=True)


def pass_exam(exam, user):
    attempt = exam_services.attempt_start(exam=exam, user=user)
    for item in attempt.items.select_related("question"):
        exam_services.response_save(
            attempt_id=attempt.pk,
            user_id=user.pk,
            question_id=item.question_id,
            answer=item.question.key,
            seq=1,
        )
    return exam_services.attempt_submit(attempt_id=attempt.pk, user=user)


def test_a_passed_exam_becomes_a_verifiable_certificate(page, live_server, settings, org, tmp_path):
    settings.BASE_URL = live_server.url  # the QR code must lead to this test server
    learner = person(org, role=ComplianceRole.ADMIN_FULL_TIME).user
    learner.full_name = "张小三"
    learner.save()
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    template = CertificateTemplateFactory(issuing_organisation=org)
    services.certificate_rule_save(
        rule=CertificateRule(template=template, exam_kind=ExamKind.ANNUAL)
    )
    exam = make_exam(org, kind=ExamKind.ANNUAL, users=[learner], title="2026年度合规知识考试")
    assert pass_exam(exam, learner).passed

    sign_in(page, live_server, learner.email)
    page.get_by_role("link", name="我的证书").first.click()
    card = page.locator("section.cert").first
    card.wait_for()
    assert "2026年度合规知识考试" in card.inner_text()
    assert "有效" in card.locator(".cert-status").inner_text()

    with page.expect_download() as download_info:
        card.get_by_role("link", name="下载 PDF").click()
    pdf_bytes = Path(download_info.value.path()).read_bytes()
    assert pdf_bytes.startswith(b"%PDF")
    assert download_info.value.suggested_filename.startswith("HG-")

    text = pdf_text(pdf_bytes, tmp_path)
    assert "合规管理人员资格证书" in text and "张小三" in text
    png = pdf_page_png(pdf_bytes, tmp_path)
    [qr_url] = read_qr_codes(png)
    assert qr_url.startswith(f"{live_server.url}/verify/")

    page.goto(qr_url)
    result = page.locator(".verify-result")
    assert "此证书真实有效" in result.inner_text()
    assert "张*三" in result.inner_text() and "张小三" not in result.inner_text()

    certificate = learner.certificates.get()
    services.certificate_revoke(certificate=certificate, reason="考试违纪", actor=head)
    page.reload()
    assert "已撤销" in page.locator(".verify-result .cert-status").inner_text()
