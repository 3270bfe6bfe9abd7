"""A platform administrator reads every admin list and inspect view and every site page, in
Chinese and in English, and meets words, never Python's: no True/False/None in a cell, no
`snake_case` or `dotted.code` internal code in the text, no English chrome in the Chinese pages
(outside proper names and a short allow list) and no Chinese chrome (headers, labels, buttons,
navigation) in the English ones.

The URLs come from Django's resolver, filled with the sweep world's objects exactly as the
cross-tenant sweep fills them (tests/test_cross_tenant_sweep.py), so a list or page added later
is read without anyone remembering to add it here.
"""

import re
from html.parser import HTMLParser

import pytest

from tests.sweep_world import MARKER
from tests.test_cross_tenant_sweep import ROUTES, Unfillable, concrete_urls, world  # noqa: F401

# --- which pages ------------------------------------------------------------------------------

# Views of the admin that show lists or one object: Wagtail's viewsets and snippets name them so.
ADMIN_VIEW_SUFFIXES = (":index", ":list", ":inspect", ":index_results", ":list_results")
# Our own admin pages that are lists or reports, and the admin home.
ADMIN_PAGES_BY_NAME = {"wagtailadmin_home"}
NOT_PAGES = ("admin/", "api/", "documents/", "cms-api/", "favicon", "robots", "_util/", "sitemap")


def _is_admin_list(route) -> bool:
    return route.route.startswith("admin/") and (
        route.name.endswith(ADMIN_VIEW_SUFFIXES) or route.name in ADMIN_PAGES_BY_NAME
    )


def _is_site_page(route) -> bool:
    path = route.route.removeprefix("en/")
    return not route.route.startswith(NOT_PAGES) and not path.startswith(NOT_PAGES)


PAGES = [r for r in ROUTES if _is_admin_list(r) or _is_site_page(r)]

# --- reading a page ---------------------------------------------------------------------------

