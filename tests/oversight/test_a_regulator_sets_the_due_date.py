"""A regulator's officer sets when the self-inspection reports on a year are due for its
jurisdiction; the late list, the enterprise's page and its late notice follow that date. A year
with none set keeps the default (31 January after). Another regulator cannot set it (404), an
inspector only reads (403), an enterprise never sets it."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.notifications.models import Notification
from lms.organisations.models import ComplianceRole
from lms.oversight import deadlines, selectors, services
from lms.oversight.models import SelfInspectionDue
from lms.refusals import Refused
from tests.factories.organisations import JurisdictionFactory, RegulatorFactory, person

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
DECEMBER_20 = date(YEAR, 12, 20)


def due_url(world, year=YEAR, regulator=None):
    regulator = regulator or world["regulator"]
    return reverse("oversight:self_inspection_due_set", args=[regulator.pk, year])


def late_on(world, today, regulator_ids=None, keys=("a", "b")):
    ids = [world[key].pk for key in keys]
    states = selectors.self_inspection_states(
        organisation_ids=ids, year=YEAR, today=today, regulator_ids=regulator_ids
    )
    return {pk for pk, state in states.items() if state.late}


def test_the_officer_sets_the_date_and_the_late_list_follows_it(client, world):
    regulator_ids = [world["regulator"].pk]
    assert late_on(world, date(YEAR, 12, 21), regulator_ids) == set()  # default: 31 January
    client.force_login(world["officer"])
    response = client.post(due_url(world), {"due_on": DECEMBER_20.isoformat()})
    assert response.status_code == 302
    assert SelfInspectionDue.objects.get(regulator=world["regulator"], year=YEAR).due_on == (
        DECEMBER_20
    )
    assert late_on(world, date(YEAR, 12, 20), regulator_ids) == set()
    assert late_on(world, date(YEAR, 12, 21), regulator_ids) == {world["a"].pk, world["b"].pk}
    page = client.get(reverse("oversight:self_inspections"), {"year": YEAR})
    assert page.context["due_on"] == DECEMBER_20
    assert DECEMBER_20.isoformat() in page.content.decode()
    entry = AuditEntry.objects.get(action="oversight.self_inspection_due_set")
    assert entry.data["after"] == DECEMBER_20.isoformat()
    assert entry.data["before"] == deadlines.default_due_on(YEAR).isoformat()


def test_the_enterprise_sees_its_regulators_date_and_is_told_after_it(client, world):
    services.self_inspection_due_set(
        actor=world["officer"], regulator_id=world["regulator"].pk, year=YEAR, due_on=DECEMBER_20
    )
    client.force_login(world["head_b"])
    page = client.get(reverse("oversight:self_inspection"))
    assert DECEMBER_20.isoformat() in page.content.decode()

    def told(year):
        return Notification.objects.filter(
            kind="self_inspection_late", key__contains=f":{year}:", user=world["head_b"]
        )

    services.self_inspections_flag_late(today=DECEMBER_20)
    assert not told(YEAR).exists()
    services.self_inspections_flag_late(today=date(YEAR, 12, 21))
    assert told(YEAR).get().params["due"] == DECEMBER_20.isoformat()
    assert not told(YEAR).filter(user=world["head_c"]).exists()  # C is in no jurisdiction


def test_back_to_the_default(client, world):
    client.force_login(world["officer"])
    client.post(due_url(world), {"due_on": DECEMBER_20.isoformat()})
    response = client.post(due_url(world), {"due_on": DECEMBER_20.isoformat(), "action": "default"})
    assert response.status_code == 302
    assert not SelfInspectionDue.objects.exists()
    dues = selectors.due_dates(organisation_ids=[world["a"].pk], year=YEAR)
    assert dues == {world["a"].pk: deadlines.default_due_on(YEAR)}


@pytest.mark.parametrize("value", ["2001-01-01", f"{YEAR}-11-30", "31/12/2026", ""])
def test_a_date_out_of_range_or_unreadable_is_refused(client, world, value):
    client.force_login(world["officer"])
    response = client.post(due_url(world), {"due_on": value})
    if value == "":  # nothing entered: the default, as the button says
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        assert response.context["errors"]
    assert not SelfInspectionDue.objects.exists()


def test_a_refused_date_shows_the_year_it_was_for(client, world):
    client.force_login(world["officer"])
    response = client.post(due_url(world, year=YEAR - 1), {"due_on": "31/12/2026"})
    assert response.status_code == 400
    assert response.context["year"] == YEAR - 1


def test_a_year_the_page_does_not_show_is_not_set(client, world):
    """Only the years the page lists: a date for next year's reports would have led to a page
    that does not exist."""
    client.force_login(world["officer"])
    response = client.post(due_url(world, year=YEAR + 1), {"due_on": f"{YEAR + 2}-01-20"})
    assert response.status_code == 404
    assert not SelfInspectionDue.objects.exists()


def test_another_regulator_cannot_set_this_ones_date(client, world):
    other = RegulatorFactory(name="深圳国资委", region_code="440300")
    JurisdictionFactory(regulator=other, region_prefixes="4403")
    officer = person(other, role=ComplianceRole.REGULATOR_OFFICER).user
    client.force_login(officer)
    assert client.post(due_url(world), {"due_on": DECEMBER_20.isoformat()}).status_code == 404
    with pytest.raises(Refused) as refused:
        services.self_inspection_due_set(
            actor=officer, regulator_id=world["regulator"].pk, year=YEAR, due_on=DECEMBER_20
        )
    assert refused.value.status == 404
    assert not SelfInspectionDue.objects.exists()
    # Its own date is its own: the first regulator's enterprises keep the default.
    assert client.post(due_url(world, regulator=other), {"due_on": DECEMBER_20.isoformat()})
    assert selectors.due_dates(organisation_ids=[world["a"].pk], year=YEAR)[world["a"].pk] == (
        deadlines.default_due_on(YEAR)
    )
    assert selectors.due_dates(organisation_ids=[world["c"].pk], year=YEAR)[world["c"].pk] == (
        DECEMBER_20
    )


def test_an_inspector_reads_the_date_but_does_not_set_it(client, world):
    client.force_login(world["inspector"])
    page = client.get(reverse("oversight:self_inspections"), {"year": YEAR})
    assert page.status_code == 200
    assert due_url(world) not in page.content.decode()
    assert client.post(due_url(world), {"due_on": DECEMBER_20.isoformat()}).status_code == 403
    assert not SelfInspectionDue.objects.exists()


@pytest.mark.parametrize("who", ["head", "cco", "head_b"])
def test_an_enterprise_never_sets_it(client, world, who):
    client.force_login(world[who])
    assert client.post(due_url(world), {"due_on": DECEMBER_20.isoformat()}).status_code == 404
    with pytest.raises(Refused):
        services.self_inspection_due_set(
            actor=world[who], regulator_id=world["regulator"].pk, year=YEAR, due_on=DECEMBER_20
        )
    assert not SelfInspectionDue.objects.exists()


def test_an_enterprise_under_two_regulators_is_held_to_the_earlier_date(world):
    strict = RegulatorFactory(name="浙江国资委", region_code="330000")
    JurisdictionFactory(regulator=strict, region_prefixes="").enterprises.add(world["b"])
    officer = person(strict, role=ComplianceRole.REGULATOR_OFFICER).user
    services.self_inspection_due_set(
        actor=world["officer"],
        regulator_id=world["regulator"].pk,
        year=YEAR,
        due_on=date(YEAR + 1, 3, 31),
    )
    services.self_inspection_due_set(
        actor=officer, regulator_id=strict.pk, year=YEAR, due_on=DECEMBER_20
    )
    dues = selectors.due_dates(organisation_ids=[world["a"].pk, world["b"].pk], year=YEAR)
    assert dues == {world["a"].pk: date(YEAR + 1, 3, 31), world["b"].pk: DECEMBER_20}
    # Each regulator's own list holds B to its own date.
    assert late_on(world, date(YEAR, 12, 21), [world["regulator"].pk]) == set()
    assert late_on(world, date(YEAR, 12, 21), [strict.pk], keys=["b"]) == {world["b"].pk}
