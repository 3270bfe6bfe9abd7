"""Sections other apps add to an inspection archive (the quarterly dispatch minutes, ...).

A section is a callable `(organisation, start, end) -> list[(file name, bytes)]`, registered by
a higher app in its `AppConfig.ready()` under a name and a label (lazily translated: the
section's folder in the archive and its label in the index, in the requester's language); `start` and
`end` are dates, both inclusive. The files go into the archive under the section's name, and
each is a row of the index."""

import datetime
from collections.abc import Callable

Section = Callable[[object, datetime.date, datetime.date], list[tuple[str, bytes]]]
_sections: dict[str, tuple[object, Section]] = {}


def register(name: str, section: Section, *, label=None) -> Section:
    """Add (or replace) the section called `name`; its folder in the archive is `label` (a
    lazily translated string) or else `name`."""
    _sections[name] = (label if label is not None else name, section)
    return section


def unregister(name: str) -> None:
    _sections.pop(name, None)


def registered() -> list[tuple[str, Section]]:
    """The sections as (folder name in the current language, callable), in that name's order."""
    return sorted(
        ((str(label), section) for label, section in _sections.values()), key=lambda p: p[0]
    )