HIDDEN = {"script", "style", "template", "noscript", "svg", "textarea", "code", "pre"}
CHROME = {"th", "label", "button", "nav", "legend", "caption", "dt", "h2", "summary"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
VOID |= {"track", "wbr", "param"}


class _Text(HTMLParser):
    """The visible text nodes of a page, each with the tags around it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.hidden = 0
        self.nodes: list[tuple[str, tuple[str, ...]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in VOID:
            return
        hidden = (
            tag in HIDDEN or "hidden" in attrs or "visually-hidden" in (attrs.get("class") or "")
        )
        self.stack.append(tag)
        self.hidden += hidden
        self._hidden_at = getattr(self, "_hidden_at", [])
        self._hidden_at.append(hidden)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            self.hidden -= self._hidden_at.pop()
            if top == tag:
                break

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.hidden:
            self.nodes.append((text, tuple(self.stack)))


def text_nodes(html: str) -> list[tuple[str, tuple[str, ...]]]:
    parser = _Text()
    parser.feed(html)
    return parser.nodes


RAW_VALUES = {"True", "False", "None"}
SNAKE = re.compile(r"(?<![\w@./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/])")
DOTTED = re.compile(r"(?<![\w@./:-])[a-z]+\.[a-z]+(?:_[a-z]+)*(?![\w@/.-])")
SCIENTIFIC = re.compile(r"\b\d(?:\.\d+)?E[+-]\d+\b")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
CJK = re.compile(r"[\u4e00-\u9fff]")
# Not words of a sentence: an address, a path or file name, a hash or token, a code with digits.
NOT_PROSE = re.compile(r"\S*(?:@|/|\\|\.[A-Za-z0-9]{2,4}\b|[0-9][A-Za-z]|[A-Za-z][0-9])\S*")

# English that belongs in a Chinese page: formats, units, standards, brands, keys.
ENGLISH_ALLOWED = {
    *[
        "wagtail",
        "pdf",
        "excel",
        "csv",
        "xlsx",
        "xls",
        "doc",
        "docx",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "webp",
        "svg",
        "totp",
        "mfa",
        "url",
        "api",
    ],
    *[
        "html",
        "json",
        "english",
        "ctrl",
        "alt",
        "cmd",
        "shift",
        "esc",
        "enter",
        "tab",
        "markdown",
        "icp",
        "iso",
        "utc",
        "sha",
    ],
    *["python", "google", "microsoft", "authenticator"],
    *["openid", "connect", "saml"],  # sign-in standards (lms/sso)
    *["hegui", "academy"],  # the product's name beside 合规学院 in the admin's brand
    "email",  # allauth's own zh-hans catalogue writes Email地址
}
# Chinese that belongs in an English page: the language menu names its own language.
CHINESE_ALLOWED = {"简体中文", "中文"}


def _without(text: str, names: list[str]) -> str:
    text = re.sub(MARKER + r"\w*", " ", text)  # the sweep world's names all carry the marker
    for name in names:
        if name in text:
            text = text.replace(name, " ")
    return text


def problems_of(html: str, language: str, names: list[str]) -> list[str]:
    """What in this page is not for people. `names` are the names of things (data), longest
    first: they may be in any language."""
    found = []
    for text, tags in text_nodes(html):
        where = f"<{'/'.join(tags[-2:])}>"
        if text in RAW_VALUES:
            found.append(f"a Python value {text!r} in {where}")
        prose = NOT_PROSE.sub(" ", _without(text, names))
        for match in SNAKE.findall(prose) + DOTTED.findall(prose):
            found.append(f"an internal code {match!r} in {text[:80]!r}")
        if SCIENTIFIC.search(text):
            found.append(f"a number in scientific notation in {text[:80]!r}")
        if language == "zh-hans":
            english = [w for w in ENGLISH_WORD.findall(prose) if w.lower() not in ENGLISH_ALLOWED]
            if english:
                found.append(f"English {english} in {text[:80]!r} {where}")
        elif (
            CHROME.intersection(tags)
            and tags[-2:] != ("fieldset", "label")  # an exam question's options are its data
            and CJK.search(_without(text, names))
            and text not in CHINESE_ALLOWED
        ):
            found.append(f"Chinese chrome {text[:60]!r} in {where}")
    return sorted(set(found))


NAME_FIELDS = ("name", "title", "full_name", "short_name", "hostname", "old_path", "filename")


def _data_names() -> list[str]:
    """The names of things in the world (people, organisations, courses, groups, files …), as
    people gave them: data, not chrome, so in any language. Longest first."""
    from django.apps import apps

    names = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if f.name in NAME_FIELDS]
        for field in fields:
            names |= {str(v) for v in model._default_manager.values_list(field, flat=True) if v}
    return sorted((n for n in names if len(n) > 1), key=len, reverse=True)


# The site's pages are read by each kind of person (each sees other lists and pages); the admin
# by a platform administrator, who sees every list.
SITE_READERS = {
    "platform admin": lambda w: w.platform_admin,
    "compliance head": lambda w: w.head_a.user,
    "regulator officer": lambda w: w.officer_r1.user,
    "learner": lambda w: w.learner_a.user,
}


def _url_in(language: str, url: str, route) -> str:
    if language == "en" and not route.route.startswith("admin/") and not url.startswith("/en/"):
        return "/en" + url
    return url


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("route", [pytest.param(r, id=r.key) for r in PAGES])
def test_a_reader_meets_words_not_codes(world, client, route, language):  # noqa: F811
    if route.route.startswith("en/") and language == "zh-hans":
        pytest.skip("the English copy of a site page is read in English")
    try:
        urls = concrete_urls(world, route)
    except Unfillable as exc:
        pytest.fail(str(exc), pytrace=False)
    readers = (
        {"platform admin": SITE_READERS["platform admin"]}
        if route.route.startswith("admin/")
        else SITE_READERS
    )
    names = _data_names()
    problems = []
    for who, user_of in readers.items():
        client.force_login(user_of(world))
        client.cookies["django_language"] = language
        for url in urls:
            url = _url_in(language, url, route)
            response = client.get(url, follow=True)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            read_in = getattr(response.wsgi_request, "LANGUAGE_CODE", language)
            problems += [
                f"{who} {url}: {p}" for p in problems_of(response.content.decode(), read_in, names)
            ]
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_reader_finds_what_it_should():
    html = (
        "<table><tr><th>状态</th></tr><tr><td>True</td><td>online_platform</td>"
        "<td>certificate.revoke</td><td>1E+1 分</td></tr></table>"
        "<script>var x = none_of_this;</script><p>head@a.example</p>"
    )
    found = problems_of(html, "zh-hans", [])
    assert any("'True'" in p for p in found)
    assert any("online_platform" in p for p in found)
    assert any("certificate.revoke" in p for p in found)
    assert any("scientific" in p for p in found)
    assert not any("none_of_this" in p or "example" in p for p in found)
    assert problems_of("<table><tr><th>Status</th></tr></table>", "zh-hans", [])
    assert problems_of("<table><tr><th>状态</th></tr></table>", "en", [])
    assert not problems_of("<table><tr><th>张三</th></tr></table>", "en", ["张三"])
    assert not problems_of("<p>zqxa.head@a.example · rules.txt · 3fa9c0e1b2</p>", "zh-hans", [])
