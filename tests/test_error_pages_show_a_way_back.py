"""A reader who is refused, lost, hit by a server failure or by an expired form sees our page in
the site's frame and their own language, with a way back; the browser finds a favicon."""

import pytest
from django.test import Client
from django.urls import reverse

from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(client, org):
    client.force_login(person(org, role=ComplianceRole.NONE).user)
    return client


def _page(response) -> str:
    return response.content.decode()


def test_a_learner_refused_a_page_reads_why_in_chinese_and_can_go_back(learner_client):
    cf.home_page()
    response = learner_client.get("/learn/assign/", HTTP_REFERER="http://testserver/learn/")
    assert response.status_code == 403
    html = _page(response)
    assert "拒绝访问" in html and "您没有权限打开此页面" in html
    assert 'class="site-header"' in html  # the site's frame
    assert 'href="http://testserver/learn/"' in html and "返回上一页" in html
    assert "回到首页" in html
    assert "Forbidden" not in html


def test_an_english_reader_is_refused_in_english(learner_client):
    cf.home_page()
    html = _page(learner_client.get("/en/learn/assign/"))
    assert "Access denied" in html and "Go to the home page" in html
    assert "拒绝访问" not in html


def test_a_way_back_never_leads_off_the_site(learner_client):
    html = _page(learner_client.get("/learn/assign/", HTTP_REFERER="https://evil.example/"))
    assert "evil.example" not in html and "返回上一页" not in html


def test_a_missing_page_says_so_in_the_readers_language(client):
    cf.home_page()
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = _page(response)
    assert "页面不存在" in html and "回到首页" in html and 'class="site-header"' in html
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in _page(response) and "页面不存在" not in _page(response)


@pytest.mark.urls("tests.error_urls")
def test_a_server_failure_shows_a_page_that_needs_no_database(client, django_assert_num_queries):
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/boom/")
    assert response.status_code == 500
    html = _page(response)
    assert "出错了" in html and "回到首页" in html and 'href="/"' in html
    with django_assert_num_queries(0):
        response = client.get("/en/boom/")
    assert "Something went wrong" in _page(response) and 'href="/en/"' in _page(response)


def test_an_expired_form_explains_itself_in_the_readers_language(org):
    cf.home_page()
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "x@example.com", "password": "x"})
    assert response.status_code == 403
    html = _page(response)
    assert "表单已过期" in html and "回到首页" in html and 'class="site-header"' in html
    response = client.post("/en/accounts/login/", {"login": "x@example.com", "password": "x"})
    assert response.status_code == 403
    assert "The form has expired" in _page(response)


def test_wagtail_admin_still_turns_people_away_its_own_way(client, org):
    """The admin's refusals are Wagtail's (a redirect with a message), not our 403 page."""
    learner = person(org, role=ComplianceRole.NONE).user
    client.force_login(learner)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    course = cf.course(lessons=1)
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    client.force_login(head)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]), follow=True)
    assert response.redirect_chain == [("/admin/", 302)] and response.status_code == 200
    assert "对不起， 你没有权限访问。" in [str(m).strip() for m in response.context["messages"]]


def test_the_browser_finds_a_favicon(client):
    cf.home_page()
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert 'rel="icon"' in _page(client.get("/"))
