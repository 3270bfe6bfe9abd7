"""A spot check watches how its papers are taken by default (three leavings submit the paper);
the regulator's campaign page lists every drawn person's integrity events in server time. The
public page does not."""

import pytest
from django.test import TestCase
from django.urls import reverse

from assessments import services as exams
from assessments.models import Attempt
from assessments.spotchecks import services
from assessments.spotchecks.models import DrawnPerson
from tests.factories.spotchecks import run_to_drawn

pytestmark = pytest.mark.django_db


def test_the_regulator_sees_the_integrity_log_of_a_spot_check(client, world):
    campaign = run_to_drawn(world)
    with TestCase.captureOnCommitCallbacks(execute=True):
        campaign = services.campaign_start(campaign=campaign, actor=world.officer)
    exam = campaign.exam
    assert exam.integrity_watch is True and exam.integrity_leave_limit == 3

    drawn = DrawnPerson.objects.filter(campaign=campaign).select_related("user").first()
    attempt = exams.attempt_start(exam=exam, user=drawn.user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        for kind in ["left_page", "returned", "left_page", "returned", "left_window"]:
            result = exams.attempt_event_record(
                attempt_id=attempt.pk, user_id=drawn.user.pk, kind=kind
            )
    assert result.submitted is True
    attempt.refresh_from_db()
    assert attempt.status != Attempt.Status.OPEN

    client.force_login(world.officer)
    response = client.get(reverse("spotchecks:campaign_detail", args=[campaign.pk]))
    page = response.content.decode()
    assert 'id="integrity"' in page and f'data-attempt="{attempt.pk}"' in page
    assert drawn.user.full_name in page
    assert "离开考试页面" in page and "离开页面过多" in page
    assert [log.leaves for log in response.context["integrity_logs"]] == [3]

    public = client.get(reverse("spotchecks:public_detail", args=[campaign.pk])).content.decode()
    assert "integrity-log" not in public
