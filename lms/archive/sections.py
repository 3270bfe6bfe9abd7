"""Sections other apps add to an inspection archive (the quarterly dispatch minutes, ...).

A section is a callable `(organisation, start, end) -> list[(file name, bytes)]`, registered by
a higher app in its `AppConfig.ready()`; `start` and `end` are dates, both inclusive. The files
go into the archive under the section's name, and each is a row of the index."""

import datetime
from collections.abc import Callable

Section = Callable[[object, datetime.date, datetime.date], list[tuple[str, bytes]]]
_sections: dict[str, Section] = {}


def register(name: str, section: Section) -> Section:
    """Add (or replace) the section called `name` (its folder in the archive)."""
    _sections[name] = section
    return section


def unregister(name: str) -> None:
    _sections.pop(name, None)


def registered() -> list[tuple[str, Section]]:
    return sorted(_sections.items())
