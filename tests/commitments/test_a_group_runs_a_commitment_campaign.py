"""The group's compliance head or CCO runs a commitment letter campaign across its
subsidiaries: the audience spans the group and every subsidiary below it, each person signs
their own letter (naming their own organisation), the group sees completion per subsidiary and
a subsidiary's head their own people only. No one else runs it; a sibling never sees another
sibling's signatures (issue 11 item 5)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lms.commitments import selectors, services
from lms.commitments.models import CommitmentCampaign, CommitmentSignature, CommitmentTemplate
from tests.factories.commitments import LETTER
from tests.factories.organisations import PASSWORD, person
from tests.organisations.group_world import build_group_world

pytestmark = pytest.mark.django_db


def fresh(staff):
    return type(staff.user).objects.get(pk=staff.user_id)


@pytest.fixture
def world(db):
    world = build_group_world()
    world.grandchild_learner = person(world.grandchild)
    world.sibling_learner = person(world.sibling, user__full_name="建设甲")
    world.other_learner = person(world.other)
    world.letter = CommitmentTemplate.objects.create(
        organisation=world.group, title="集团合规承诺书", body=LETTER
    )
    return world


def group_campaign(world, actor, **extra):
    fields = {
        "template": world.letter,
        "title": "集团2026年度合规承诺",
        "audience": CommitmentCampaign.Audience.EVERYONE,
        "include_subsidiaries": True,
        "due_on": timezone.localdate() + timedelta(days=14),
    }
    campaign = CommitmentCampaign(**(fields | extra))
    return services.commitment_campaign_save(campaign=campaign, actor=fresh(actor))


def sign(signature):
    return services.commitment_sign(
        signature_id=signature.pk,
        user=signature.user,
        typed_name=signature.user.full_name,
        confirmed=True,
    )


def test_the_groups_cco_reaches_every_subsidiary_but_no_other_enterprise(world):
    campaign = group_campaign(world, world.group_cco)
    reached = set(campaign.signatures.values_list("staff__organisation_id", flat=True))
    assert reached == {world.group.pk, world.subsidiary.pk, world.grandchild.pk, world.sibling.pk}
    assert not campaign.signatures.filter(staff=world.other_learner).exists()


def test_a_campaign_without_the_option_stays_in_the_group(world):
    campaign = group_campaign(world, world.group_head, include_subsidiaries=False)
    assert set(campaign.signatures.values_list("staff__organisation_id", flat=True)) == {
        world.group.pk
    }


def test_a_subsidiarys_signer_signs_a_letter_naming_their_own_organisation(world):
    campaign = group_campaign(world, world.group_head)
    signature = campaign.signatures.get(staff=world.subsidiary_learner)
    signed = sign(signature)
    assert "丙城投置业" in signed.text and "丙城投集团" not in signed.text
    assert signed.status == CommitmentSignature.Status.SIGNED
    assert selectors.pending_count_of(fresh(world.subsidiary_learner)) == 0


@pytest.mark.parametrize(
    "who", ["group_admin", "group_part_time", "subsidiary_head", "sibling_head"]
)
def test_only_the_groups_head_or_cco_runs_it(world, who):
    with pytest.raises(PermissionDenied):
        group_campaign(world, getattr(world, who))
    assert not CommitmentCampaign.objects.exists()
    assert not CommitmentSignature.objects.exists()


def test_a_subsidiary_head_cannot_tick_the_option_in_the_admin(client, world):
    letter = CommitmentTemplate.objects.create(
        organisation=world.subsidiary, title="置业合规承诺书", body=LETTER
    )
    client.login(username=world.subsidiary_head.user.email, password=PASSWORD)
    data = {
        "title": "全集团承诺",
        "audience": "everyone",
        "new_hire_days": 30,
        "include_subsidiaries": "on",
        "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    # the group's letter is not theirs to choose
    response = client.post(
        reverse("commitment_campaigns:add"), {**data, "template": world.letter.pk}
    )
    assert response.status_code == 200
    assert not CommitmentCampaign.objects.exists()
    # their own letter across their own subsidiary (丙置业物业) is theirs to run
    response = client.post(reverse("commitment_campaigns:add"), {**data, "template": letter.pk})
    assert response.status_code == 302
    campaign = CommitmentCampaign.objects.get()
    assert set(campaign.signatures.values_list("staff__organisation_id", flat=True)) == {
        world.subsidiary.pk,
        world.grandchild.pk,
    }


def test_the_group_admin_form_refuses_the_option_to_a_full_time_administrator(client, world):
    client.login(username=world.group_admin.user.email, password=PASSWORD)
    response = client.post(
        reverse("commitment_campaigns:add"),
        {
            "template": world.letter.pk,
            "title": "全集团承诺",
            "audience": "everyone",
            "new_hire_days": 30,
            "include_subsidiaries": "on",
            "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
    )
    assert not CommitmentCampaign.objects.exists()
    assert response.status_code in (200, 302, 403)


def test_the_group_sees_completion_per_subsidiary(client, world):
    campaign = group_campaign(world, world.group_cco)
    sign(campaign.signatures.get(staff=world.subsidiary_learner))
    client.force_login(world.group_cco.user)
    response = client.get(reverse("commitments:progress", args=[campaign.pk]))
    assert response.status_code == 200
    rows = {row["name"]: row for row in response.context["rows"]}
    assert set(rows) == {"丙城投集团", "丙城投置业", "丙置业物业", "丙城投建设"}
    assert rows["丙城投置业"]["signed"] == 1 and rows["丙城投置业"]["pending"] >= 1
    assert rows["丙城投建设"]["signed"] == 0
    # names only of the group's own people: a subsidiary's are read as figures
    to_sign = {s.staff.organisation_id for s in response.context["to_sign"]}
    assert to_sign == {world.group.pk}
    assert world.sibling_learner.user.full_name not in response.content.decode()


def test_the_subsidiarys_page_on_the_group_counts_the_campaign_for_that_subsidiary(client, world):
    campaign = group_campaign(world, world.group_cco)
    sign(campaign.signatures.get(staff=world.subsidiary_learner))
    rows = selectors.group_campaigns_of(
        user=fresh(world.group_cco), organisation_id=world.subsidiary.pk
    )
    [row] = [r for r in rows if r.pk == campaign.pk]
    in_subsidiary = campaign.signatures.filter(staff__organisation=world.subsidiary)
    assert (row.n_signed, row.n_pending) == (1, in_subsidiary.count() - 1)
    client.force_login(world.group_cco.user)
    html = client.get(f"/organisations/group/{world.subsidiary.pk}/").content.decode()
    assert "集团2026年度合规承诺" in html and "丙城投集团" in html


def test_a_subsidiary_head_sees_the_progress_of_their_own_people_only(client, world):
    campaign = group_campaign(world, world.group_cco)
    sign(campaign.signatures.get(staff=world.sibling_learner))
    client.force_login(world.subsidiary_head.user)
    response = client.get(reverse("commitments:progress", args=[campaign.pk]))
    assert response.status_code == 200
    rows = {row["name"] for row in response.context["rows"]}
    assert rows == {"丙城投置业", "丙置业物业"}  # its own and its own subsidiary's
    people = {s.staff_id for s in response.context["to_sign"]}
    assert world.subsidiary_learner.pk in people
    assert world.sibling_learner.pk not in people and world.group_learner.pk not in people
    html = response.content.decode()
    assert "丙城投建设" not in html and "建设甲" not in html
    # the admin list counts the subsidiary's people only
    listed = selectors.campaigns_with_counts(
        selectors.campaigns_visible_to(fresh(world.subsidiary_head)),
        org_ids=selectors.signature_org_ids(fresh(world.subsidiary_head)),
    ).get(pk=campaign.pk)
    own = campaign.signatures.filter(
        staff__organisation_id__in=[world.subsidiary.pk, world.grandchild.pk]
    )
    assert listed.n_signed == 0 and listed.n_pending == own.count()


def test_a_sibling_never_sees_another_siblings_signatures(client, world):
    campaign = group_campaign(world, world.group_cco)
    sign(campaign.signatures.get(staff=world.subsidiary_learner))
    client.force_login(world.sibling_head.user)
    response = client.get(reverse("commitments:progress", args=[campaign.pk]))
    assert [row["name"] for row in response.context["rows"]] == ["丙城投建设"]
    assert response.context["rows"][0]["signed"] == 0
    assert "丙城投置业" not in response.content.decode()
    assert client.get(f"/organisations/group/{world.subsidiary.pk}/").status_code == 404
    # nor can the sibling manage the group's campaign
    assert not selectors.campaigns_manageable_by(fresh(world.sibling_head)).exists()


def test_an_unrelated_enterprise_and_a_learner_get_404(client, world):
    campaign = group_campaign(world, world.group_cco)
    other_head = person(world.other, role=world.group_cco.position.compliance_role)
    for who in (other_head, world.subsidiary_learner, world.regulator_officer):
        client.force_login(who.user)
        assert client.get(reverse("commitments:progress", args=[campaign.pk])).status_code == 404


def test_a_new_hire_in_a_subsidiary_joins_the_groups_new_hire_campaign(world):
    campaign = group_campaign(
        world, world.group_cco, audience=CommitmentCampaign.Audience.NEW_HIRES
    )
    newcomer = person(world.grandchild, hire_date=timezone.localdate())
    added = services.new_hires_joined(organisation_id=world.grandchild.pk, staff_ids=[newcomer.pk])
    assert added == 1
    assert campaign.signatures.filter(staff=newcomer).exists()
    # an enterprise outside the group is not reached
    outsider = person(world.other, hire_date=timezone.localdate())
    assert services.new_hires_joined(organisation_id=world.other.pk, staff_ids=[outsider.pk]) == 0


def test_the_demo_runs_a_group_campaign_reaching_zhiye_with_some_unsigned():
    from lms.commitments import demo
    from lms.organisations import demo as organisations_demo

    organisations_demo.seed()
    demo.seed()
    demo.seed()  # safe to run again
    campaign = CommitmentCampaign.objects.get(include_subsidiaries=True)
    assert campaign.template.organisation.short_name == "城投集团"
    zhiye = campaign.signatures.filter(staff__organisation__short_name="城投置业")
    assert zhiye.filter(status=CommitmentSignature.Status.SIGNED).exists()
    assert zhiye.filter(status=CommitmentSignature.Status.PENDING).exists()
