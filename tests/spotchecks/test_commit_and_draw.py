"""A regulator commits to a seed, draws once, and anyone can verify the draw."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from assessments.spotchecks import draw as pure_draw
from assessments.spotchecks import services
from assessments.spotchecks.models import Campaign, Draw, DrawnInspector, DrawnPerson
from lms.audit.models import AuditEntry
from lms.organisations.models import ComplianceRole, Organisation
from tests.factories.organisations import OrganisationFactory, StaffFactory
from tests.factories.spotchecks import make_campaign, make_world, run_to_drawn

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_commit_publishes_the_seed_hash_and_freezes_the_population(world):
    campaign = make_campaign(world)
    record = services.campaign_commit(campaign=campaign, actor=world.officer)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.COMMITTED
    assert record.seed_hash == pure_draw.seed_hash(record.seed)
    assert record.revealed_at is None and record.result is None
    assert record.population_size == 4
    assert record.population_hash == pure_draw.population_hash(record.snapshot)
    assert [e[0] for e in record.snapshot["enterprises"]] == sorted(o.pk for o in world.enterprises)
    assert AuditEntry.objects.filter(action="spotcheck.commit").exists()


def test_the_draw_reveals_the_seed_and_stores_firms_people_and_inspectors(world):
    campaign = run_to_drawn(world, enterprise_count_value=3, roles={"admin_full": 2, "head": 1})
    record = campaign.draw

    assert record.is_revealed
    assert services.draw_verify(record=record).verdict == "MATCH"
    assert campaign.enterprises.count() == 3
    for drawn in campaign.enterprises.all():
        roles = sorted(p.role for p in drawn.people.all())
        assert roles == ["admin_full", "admin_full", "head"]
        assert all(p.staff.organisation_id == drawn.enterprise_id for p in drawn.people.all())
        assert drawn.inspectors.count() == 1
    assert DrawnPerson.objects.filter(campaign=campaign).count() == 9


def test_a_recused_or_formerly_employed_inspector_is_never_drawn_for_that_firm(db):
    world = make_world(enterprises=2, inspectors=2)
    first, second = world.enterprises
    services.recusal_add(
        inspector=world.inspectors[0], enterprise=first, reason="配偶任职", actor=world.officer
    )
    # the other inspector once worked at the second firm
    StaffFactory(user=world.inspectors[1].user, organisation=second, status="left")
    campaign = run_to_drawn(world, enterprise_count_value=2)

    drawn = {
        i.drawn_enterprise.enterprise_id: i.staff_id
        for i in DrawnInspector.objects.filter(drawn_enterprise__campaign=campaign)
    }
    assert drawn == {first.pk: world.inspectors[1].pk, second.pk: world.inspectors[0].pk}
    assert sorted(campaign.draw.snapshot["recusals"]) == sorted(
        [[world.inspectors[0].pk, first.pk], [world.inspectors[1].pk, second.pk]]
    )


def _refused_commit(campaign, actor) -> list[str]:
    with pytest.raises(services.CampaignRefused) as exc:
        services.campaign_commit(campaign=campaign, actor=actor)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not Draw.objects.filter(campaign=campaign).exists()
    return exc.value.messages


def test_asking_for_more_enterprises_than_the_scope_has_is_refused_before_the_commit(world):
    campaign = make_campaign(world, enterprise_count_value=5)
    assert _refused_commit(campaign, world.officer) == [
        "You asked for 5 enterprises but the scope has only 4."
    ]


def test_an_empty_scope_is_refused_before_the_commit(world):
    campaign = make_campaign(world, scope_region_prefix="4401")
    messages = _refused_commit(campaign, world.officer)
    assert messages == [
        "The scope is empty: no enterprise in your jurisdiction matches the filters."
    ]


def test_asking_for_more_people_than_a_firm_has_is_refused_naming_the_firm(world):
    short = world.enterprises[0]
    campaign = make_campaign(world, roles={"admin_full": 3})
    (message,) = _refused_commit(campaign, world.officer)
    assert "3" in message and short.name in message


def test_an_inspector_pool_too_small_after_recusal_is_refused_before_the_commit(db):
    world = make_world(enterprises=2, inspectors=2)
    services.recusal_add(
        inspector=world.inspectors[0],
        enterprise=world.enterprises[1],
        reason="曾任该企业法务",
        actor=world.officer,
    )
    campaign = make_campaign(world, inspectors_per_enterprise=2)
    (message,) = _refused_commit(campaign, world.officer)
    assert "recused" in message and world.enterprises[1].name in message

    too_many = make_campaign(world, inspectors_per_enterprise=3)
    assert _refused_commit(too_many, world.officer) == [
        "You asked for 3 inspectors per enterprise but your inspector pool has only 2."
    ]


def test_a_committed_campaign_cannot_change_and_the_attempt_is_audited(world):
    campaign = make_campaign(world)
    services.campaign_commit(campaign=campaign, actor=world.officer)
    campaign.enterprise_count_value = 1
    with pytest.raises(services.CampaignRefused):
        services.campaign_save(campaign=campaign, actor=world.officer)
    campaign.refresh_from_db()
    assert campaign.enterprise_count_value == 2
    assert AuditEntry.objects.filter(action="spotcheck.change_refused").count() == 1


def test_no_second_commit_and_no_second_draw(world):
    campaign = run_to_drawn(world)
    first = (campaign.draw.seed, campaign.draw.result)
    with pytest.raises(services.CampaignRefused):
        services.campaign_commit(campaign=campaign, actor=world.officer)
    with pytest.raises(services.CampaignRefused) as exc:
        services.campaign_draw(campaign=campaign, actor=world.officer)
    assert "no second draw" in exc.value.messages[0]
    campaign.draw.refresh_from_db()
    assert (campaign.draw.seed, campaign.draw.result) == first
    assert AuditEntry.objects.filter(action="spotcheck.commit_refused").count() == 1
    assert AuditEntry.objects.filter(action="spotcheck.draw_refused").count() == 1


def test_scope_filters_includes_and_excludes(world):
    other_sector = OrganisationFactory(region_code="330100", sector=Organisation.Sector.OTHER)
    outsider = OrganisationFactory(region_code="440100")
    campaign = make_campaign(
        world,
        scope_sectors=[Organisation.Sector.ONLINE_PLATFORM],
        include=[other_sector.pk],
        exclude=[world.enterprises[0].pk],
    )
    scope = set(services.campaign_scope(campaign=campaign))
    assert scope == set(world.enterprises[1:]) | {other_sector}
    assert outsider not in scope

    with pytest.raises(ValidationError) as exc:
        make_campaign(world, include=[outsider.pk])
    assert "jurisdiction" in str(exc.value)


def test_a_percentage_is_resolved_on_the_scope_and_rounds_up(world):
    campaign = make_campaign(world, enterprise_count_mode="percent", enterprise_count_value=30)
    record = services.campaign_commit(campaign=campaign, actor=world.officer)
    assert record.snapshot["params"]["enterprises"] == 2  # 30 % of 4 = 1.2 → 2


def test_verify_command_says_match_then_mismatch_when_the_stored_result_is_tampered(world):
    campaign = run_to_drawn(world)
    out = StringIO()
    call_command("spotcheck_verify", str(campaign.pk), stdout=out)
    assert out.getvalue().strip().endswith("MATCH")

    record = campaign.draw
    result = json.loads(json.dumps(record.result))
    result["enterprises"][0]["staff"]["admin_full"] = [999999]
    Draw.objects.filter(pk=record.pk).update(result=result)
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("spotcheck_verify", str(campaign.pk), stdout=out)
    assert out.getvalue().strip().endswith("MISMATCH")


def test_staff_who_left_or_hold_other_roles_are_not_in_the_population(world):
    org = world.enterprises[0]
    leaver = world.staff[org.pk][ComplianceRole.ADMIN_FULL_TIME][0]
    leaver.status = "left"
    leaver.save()
    campaign = make_campaign(world, roles={"admin_full": 1})
    snapshot = services.campaign_snapshot(campaign=campaign)
    assert leaver.pk not in snapshot["staff"][str(org.pk)]["admin_full"]
    assert "head" not in snapshot["staff"][str(org.pk)]
