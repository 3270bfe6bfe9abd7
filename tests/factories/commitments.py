from datetime import timedelta

import factory
from django.utils import timezone

from lms.commitments.models import CommitmentCampaign, CommitmentTemplate

LETTER = (
    "本人{name}（工号{employee_number}），系{organisation}{position}，郑重承诺：\n"
    "严格遵守法律法规和公司合规管理制度，依法合规履行岗位职责。\n"
    "承诺人：{name}\n{date}"
)


class CommitmentTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentTemplate

    title = factory.Sequence(lambda n: f"合规承诺书{n}")
    body = LETTER


class CommitmentCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentCampaign

    template = factory.SubFactory(CommitmentTemplateFactory)
    title = factory.Sequence(lambda n: f"签署活动{n}")
    audience = CommitmentCampaign.Audience.EVERYONE
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


def launched(organisation, **kwargs):
    from lms.commitments import services

    campaign = CommitmentCampaignFactory(
        template=CommitmentTemplateFactory(organisation=organisation), **kwargs
    )
    services.campaign_launch(campaign=campaign)
    return campaign
