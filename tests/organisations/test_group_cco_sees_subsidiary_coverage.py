"""The coverage report and the group pages: the group's CCO sees its subsidiary's gaps;
a subsidiary reaching its parent's or its sibling's pages gets 404 (issue 11 items 4-5)."""

import pytest

from tests.factories.commitments import launched
from tests.organisations.group_world import build_group_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_group_world()


def test_the_group_cco_sees_the_subsidiarys_gaps_rolled_up(client, world):
    client.force_login(world.group_cco.user)
    response = client.get(f"/organisations/coverage/?org={world.group.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    assert [o.facts.name for o in report.organisations] == [
        "丙城投集团",
        "丙城投建设",
        "丙城投置业",
        "丙置业物业",
    ]
    missing = {(g.organisation_name, g.kind, g.department_name) for g in report.gaps}
    assert ("丙城投置业", "no_cco", "") in missing
    assert ("丙城投置业", "no_admin", "运营部") in missing
    assert ("丙城投建设", "no_cco", "") in missing
    # the group's own CCO is in place; its finance department has its part-time administrator
    assert not any(g.organisation_name == "丙城投集团" for g in report.gaps)
    assert "丙城投置业" in html and "⚑" in html
    assert "<svg" in html and "2023" in html and "2024" in html


def test_the_plans_progress_line_reads_in_words(client, world):
    client.force_login(world.group_cco.user)
    html = client.get("/organisations/coverage/").content.decode()
    assert "85%" in html and "100%" in html
    assert "no_cco" not in html and "GapKind" not in html


def test_the_group_page_lists_subsidiaries_and_opens_one_read_only(client, world):
    launched(world.subsidiary, title="置业2026年度合规承诺")
    client.force_login(world.group_head.user)
    index = client.get("/organisations/group/")
    assert index.status_code == 200
    assert "丙城投置业" in index.content.decode()
    page = client.get(f"/organisations/group/{world.subsidiary.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    keys = [p["key"] for p in page.context["panels"]]
    assert {"training_completion", "appraisal", "commitments"} <= set(keys)
    assert "置业2026年度合规承诺" in html
    # read-only: no link to act on the subsidiary's people
    assert "/admin/staff/" not in html and "waive" not in html


def test_a_subsidiary_reaching_its_parents_pages_gets_404(client, world):
    client.force_login(world.subsidiary_head.user)
    assert client.get(f"/organisations/coverage/?org={world.group.pk}").status_code == 404
    assert client.get(f"/organisations/group/{world.group.pk}/").status_code == 404


def test_a_subsidiary_reaching_its_siblings_pages_gets_404(client, world):
    client.force_login(world.subsidiary_head.user)
    assert client.get(f"/organisations/coverage/?org={world.sibling.pk}").status_code == 404
    assert client.get(f"/organisations/group/{world.sibling.pk}/").status_code == 404


def test_a_subsidiary_reads_its_own_subsidiary(client, world):
    client.force_login(world.subsidiary_head.user)
    assert client.get(f"/organisations/group/{world.grandchild.pk}/").status_code == 200
    own = client.get("/organisations/coverage/")
    assert [o.facts.name for o in own.context["report"].organisations] == [
        "丙城投置业",
        "丙置业物业",
    ]


def test_the_group_opening_its_own_organisation_as_a_subsidiary_gets_404(client, world):
    client.force_login(world.group_cco.user)
    assert client.get(f"/organisations/group/{world.group.pk}/").status_code == 404
    assert client.get(f"/organisations/group/{world.other.pk}/").status_code == 404


def test_learners_part_time_administrators_and_regulators_see_no_group_pages(client, world):
    for who in (world.group_learner, world.group_part_time, world.regulator_officer):
        client.force_login(who.user)
        assert client.get("/organisations/group/").status_code == 403, who
        assert client.get("/organisations/coverage/").status_code == 403, who
        assert client.get(f"/organisations/group/{world.subsidiary.pk}/").status_code == 404
