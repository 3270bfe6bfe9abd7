"""The demo records two quarters of dispatch minutes at 城投集团 (the older finalised) with the
quarter between them missing; running it again adds nothing."""

import pytest
from django.utils import timezone

from lms.dispatch import demo, selectors
from lms.dispatch.models import DispatchMeeting
from lms.dispatch.quarters import last_closed
from lms.organisations import demo as organisations_demo

pytestmark = pytest.mark.django_db


def test_the_demo_records_two_quarters_and_leaves_one_missing():
    organisations_demo.seed()
    demo.seed()
    demo.seed()
    meetings = list(DispatchMeeting.objects.order_by("held_on"))
    assert len(meetings) == 2
    assert {m.organisation.short_name for m in meetings} == {"城投集团"}
    assert meetings[0].is_locked and not meetings[1].is_locked
    newest = last_closed(timezone.localdate())
    missing = last_closed(newest.start)
    assert (meetings[1].year, meetings[1].quarter) == (newest.year, newest.quarter)
    held = selectors.dispatch_quarters_held(
        organisation_ids=[meetings[0].organisation_id], year=missing.year
    )
    assert held[meetings[0].organisation_id][missing.quarter] == []
    assert {s.user.email for s in meetings[0].attendees.all()} >= {
        "gm@chengtou.demo",
        "head@chengtou.demo",
    }
