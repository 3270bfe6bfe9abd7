"""Date arithmetic for validity periods. Pure functions, no database."""

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def expiry_for(issued_on: date, validity_months: int) -> date | None:
    """The last day a certificate is valid, or None when it does not expire."""
    if not validity_months:
        return None
    return add_months(issued_on, validity_months)
