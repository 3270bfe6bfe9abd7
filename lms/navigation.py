"""The main navigation. Apps add their entries from their AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # lazily translated
    url_name: str
    order: int = 100
    visible: Callable[[object], bool] = lambda user: True
    # user -> a number shown beside the label (e.g. unread notifications); 0 shows nothing
    badge: Callable[[object], int] | None = None


_items: dict[str, NavItem] = {}


def register_nav_item(item: NavItem) -> None:
    _items[item.key] = item


def main_nav(request):
    """The menu, computed only if the page shows it: a page without the menu (the exam paper's
    own layout) asks nothing of the apps that fill it (their badges and who may see what cost
    a query each)."""
    return {"main_nav_items": SimpleLazyObject(lambda: _nav_items(request))}


def _nav_items(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return [
        {
            "key": i.key,
            "label": i.label,
            "url": reverse(i.url_name),
            "badge": i.badge(user) if i.badge else 0,
        }
        for i in sorted(_items.values(), key=lambda i: i.order)
        if i.visible(user)
    ]


@dataclass(frozen=True)
class HomePanel:
    """A panel on a signed-in person's home page, filled by an app (courses, exams, ...)."""

    key: str
    template: str
    context: Callable[[object], dict | None]  # request -> context, or None to hide the panel
    order: int = 100


_panels: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> None:
    _panels[panel.key] = panel


def home_panels(request) -> list[dict]:
    panels = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        ctx = panel.context(request)
        if ctx is not None:
            panels.append({"key": panel.key, "template": panel.template, **ctx})
    return panels


@dataclass(frozen=True)
class AdminTodo:
    """A count of things waiting for an administrator, shown on the Wagtail admin's home page.

    `count(user)` returns how many (0 hides the line); `url_name` is where they are dealt with.
    """

    key: str
    label: str  # ngettext_lazy(singular, plural, "count"), both with %(count)d
    url_name: str
    count: Callable[[object], int]
    order: int = 100
    urgent: bool = False  # drawn in the warning colour


_todos: dict[str, AdminTodo] = {}


def register_admin_todo(todo: AdminTodo) -> None:
    _todos[todo.key] = todo


def admin_todos(user) -> list[dict]:
    rows = []
    for todo in sorted(_todos.values(), key=lambda t: t.order):
        n = todo.count(user)
        if n:
            rows.append(
                {
                    "key": todo.key,
                    "text": todo.label % {"count": n},
                    "url": reverse(todo.url_name),
                    "urgent": todo.urgent,
                }
            )
    return rows


@dataclass(frozen=True)
class GroupPanel:
    """A read-only panel on the group roll-up page of one subsidiary, filled by an app
    (training completion, appraisal, commitments, coverage; dispatch records register here too).

    `context(request, organisation)` returns the panel's context, or None to hide it. The page
    has already checked that the user reads this subsidiary as its group's administrator; a
    panel reads aggregates only and offers no action on the subsidiary's people.
    """

    key: str
    title: str  # lazily translated
    template: str
    context: Callable[[object, object], dict | None]
    order: int = 100


_group_panels: dict[str, GroupPanel] = {}


def register_group_panel(panel: GroupPanel) -> None:
    _group_panels[panel.key] = panel


def group_panels(request, organisation) -> list[dict]:
    panels = []
    for panel in sorted(_group_panels.values(), key=lambda p: p.order):
        ctx = panel.context(request, organisation)
        if ctx is not None:
            panels.append(
                {"key": panel.key, "title": panel.title, "template": panel.template, **ctx}
            )
    return panels
