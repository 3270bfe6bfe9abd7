"""A regulator opens a draft campaign's edit page, sees its window in local time and saves it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.spotchecks.models import Campaign
from tests.factories.spotchecks import make_campaign

pytestmark = pytest.mark.django_db


def test_the_edit_page_of_a_draft_campaign_opens_with_its_window_in_local_time(client, world):
    campaign = make_campaign(world)
    client.force_login(world.officer)
    response = client.get(reverse("spotchecks:campaign_edit", args=[campaign.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    for value in (campaign.opens_at, campaign.closes_at):
        assert f'value="{timezone.localtime(value):%Y-%m-%dT%H:%M}"' in body


def test_saving_the_edit_page_unchanged_keeps_the_window_and_takes_the_new_title(client, world):
    campaign = make_campaign(world)
    client.force_login(world.officer)
    form = client.get(reverse("spotchecks:campaign_edit", args=[campaign.pk])).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        elif hasattr(value, "strftime"):
            data[name] = form[name].field.widget.format_value(value)
        else:
            data[name] = str(value)
    data["title"] = "改过的标题"
    response = client.post(reverse("spotchecks:campaign_edit", args=[campaign.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    saved = Campaign.objects.get(pk=campaign.pk)
    assert saved.title == "改过的标题"
    assert saved.opens_at == campaign.opens_at.replace(second=0, microsecond=0)
    assert saved.closes_at == campaign.closes_at.replace(second=0, microsecond=0)
