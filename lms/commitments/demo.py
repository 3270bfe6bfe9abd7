"""Demo commitment letters at 云集优选: a letter, a signing campaign for everyone (some have
signed, some not yet) and a new-hire campaign that picks up people as they join. At 城投集团, a
management campaign run across the group by its CCO, reaching 城投置业 (some of whom have not
signed yet). Safe to run again."""

from datetime import timedelta

from django.utils import timezone

from lms.organisations.models import Organisation, Staff

from . import services
from .models import CommitmentCampaign, CommitmentSignature, CommitmentTemplate

LETTER = """本人{name}（工号：{employee_number}），现任{organisation}{position}。为深入贯彻落实合规管理要求，本人郑重承诺：
一、认真学习并严格遵守国家法律法规、监管规定、行业准则和公司规章制度，依法合规履行岗位职责；
二、不利用职务便利谋取不正当利益，不收受商业贿赂，不泄露商业秘密和个人信息；
三、主动识别和报告本岗位合规风险，积极配合合规审查、检查和调查；
四、如有违反，自愿接受公司依规依纪作出的处理，并承担相应责任。
承诺人：{name}
{date}"""

SIGNERS = ("head", "admin", "mgr1", "mgr2", "buyer")
# who signs the group-wide campaign: the group's own and, at 城投置业, its head only
GROUP_SIGNERS = ("cco@chengtou.demo", "head@chengtou.demo", "gm@chengtou.demo", "head@zhiye.demo")


def seed(*, stdout=None) -> None:
    _seed_yunji(stdout)
    _seed_group(stdout)


def _seed_group(stdout) -> None:
    cco = Staff.objects.filter(user__email="cco@chengtou.demo").select_related("user").first()
    if cco is None:
        return
    template, _ = CommitmentTemplate.objects.get_or_create(
        organisation=cco.organisation, title="集团管理人员合规承诺书", defaults={"body": LETTER}
    )
    today = timezone.localdate()
    campaign = CommitmentCampaign.objects.filter(template=template).first()
    if campaign is None:
        campaign = services.commitment_campaign_save(
            campaign=CommitmentCampaign(
                template=template,
                title=f"{today.year}年度集团管理人员合规承诺",
                audience=CommitmentCampaign.Audience.MANAGEMENT,
                include_subsidiaries=True,
                due_on=today + timedelta(days=21),
            ),
            actor=cco.user,
        )
    pending = CommitmentSignature.objects.filter(
        campaign=campaign,
        status=CommitmentSignature.Status.PENDING,
        user__email__in=GROUP_SIGNERS,
    ).select_related("user")
    for signature in pending:
        services.commitment_sign(
            signature_id=signature.pk,
            user=signature.user,
            typed_name=signature.user.full_name,
            confirmed=True,
            ip_address="192.0.2.11",
            user_agent="Mozilla/5.0 (demo)",
        )
    if stdout is not None:
        counts = campaign.signatures.values_list("status", flat=True)
        signed = sum(1 for s in counts if s == CommitmentSignature.Status.SIGNED)
        stdout.write(
            f"  commitments: {signed} of {len(counts)} signed across 城投集团 and 城投置业"
        )


def _seed_yunji(stdout) -> None:
    org = Organisation.objects.filter(staff__user__email="head@yunji.demo").first()
    head = Staff.objects.filter(user__email="head@yunji.demo").select_related("user").first()
    if org is None or head is None:
        return
    template, _ = CommitmentTemplate.objects.get_or_create(
        organisation=org, title="合规承诺书", defaults={"body": LETTER}
    )
    today = timezone.localdate()
    campaign, created = CommitmentCampaign.objects.get_or_create(
        template=template,
        title=f"{today.year}年度全员合规承诺书签署",
        defaults={
            "audience": CommitmentCampaign.Audience.EVERYONE,
            "due_on": today + timedelta(days=14),
            "created_by": head.user,
        },
    )
    if created:
        services.campaign_launch(campaign=campaign, actor=head.user)
    pending = CommitmentSignature.objects.filter(
        campaign=campaign,
        status=CommitmentSignature.Status.PENDING,
        user__email__in=[f"{login}@yunji.demo" for login in SIGNERS],
    ).select_related("user")
    for signature in pending:
        services.commitment_sign(
            signature_id=signature.pk,
            user=signature.user,
            typed_name=signature.user.full_name,
            confirmed=True,
            ip_address="192.0.2.10",
            user_agent="Mozilla/5.0 (demo)",
        )
    onboarding, created = CommitmentCampaign.objects.get_or_create(
        template=template,
        title="新员工入职合规承诺",
        defaults={
            "audience": CommitmentCampaign.Audience.NEW_HIRES,
            "new_hire_days": 30,
            "due_on": today + timedelta(days=365),
            "created_by": head.user,
        },
    )
    if created:
        services.campaign_launch(campaign=onboarding, actor=head.user)
    if stdout is not None:
        counts = campaign.signatures.values_list("status", flat=True)
        signed = sum(1 for s in counts if s == CommitmentSignature.Status.SIGNED)
        stdout.write(f"  commitments: {signed} of {len(counts)} signed at {org.name}")
