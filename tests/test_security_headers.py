"""Every response says which browser features no page uses (Permissions-Policy); pages sent to
a signed-in person are never stored (Cache-Control: no-store); production sends a content
security policy that allows no inline script on the site (the Wagtail admin needs its own),
and the templates keep to it; `check --deploy` passes under the production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lms.security import CONTENT_SECURITY_POLICY
from tests.factories.organisations import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def csp(settings):
    settings.CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY


def directives(header: str) -> dict[str, list[str]]:
    parts = [p.split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def test_every_response_carries_a_permissions_policy(client):
    response = client.get("/accounts/login/")
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_pages_for_a_signed_in_person_are_never_stored(client):
    assert "no-store" not in client.get("/healthz").get("Cache-Control", "")
    client.force_login(UserFactory())
    for url in ("/healthz", "/learn/", "/notifications/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
        assert "public" not in cache_control


def test_no_policy_is_sent_where_none_is_configured(client):
    assert "Content-Security-Policy" not in client.get("/accounts/login/")


def test_the_site_runs_only_its_own_scripts_and_the_admin_also_its_inline_ones(client, csp):
    site = directives(client.get("/accounts/login/")["Content-Security-Policy"])
    assert site["script-src"] == ["'self'"]
    assert site["object-src"] == ["'none'"] and site["frame-ancestors"] == ["'self'"]
    assert site["default-src"] == ["'self'"] and site["form-action"] == ["'self'"]
    admin_user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    admin = directives(client.get("/admin/audit/")["Content-Security-Policy"])
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]


TEMPLATE_DIRS = ["lms", "content", "assessments", "certificates"]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def test_the_sites_templates_have_no_inline_script_or_event_handler():
    """What the policy forbids on the site. (Django's json_script writes a data block of type
    application/json, which no browser runs, so it is allowed.)"""
    offending = []
    for top in TEMPLATE_DIRS:
        for path in (ROOT / top).rglob("templates/**/*.html"):
            text = path.read_text(encoding="utf-8")
            if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
                offending.append(str(path.relative_to(ROOT)))
    assert offending == []


def test_the_exam_page_under_the_policy_has_only_a_data_block_inline(client, csp):
    from decimal import Decimal

    from assessments import services
    from tests.factories.assessments import fill_bank, make_bank, make_blueprint, make_exam
    from tests.factories.organisations import OrganisationFactory, person

    org = OrganisationFactory()
    learner = person(org).user
    bank = make_bank(org)
    fill_bank(bank, count=2)
    blueprint = make_blueprint(bank, sections=[{"count": 2, "points": Decimal(5)}])
    exam = make_exam(org, blueprint=blueprint, users=[learner])
    attempt = services.attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    response = client.get(f"/exams/attempts/{attempt.pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and "Content-Security-Policy" in response
    assert 'type="application/json"' in html
    assert not INLINE_SCRIPT.search(html) and not INLINE_HANDLER.search(html)


def test_deploy_checks_pass_under_the_production_settings_which_send_the_policy():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY="test-only-" + "x7Qp2" * 12,
        ALLOWED_HOSTS="hegui.example.cn",
        DATABASE_URL=os.environ.get("DATABASE_URL") or "postgres://127.0.0.1/hegui",
    )
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n"
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])\n"
    )
    checked = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip().endswith("[\"'self'\"]")
