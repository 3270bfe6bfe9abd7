"""The group's roll-up page shows each subsidiary's dispatch quarters (held, finalised,
missing) without the minutes; a subsidiary never reads its parent's or its sibling's
(issue 11 item 5)."""

from datetime import date

import pytest
from django.utils import timezone

from lms.dispatch import selectors, services
from lms.dispatch.quarters import last_closed
from tests.organisations.group_world import build_group_world

pytestmark = pytest.mark.django_db

MINUTES = "置业本季度合规管理情况汇报：采购领域专项排查。"


def fresh(staff):
    return type(staff.user).objects.get(pk=staff.user_id)


@pytest.fixture
def world(db):
    world = build_group_world()
    today = timezone.localdate()
    finalised_q = last_closed(today)
    draft_q = last_closed(finalised_q.start)
    head = fresh(world.subsidiary_head)
    finalised = services.meeting_record(
        actor=head,
        organisation_id=world.subsidiary.pk,
        quarter=finalised_q,
        held_on=finalised_q.start.replace(day=15),
        attendee_ids=[world.subsidiary_head.pk],
        minutes=MINUTES,
        decisions="限期整改。",
        priorities="招投标专项排查。",
    )
    services.meeting_lock(actor=head, meeting_id=finalised.pk)
    services.meeting_record(
        actor=head,
        organisation_id=world.subsidiary.pk,
        quarter=draft_q,
        held_on=draft_q.start.replace(day=10),
        attendee_ids=[world.subsidiary_head.pk],
        minutes="草稿纪要。",
        decisions="无。",
        priorities="无。",
    )
    world.finalised_q, world.draft_q = finalised_q, draft_q
    return world


def test_the_group_cco_reads_held_finalised_and_missing_quarters(world):
    dispatch = selectors.group_dispatch_of(
        user=fresh(world.group_cco), organisation_id=world.subsidiary.pk
    )
    rows = {row.quarter: row for row in dispatch["quarters"]}
    assert rows[world.finalised_q].held and rows[world.finalised_q].minutes_finalised
    assert rows[world.draft_q].held and not rows[world.draft_q].minutes_finalised
    missing = [q for q, row in rows.items() if row.missing]
    assert missing and world.finalised_q not in missing and world.draft_q not in missing
    assert dispatch["n_missing"] == len(missing)
    assert dispatch["n_closed"] == sum(1 for row in rows.values() if row.closed)
    # this year's and last year's quarters, newest first
    assert [row.quarter for row in dispatch["quarters"]] == sorted(rows, reverse=True)
    assert {q.year for q in rows} == {timezone.localdate().year, timezone.localdate().year - 1}


def test_the_panel_is_on_the_subsidiarys_group_page_without_the_minutes(client, world):
    client.force_login(world.group_head.user)
    response = client.get(f"/organisations/group/{world.subsidiary.pk}/")
    assert response.status_code == 200
    assert "dispatch" in [p["key"] for p in response.context["panels"]]
    html = response.content.decode()
    assert 'id="group-dispatch"' in html
    assert world.finalised_q.label in html and world.draft_q.label in html
    assert MINUTES not in html and "草稿纪要" not in html
    # read-only: no link to record, change or open a meeting
    assert "/dispatch/" not in html.split('id="group-dispatch"')[1]


def test_a_subsidiary_never_reads_its_parents_or_its_siblings_dispatch(world):
    for who, org in (
        (world.subsidiary_head, world.group),
        (world.subsidiary_head, world.sibling),
        (world.sibling_head, world.subsidiary),
        (world.group_part_time, world.subsidiary),
        (world.group_learner, world.subsidiary),
        (world.regulator_officer, world.subsidiary),
    ):
        assert selectors.group_dispatch_of(user=fresh(who), organisation_id=org.pk) is None, who


def test_the_sibling_gets_404_on_the_subsidiarys_group_page(client, world):
    client.force_login(world.sibling_head.user)
    assert client.get(f"/organisations/group/{world.subsidiary.pk}/").status_code == 404


def test_a_year_with_no_meeting_reads_every_ended_quarter_missing(world):
    dispatch = selectors.group_dispatch_of(
        user=fresh(world.group_cco), organisation_id=world.sibling.pk, today=date(2026, 8, 1)
    )
    assert [row.quarter.code for row in dispatch["quarters"]] == [
        "2026-Q3",
        "2026-Q2",
        "2026-Q1",
        "2025-Q4",
        "2025-Q3",
        "2025-Q2",
        "2025-Q1",
    ]
    assert dispatch["n_closed"] == 6 and dispatch["n_missing"] == 6
    assert not dispatch["quarters"][0].missing  # the current quarter is still open
