"""Calendar quarters of the dispatch meetings. Pure: no database."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int  # 1–4

    @property
    def start(self) -> date:
        return date(self.year, (self.quarter - 1) * 3 + 1, 1)

    @property
    def end(self) -> date:
        """The quarter's last day."""
        if self.quarter == 4:
            return date(self.year, 12, 31)
        return date(self.year, self.quarter * 3 + 1, 1) - timedelta(days=1)

    @property
    def code(self) -> str:
        """As it is written in addresses and file names: 2026-Q1."""
        return f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        """As people read it: 2026年第1季度."""
        return _("%(year)d Q%(quarter)d") % {"year": self.year, "quarter": self.quarter}

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def closed(self, today: date) -> bool:
        return today > self.end

    def following(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.quarter == 4 else Quarter(self.year, self.quarter + 1)
        )


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def last_closed(today: date) -> Quarter:
    """The most recent quarter that has ended."""
    return quarter_of(quarter_of(today).start - timedelta(days=1))


def quarters_of_year(year: int, today: date) -> list[Quarter]:
    """The year's quarters that have begun by `today` (all four for a past year)."""
    return [Quarter(year, q) for q in range(1, 5) if Quarter(year, q).start <= today]


def parse_quarter(text: str | None) -> Quarter | None:
    """ "2026-Q1" (or "2026-q1"); None when it is not a quarter of a sensible year."""
    text = (text or "").strip().upper()
    year_text, _sep, part = text.partition("-Q")
    if not (year_text.isascii() and year_text.isdigit() and part.isascii() and part.isdigit()):
        return None
    year, quarter = int(year_text), int(part)
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        return None
    return Quarter(year, quarter)
