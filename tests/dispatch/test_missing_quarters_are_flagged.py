"""A quarter that ended with no dispatch meeting is flagged to the principal and the compliance
head (and CCO) by the daily beat task: once per quarter per person, however often it runs."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.utils import timezone

from lms.dispatch import services, tasks
from lms.dispatch.quarters import Quarter, last_closed
from lms.notifications.selectors import notifications_of
from lms.organisations.models import Organisation
from tests.dispatch.conftest import Q, meeting_data
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_the_platform_since_2024(world):
    Organisation.objects.filter(pk=world["org"].pk).update(
        created_at=timezone.make_aware(datetime(2024, 1, 1))
    )


def _notices(user):
    return [n for n in notifications_of(user=user) if n.kind == "dispatch_missing"]


def test_the_principal_and_heads_are_told_once(world):
    assert services.missing_quarters_flag(quarter=Q) == 3  # principal, CCO, head
    assert services.missing_quarters_flag(quarter=Q) == 0  # run again: nothing new
    for who in ("principal", "cco", "head"):
        notices = _notices(world[who])
        assert len(notices) == 1, who
        assert "2025-Q2" in notices[0].subject
    for who in ("admin", "part_time", "learner"):
        assert not _notices(world[who]), who
    assert len(mail.outbox) == 3


def test_an_enterprise_that_joined_after_the_quarter_is_not_flagged(world, other_org):
    from lms.organisations.models import ComplianceRole
    from tests.factories.organisations import person

    newcomer = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user
    services.missing_quarters_flag(quarter=Q)
    assert not _notices(newcomer)


def test_a_quarter_with_a_meeting_is_not_flagged(world):
    services.meeting_record(actor=world["head"], **meeting_data(world))
    assert services.missing_quarters_flag(quarter=Q) == 0
    assert services.missing_quarters_flag(quarter=Quarter(2025, 3)) == 3


def test_the_beat_task_flags_the_quarter_just_ended(world):
    OrganisationFactory()  # an enterprise with nobody to tell changes nothing
    assert tasks.missing_quarters_flag.delay().get() == 3
    assert tasks.missing_quarters_flag.delay().get() == 0
    code = last_closed(date.today()).code
    assert code in _notices(world["principal"])[0].subject
