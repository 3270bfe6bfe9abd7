"""The oversight table shows its enterprises a page at a time (sorted on the server over every
enterprise first, so each page continues the order of the one before), the pages together are
the xlsx's rows, and the page costs the same number of queries for 5 enterprises or 15."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lms.organisations.models import ComplianceRole
from lms.oversight import views
from tests.factories.organisations import DepartmentFactory, OrganisationFactory, person

pytestmark = pytest.mark.django_db


def more_enterprises(count):
    for n in range(count):
        enterprise = OrganisationFactory(name=f"测试企业{n:02d}有限公司", short_name="")
        DepartmentFactory(organisation=enterprise)
        person(enterprise, role=ComplianceRole.COMPLIANCE_HEAD)


def ids_on(response):
    return [r.organisation_id for r in response.context["rows"]]


def every_page(client, **params):
    ids, page = [], 1
    while True:
        response = client.get(reverse("oversight:index"), {**params, "page": page})
        assert response.status_code == 200
        ids += ids_on(response)
        if not response.context["page"].has_next():
            return ids, response
        page += 1


@pytest.mark.parametrize(
    "params",
    [{"sort": "name"}, {"sort": "violations_serious", "dir": "desc"}, {"sort": "suggested"}],
    ids=["name", "violations, most first", "suggested grade"],
)
def test_the_pages_follow_one_another_in_the_sorted_order(client, world, monkeypatch, params):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    more_enterprises(3)
    client.force_login(world["officer"])
    ids, last = every_page(client, **params)
    assert last.context["page"].paginator.num_pages == 3
    assert len(ids) == len(set(ids)) == 5 and world["c"].pk not in ids

    xlsx = client.get(reverse("oversight:export"), params)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    shown = {r.organisation_id: r.name for r in every_rows(client, params)}
    assert [shown[pk] for pk in ids] == names  # the pages, in order, are the xlsx's rows
    if params["sort"] == "violations_serious":
        assert ids[0] == world["a"].pk  # the one with a serious violation heads page 1


def every_rows(client, params):
    rows, page = [], 1
    while True:
        response = client.get(reverse("oversight:index"), {**params, "page": page})
        rows += list(response.context["rows"])
        if not response.context["page"].has_next():
            return rows
        page += 1


def test_the_pager_links_keep_the_sort_and_an_odd_page_shows_the_last(client, world, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    more_enterprises(3)
    client.force_login(world["officer"])
    first = client.get(reverse("oversight:index"), {"sort": "staff", "dir": "desc"})
    text = first.content.decode()
    assert 'id="oversight-pages"' in text
    assert "sort=staff&amp;dir=desc&amp;page=2" in text
    for odd in ("99", "abc", "-1"):
        response = client.get(reverse("oversight:index"), {"page": odd})
        assert response.status_code == 200 and response.context["page"].number in (1, 3)


def test_the_page_takes_the_same_queries_for_5_or_15_enterprises(client, world):
    client.force_login(world["officer"])
    more_enterprises(3)
    client.get(reverse("oversight:index"))  # figures computed and stored once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("oversight:index"), {"sort": "training"}).status_code == 200
        return len(captured.captured_queries)

    few = queries()
    more_enterprises(10)
    client.get(reverse("oversight:index"))
    assert queries() == few
