"""The kinds of notice, an open set: each app registers its own from its AppConfig.ready().

A kind has a code (stored on each notice), a label (the badge on 通知), optionally an icon,
and a renderer: params -> (subject, body), called in the reader's language whenever a notice
is shown or e-mailed, so a notice reads in the language of whoever reads it.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import pgettext_lazy

Renderer = Callable[[Mapping], tuple[str, str]]
CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # lazily translated
    render: Renderer
    icon: str = ""  # a symbol shown before the label, if any


class DuplicateKind(ImproperlyConfigured):
    """Two apps (or one, twice) registered the same kind code."""


_kinds: dict[str, Kind] = {}


def register(code: str, label: str, *, render: Renderer, icon: str = "") -> Kind:
    """Register a kind of notice; a code may be registered once only."""
    if not CODE.match(code):
        raise ImproperlyConfigured(
            f"notice kind {code!r}: lower-case letters, digits and _, at most 50 characters"
        )
    if code in _kinds:
        raise DuplicateKind(f"the notice kind {code!r} is already registered")
    kind = Kind(code=code, label=label, render=render, icon=icon)
    _kinds[code] = kind
    return kind


def get(code: str) -> Kind | None:
    return _kinds.get(code)


def label_for(code: str) -> str:
    """The kind's name; a notice of a kind no app registers any more is just a notice."""
    kind = _kinds.get(code)
    return str(kind.label) if kind else str(pgettext_lazy("notification kind", "Notice"))


def registered() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: kind.code)
