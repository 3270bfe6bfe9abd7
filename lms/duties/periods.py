"""Months and quarters of the duty log's summaries. Pure: no database."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None  # a month, or
    quarter: int | None = None  # a quarter (1–4)

    @property
    def start(self) -> date:
        first_month = self.month if self.month else (self.quarter - 1) * 3 + 1
        return date(self.year, first_month, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        last_month = self.month if self.month else self.quarter * 3
        if last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, last_month + 1, 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.month else f"{self.year} Q{self.quarter}"

    def closed(self, today: date) -> bool:
        return today > self.end


def parse_period(text: str, *, today: date) -> Period:
    """ "2026-03" (a month) or "2026-Q1" (a quarter); empty or unreadable: the current month."""
    text = (text or "").strip().upper()
    try:
        year_text, part = text.split("-", 1)
        year = int(year_text)
        if not 2000 <= year <= today.year + 1:
            raise ValueError
        if part.startswith("Q"):
            quarter = int(part[1:])
            if 1 <= quarter <= 4:
                return Period(year=year, quarter=quarter)
        else:
            month = int(part)
            if 1 <= month <= 12:
                return Period(year=year, month=month)
    except ValueError:
        pass
    return Period(year=today.year, month=today.month)


def previous_month(today: date) -> Period:
    first = today.replace(day=1) - timedelta(days=1)
    return Period(year=first.year, month=first.month)


def count_by_person_and_type(
    rows: Iterable[tuple[int, str]], kinds: Iterable[str]
) -> list[tuple[int, dict[str, int], int]]:
    """rows: (person key, kind) pairs → [(person, {kind: n for every kind}, total)], in the order
    people first appear."""
    kinds = list(kinds)
    table: dict[int, dict[str, int]] = {}
    for person, kind in rows:
        counts = table.setdefault(person, dict.fromkeys(kinds, 0))
        counts[kind] = counts.get(kind, 0) + 1
    return [(person, counts, sum(counts.values())) for person, counts in table.items()]
