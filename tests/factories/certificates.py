import factory

from certificates import services
from certificates.models import Certificate, CertificateTemplate
from tests.factories.organisations import OrganisationFactory, UserFactory

WORDING = "兹证明{name}同志参加《{title}》考核，成绩{score}分，准予认定合格。有效期至{expires}。"


class CertificateTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificateTemplate

    title = "合规管理人员资格证书"
    wording = WORDING
    validity_months = 12
    signer_name = "王建国"
    signer_title = "首席合规官"
    issuing_organisation = factory.SubFactory(OrganisationFactory)


def issue(
    *,
    holder=None,
    template=None,
    kind=Certificate.Kind.EXAM_QUALIFICATION,
    source=None,
    title="2026年度合规知识考试",
    score=92,
    issued_on=None,
):
    """A certificate issued through the service (no source unless given)."""
    return services.certificate_issue(
        holder=holder or UserFactory(full_name="张小三"),
        kind=kind,
        source=source,
        template=template or CertificateTemplateFactory(),
        title=title,
        score=score,
        issued_on=issued_on,
    )
