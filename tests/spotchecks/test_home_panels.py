"""The home page tells a regulator and a drawn firm's compliance head what to act on."""

import pytest
from django.test import TestCase

from assessments.spotchecks import services
from assessments.spotchecks.models import DrawnEnterprise, Rectification
from tests.factories.spotchecks import make_world, run_to_drawn

pytestmark = pytest.mark.django_db


def started(world, **fields):
    campaign = run_to_drawn(world, **fields)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.campaign_start(campaign=campaign, actor=world.officer)


def home(client, user) -> str:
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_regulator_sees_campaigns_under_way_on_the_home_page(client, world):
    campaign = started(world)
    html = home(client, world.officer)
    assert 'id="panel-spotchecks-regulator"' in html
    assert campaign.title in html and f"/spotchecks/{campaign.pk}/" in html
    assert "0 份整改报告待审核" in html


def test_the_drawn_firms_head_sees_the_draw_and_then_the_rectification_owed(client, world):
    campaign = started(world, enterprise_count_value=1)
    drawn = DrawnEnterprise.objects.get(campaign=campaign)
    head = world.heads[drawn.enterprise_id]
    html = home(client, head)
    assert 'id="panel-spotchecks-enterprise"' in html
    assert campaign.title in html and drawn.enterprise.name in html

    services.campaign_close(campaign=campaign, actor=world.officer)  # nobody sat: it fails
    rectification = Rectification.objects.get(drawn_enterprise=drawn)
    html = home(client, head)
    assert f"/spotchecks/rectifications/{rectification.pk}/" in html
    assert "待提交整改报告" in html or rectification.get_status_display() in html


def test_other_firms_and_learners_see_no_spot_check_panel(client, world):
    campaign = started(world, enterprise_count_value=1)
    drawn = DrawnEnterprise.objects.get(campaign=campaign)
    other = next(e for e in world.enterprises if e.pk != drawn.enterprise_id)
    html = home(client, world.heads[other.pk])
    assert "panel-spotchecks" not in html and campaign.title not in html
    learner = world.staff[drawn.enterprise_id]
    some_staff = next(iter(learner.values()))[0]
    assert "panel-spotchecks-regulator" not in home(client, some_staff.user)


def test_the_home_page_query_count_does_not_grow_with_campaigns(
    client, django_assert_max_num_queries
):
    world = make_world(enterprises=6)
    started(world, enterprise_count_value=1)
    client.force_login(world.officer)
    client.get("/")
    with django_assert_max_num_queries(40) as few:
        client.get("/")
    for _ in range(3):
        started(world, enterprise_count_value=1, title="又一次抽查")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/")
