"""Pure: how long an exam stays open to answers when outages hit it (no database)."""

from collections.abc import Iterable
from datetime import datetime, timedelta


def extended_close(
    *,
    started_at: datetime,
    deadline: datetime,
    grace: timedelta,
    recovery: timedelta,
    windows: Iterable[tuple[datetime, datetime]],
) -> datetime:
    """The last moment answers are accepted: the deadline plus the grace for saves in flight,
    pushed to `recovery` after the end of every outage that began before that moment and
    after the attempt started (the page could not send what was given in it). Outages chain:
    one that begins within another's recovery pushes the close again."""
    close = deadline + grace
    for start, end in sorted(windows):
        if start < close and end > started_at:
            close = max(close, end + recovery)
    return close
