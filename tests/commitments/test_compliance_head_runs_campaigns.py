"""A compliance head writes the letter and launches a campaign in the admin; the campaign list
counts who signed, who has not and who is overdue. Another organisation's head sees none of it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.commitments import demo
from lms.commitments.models import CommitmentCampaign, CommitmentSignature, CommitmentTemplate
from lms.organisations import demo as organisations_demo
from lms.organisations.models import ComplianceRole
from tests.factories.commitments import LETTER, launched
from tests.factories.organisations import PASSWORD, OrganisationFactory, person

pytestmark = pytest.mark.django_db


def login(client, staff):
    client.login(username=staff.user.email, password=PASSWORD)


def test_the_head_writes_a_letter_and_launches_a_campaign(client):
    org = OrganisationFactory()
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    clerks = [person(org) for _ in range(2)]
    login(client, head)
    response = client.post(
        reverse("commitment_templates:add"),
        {"organisation": org.pk, "title": "员工合规承诺书", "body": LETTER},
    )
    assert response.status_code == 302, response.context["form"].errors
    template = CommitmentTemplate.objects.get(organisation=org)
    response = client.post(
        reverse("commitment_campaigns:add"),
        {
            "template": template.pk,
            "title": "年度签署",
            "audience": "everyone",
            "new_hire_days": 30,
            "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    campaign = CommitmentCampaign.objects.get(template=template)
    assert {s.staff_id for s in campaign.signatures.all()} >= {c.pk for c in clerks}


def test_a_bad_placeholder_in_the_admin_form_is_shown_on_the_form(client):
    org = OrganisationFactory()
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    login(client, head)
    response = client.post(
        reverse("commitment_templates:add"),
        {"organisation": org.pk, "title": "坏模板", "body": "本人{name}，籍贯{hometown}"},
    )
    assert response.status_code == 200
    assert "{hometown}" in response.content.decode()
    assert not CommitmentTemplate.objects.exists()


def test_the_campaign_list_counts_signed_pending_and_overdue(client):
    org = OrganisationFactory()
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
    clerk = person(org)
    past = launched(org, due_on=timezone.localdate() - timedelta(days=1), title="逾期活动")
    CommitmentSignature.objects.filter(campaign=past, staff=clerk).update(status="signed")
    from lms.commitments.selectors import campaigns_with_counts

    row = campaigns_with_counts(CommitmentCampaign.objects.filter(pk=past.pk)).get()
    total = past.signatures.count()
    assert (row.n_signed, row.n_pending, row.n_overdue) == (1, total - 1, total - 1)
    other_org = OrganisationFactory()
    launched(other_org, title="别家的活动")
    login(client, head)
    page = client.get(reverse("commitment_campaigns:index")).content.decode()
    assert "逾期活动" in page and "别家的活动" not in page


def test_the_demo_has_a_campaign_with_some_signed_and_runs_twice():
    organisations_demo.seed()
    demo.seed()
    demo.seed()
    campaign = CommitmentCampaign.objects.get(audience="everyone")
    statuses = list(campaign.signatures.values_list("status", flat=True))
    assert "signed" in statuses and "pending" in statuses
    # one letter at 云集优选, one for the group-wide campaign at 城投集团: none added on the rerun
    assert CommitmentTemplate.objects.count() == 2
    assert (
        CommitmentTemplate.objects.filter(organisation=campaign.template.organisation).count() == 1
    )
