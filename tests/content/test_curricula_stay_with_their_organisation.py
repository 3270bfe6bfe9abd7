"""Another organisation's curriculum does not exist in any curriculum view of the admin: not in
its usage or history, not as a copy, not in the curriculum chooser (found by the cross-tenant
sweep: these views looked objects up without the list's scope)."""

import json

import pytest

from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db
SNIPPETS = "/admin/snippets/content/curriculum"
CHOOSER = "/admin/snippets/choose/content/curriculum"


def _text(response) -> str:
    """The page, or the chooser's JSON with its HTML fragments, as text."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


@pytest.fixture
def theirs(other_org):
    course = cf.course(title="他家私有课程", owner=other_org)
    return cf.curriculum(courses=[course], owner=other_org, name="他家的培训方案")


@pytest.fixture
def head(org):
    return person(org, role=ComplianceRole.COMPLIANCE_HEAD).user


@pytest.mark.parametrize(
    "url",
    [
        SNIPPETS + "/usage/{pk}/",
        SNIPPETS + "/history/{pk}/",
        SNIPPETS + "/history-results/{pk}/",
        SNIPPETS + "/copy/{pk}/",
        SNIPPETS + "/edit/{pk}/",
        SNIPPETS + "/delete/{pk}/",
        CHOOSER + "/chosen/{pk}/",
    ],
)
def test_another_organisations_curriculum_is_not_found(client, head, theirs, url):
    client.force_login(head)
    response = client.get(url.format(pk=theirs.pk))
    assert response.status_code == 404
    assert "他家的培训方案" not in response.content.decode()


def test_the_chooser_offers_only_your_own_and_platform_wide_curricula(client, org, head, theirs):
    mine = cf.curriculum(courses=[cf.course(owner=org)], owner=org, name="本公司培训方案")
    everyone = cf.curriculum(courses=[cf.course()], name="全平台培训方案")
    client.force_login(head)
    for url in (CHOOSER + "/", CHOOSER + "/results/"):
        body = _text(client.get(url))
        assert mine.name in body and everyone.name in body
        assert theirs.name not in body
    chosen = client.get(f"{CHOOSER}/chosen-multiple/?id={mine.pk}&id={theirs.pk}")
    body = _text(chosen)
    assert mine.name in body and theirs.name not in body


def test_your_own_curriculum_still_opens_everywhere(client, org, head):
    mine = cf.curriculum(courses=[cf.course(owner=org)], owner=org, name="本公司培训方案")
    client.force_login(head)
    for url in ("/usage/{pk}/", "/history/{pk}/", "/edit/{pk}/"):
        assert client.get(SNIPPETS + url.format(pk=mine.pk)).status_code == 200
    assert client.get(f"{CHOOSER}/chosen/{mine.pk}/").status_code == 200


def test_the_chooser_makes_no_curricula(client, head):
    """A curriculum needs its audience and courses: the chooser has no form for one, and a post
    to it is a 404, not a server error."""
    client.force_login(head)
    assert client.post(CHOOSER + "/create/", {"name": "x"}).status_code == 404


def test_bulk_delete_does_not_name_another_organisations_curriculum(client, org, head, theirs):
    mine = cf.curriculum(courses=[cf.course(owner=org)], owner=org, name="本公司培训方案")
    client.force_login(head)
    url = "/admin/bulk/content/curriculum/delete/"
    assert client.get(f"{url}?id={theirs.pk}").status_code == 404
    both = client.get(f"{url}?id={theirs.pk}&id={mine.pk}")
    assert both.status_code == 200
    assert mine.name in both.content.decode() and theirs.name not in both.content.decode()
    client.post(f"{url}?id={theirs.pk}&id={mine.pk}")
    assert type(theirs).objects.filter(pk=theirs.pk).exists()
