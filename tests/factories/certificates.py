import factory

from certificates import services
from certificates.models import Certificate, CertificateTemplate
from tests.factories.organisations import OrganisationFactory, UserFactory, person

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
    """A certificate issued through the service (no source unless given). Unless named, the
    holder is on the roster of the issuing enterprise, which issues to its own people only."""
    template = template or CertificateTemplateFactory()
    if holder is None:
        issuer = template.issuing_organisation
        holder = (
            UserFactory(full_name="张小三")
            if issuer.is_regulator
            else person(issuer, user__full_name="张小三").user
        )
    return services.certificate_issue(
        holder=holder,
        kind=kind,
        source=source,
        template=template,
        title=title,
        score=score,
        issued_on=issued_on,
    )
