"""A regulator with a jurisdiction of enterprises, staff, an inspector pool and a sealed paper,
and campaigns built through the services."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from assessments.spotchecks import services
from assessments.spotchecks.models import Campaign
from lms.organisations.models import ComplianceRole, Organisation
from tests.factories.assessments import fill_bank, make_bank, make_blueprint
from tests.factories.organisations import (
    JurisdictionFactory,
    OrganisationFactory,
    RegulatorFactory,
    person,
)


@dataclass
class World:
    regulator: Organisation
    officer: object  # the regulator officer's user
    inspectors: list
    enterprises: list
    staff: dict = field(default_factory=dict)  # enterprise pk -> {role: [Staff]}
    heads: dict = field(default_factory=dict)  # enterprise pk -> compliance head's user
    blueprint: object = None


def make_world(
    *,
    enterprises: int = 4,
    admins: int = 2,
    inspectors: int = 3,
    region: str = "330100",
    sector: str = Organisation.Sector.ONLINE_PLATFORM,
) -> World:
    regulator = RegulatorFactory(region_code=region)
    JurisdictionFactory(regulator=regulator, region_prefixes=region[:4])
    officer = person(regulator, role=ComplianceRole.REGULATOR_OFFICER).user
    pool = [person(regulator, role=ComplianceRole.REGULATOR_INSPECTOR) for _ in range(inspectors)]
    world = World(regulator=regulator, officer=officer, inspectors=pool, enterprises=[])
    for _ in range(enterprises):
        org = OrganisationFactory(region_code=region, sector=sector)
        world.enterprises.append(org)
        head = person(org, role=ComplianceRole.COMPLIANCE_HEAD)
        world.heads[org.pk] = head.user
        world.staff[org.pk] = {
            ComplianceRole.COMPLIANCE_HEAD: [head],
            ComplianceRole.ADMIN_FULL_TIME: [
                person(org, role=ComplianceRole.ADMIN_FULL_TIME) for _ in range(admins)
            ],
        }
    bank = make_bank(regulator, name="监管抽查题库")
    fill_bank(bank, count=5)
    world.blueprint = make_blueprint(bank, sections=[{"count": 3, "points": 10}])
    return world


def make_campaign(world: World, *, include=None, exclude=None, **fields) -> Campaign:
    now = timezone.now()
    data = {
        "title": "2026年网络交易平台合规人员抽查",
        "enterprise_count_value": 2,
        "roles": {ComplianceRole.ADMIN_FULL_TIME: 1},
        "inspectors_per_enterprise": 1,
        "blueprint": world.blueprint,
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=7),
        "pass_mark": 60,
    }
    data.update(fields)
    campaign = Campaign(regulator=world.regulator, **data)
    return services.campaign_save(
        campaign=campaign, actor=world.officer, include_ids=include, exclude_ids=exclude
    )


def run_to_drawn(world: World, **fields) -> Campaign:
    campaign = make_campaign(world, **fields)
    services.campaign_commit(campaign=campaign, actor=world.officer)
    services.campaign_draw(campaign=campaign, actor=world.officer)
    campaign.refresh_from_db()
    return campaign
