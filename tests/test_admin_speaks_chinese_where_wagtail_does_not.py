"""A Chinese administrator meets no English in the admin where Wagtail's own zh_Hans catalogue
has a gap: our gap catalogue (lms/wagtail_zh) fills exactly those strings, Wagtail's admin
JavaScript catalogue included, and `scripts/translations.py check` fails when it falls behind
Wagtail or would change Wagtail's own words."""

import importlib.util
import json
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import content as cf
from tests.factories.organisations import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
LEFT_IN_ENGLISH = [
    "Shortcuts",
    "Show keyboard shortcuts",
    "Go to the first error",
    "Autosave is paused",
    "to display",
    "Why not",
    ">Section<",
    ">Application<",
    "Pages created in",
]


@pytest.fixture
def platform_admin(client):
    cf.home_page()  # the dashboard's site summary links to the root page
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _english_left(html: str) -> list[str]:
    return [words for words in LEFT_IN_ENGLISH if words in html]


def test_the_dashboard_and_users_list_read_chinese(client, platform_admin):
    for url in ("/admin/", reverse("wagtailusers_users:index")):
        html = client.get(url).content.decode()
        assert _english_left(html) == [], url
        assert "显示键盘快捷键" in html  # the keyboard shortcuts dialog in every admin page


def test_a_page_edit_form_with_an_error_reads_chinese(client, platform_admin):
    course = cf.course(lessons=1)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[course.pk]), {"title": ""})
    html = response.content.decode()
    assert "转到第一个错误" in html
    assert _english_left(html) == []


def test_an_empty_admin_list_invites_in_chinese(client, platform_admin):
    html = client.get(reverse("appointments:index")).content.decode()
    assert "没有可显示的" in html and "何不" in html
    assert _english_left(html) == []


def test_the_admin_javascript_reads_chinese(client, platform_admin):
    script = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for words in ("正在自动保存……", "更改已自动保存。"):
        assert json.dumps(words) in script


def _translations():
    spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts/translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_gap_catalogue_holds_exactly_what_wagtail_leaves_untranslated():
    assert _translations()._check_wagtail_gaps({}) == []


def test_the_check_fails_on_a_wagtail_string_nobody_translates_or_one_we_would_override(
    tmp_path, monkeypatch
):
    import polib

    translations = _translations()
    monkeypatch.setattr(translations, "WAGTAIL_GAPS", tmp_path)
    po_path = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Dashboard", msgstr="仪表板"))  # Wagtail says 控制面板
    po.save(str(po_path))
    problems = "\n".join(translations._check_wagtail_gaps({}))
    assert "'Dashboard' is translated by Wagtail" in problems
    assert "'Go to the first error' has no zh-hans translation" in problems
    assert "'Autosave in progress…' has no zh-hans translation" in problems  # djangojs


def test_a_refresh_keeps_our_translations_and_wagtails_flags(tmp_path, monkeypatch):
    import polib

    translations = _translations()
    monkeypatch.setattr(translations, "WAGTAIL_GAPS", tmp_path)
    po_path = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Go to the first error", msgstr="转到第一个错误"))
    po.save(str(po_path))
    translations.wagtail_gaps()
    entries = {entry.msgid: entry for entry in polib.pofile(str(po_path))}
    assert entries["Go to the first error"].msgstr == "转到第一个错误"
    assert entries["Use server language: %(language_name)s"].msgstr == ""
    assert "python-format" in entries["Use server language: %(language_name)s"].flags
    assert "Dashboard" not in entries


def test_an_english_reader_gets_the_admin_and_its_refusals_in_english(client, org):
    """The language menu sets the language cookie; the admin (no /en/ prefix) follows it."""
    from lms.organisations.models import ComplianceRole
    from tests.factories.organisations import person

    cf.home_page()
    head = person(org, role=ComplianceRole.COMPLIANCE_HEAD).user
    client.force_login(head)
    assert "控制面板" in client.get("/admin/").content.decode()
    client.cookies["django_language"] = "en"
    html = client.get("/admin/").content.decode()
    assert "Dashboard" in html and "控制面板" not in html
    course = cf.course(lessons=1)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]), follow=True)
    messages = [str(message).strip() for message in response.context["messages"]]
    assert "Sorry, you do not have permission to access this area." in messages
    assert not any("权限" in message for message in messages)


def test_a_wagtail_profile_language_still_wins_over_the_cookie(client, platform_admin):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(platform_admin)
    profile.preferred_language = "zh-hans"
    profile.save()
    client.cookies["django_language"] = "en"
    assert "控制面板" in client.get("/admin/").content.decode()


def test_an_english_learner_turned_away_from_the_admin_reads_why_in_english(client, org):
    from lms.organisations.models import ComplianceRole
    from tests.factories.organisations import person

    cf.home_page()
    client.force_login(person(org, role=ComplianceRole.NONE).user)
    client.cookies["django_language"] = "en"
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/en/accounts/login/")
    html = response.content.decode()
    assert "You do not have permission to access the admin." in html
    assert "您没有权限访问管理后台" not in html
