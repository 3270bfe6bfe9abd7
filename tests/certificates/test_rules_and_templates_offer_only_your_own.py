"""The certificate admin's forms offer an administrator only what is theirs to use: courses they
may use for a rule, never another organisation's private course; never another organisation's
seal for a template. An id that was not offered is refused."""

import io

import pytest
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image

from certificates.models import CertificateRule, CertificateTemplate
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.certificates import CertificateTemplateFactory
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(org):
    return person(org, role=ComplianceRole.COMPLIANCE_HEAD).user


def seal(title):
    from wagtail.models import Collection

    # A transactional test's flush may have taken the root collection the migrations made.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    buffer = io.BytesIO()
    PILImage.new("RGBA", (8, 8), (200, 22, 29, 220)).save(buffer, format="PNG")
    image = Image(title=title)
    image.file = ImageFile(buffer, name="seal.png")
    image.save()
    return image


def test_a_rule_offers_the_courses_the_organisation_may_use(client, head, org, other_org):
    from certificates.wagtail_hooks import CertificateRuleForm

    platform = cf.course(title="平台通用合规课程", lessons=0)
    ours = cf.course(title="本公司内部课程", lessons=0, owner=org)
    private = cf.course(title="别家企业内部课程", lessons=0, owner=other_org)
    offered = set(
        CertificateRuleForm(for_user=head).fields["course"].queryset.values_list("pk", flat=True)
    )
    assert {platform.pk, ours.pk} <= offered
    assert private.pk not in offered

    template = CertificateTemplateFactory(issuing_organisation=org)
    client.force_login(head)
    response = client.post(
        reverse("certificate_rules:add"),
        {"template": template.pk, "course": private.pk, "exam_kind": ""},
    )
    assert response.status_code == 200
    assert not CertificateRule.objects.exists()
    assert "别家企业内部课程" not in response.content.decode()

    client.post(
        reverse("certificate_rules:add"),
        {"template": template.pk, "course": platform.pk, "exam_kind": ""},
    )
    assert CertificateRule.objects.get().course_id == platform.pk


def test_a_template_cannot_take_another_organisations_seal(client, head, org, other_org):
    from certificates.wagtail_hooks import CertificateTemplateForm

    theirs = seal("印章 · 别家企业")
    CertificateTemplateFactory(issuing_organisation=other_org, seal=theirs)
    ours = seal("印章 · 本公司")
    offered = CertificateTemplateForm(for_user=head).fields["seal"].queryset
    assert offered.filter(pk=ours.pk).exists() and not offered.filter(pk=theirs.pk).exists()

    client.force_login(head)
    form = {
        "issuing_organisation": org.pk,
        "title": "合规培训合格证书",
        "wording": "兹证明{name}完成《{title}》",
        "validity_months": 12,
        "signer_name": "王建国",
        "signer_title": "首席合规官",
    }
    refused = client.post(reverse("certificate_templates:add"), {**form, "seal": theirs.pk})
    assert refused.status_code == 200
    assert not CertificateTemplate.objects.filter(issuing_organisation=org).exists()
    client.post(reverse("certificate_templates:add"), {**form, "seal": ours.pk})
    assert CertificateTemplate.objects.get(issuing_organisation=org).seal == ours


def test_the_certificate_lists_template_filter_offers_only_templates_in_the_list(
    client, head, org, other_org
):
    from tests.factories.certificates import issue

    ours = CertificateTemplateFactory(issuing_organisation=org, title="本公司结业证书")
    theirs = CertificateTemplateFactory(issuing_organisation=other_org, title="别家企业资格证书")
    issue(template=ours)
    issue(template=theirs)
    client.force_login(head)
    page = client.get(reverse("certificates_admin:index")).content.decode()
    assert "本公司结业证书" in page
    assert "别家企业资格证书" not in page
    assert other_org.name not in page
    refused = client.get(reverse("certificates_admin:index"), {"template": theirs.pk})
    assert "别家企业资格证书" not in refused.content.decode()
