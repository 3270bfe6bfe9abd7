"""Whether an enterprise's quarterly compliance dispatches (合规管理调度, guidance 四(十)) took
place: answered by `lms.dispatch`, built in parallel.

Until its selector is wired in, every enterprise's dispatch figure reads "not available". To
wire it, in `OversightConfig.ready()`:

    from lms.dispatch import selectors as dispatch_selectors
    dispatch_hook.register(dispatch_selectors.<quarters held per organisation>)

The provider takes `organisation_ids` (ids or a query) and `year`, and returns
{organisation id: number of quarters of that year with a dispatch meeting recorded}, computed
in one GROUP BY query; an organisation with none may be left out.
"""

from collections.abc import Callable
from datetime import date

QuartersHeld = Callable[..., dict[int, int]]

_provider: QuartersHeld | None = None


def register(provider: QuartersHeld | None) -> None:
    global _provider
    _provider = provider


def quarters_held(*, organisation_ids, year: int) -> dict[int, int] | None:
    """{organisation id: quarters with a dispatch}, or None: not available (no provider)."""
    if _provider is None:
        return None
    return _provider(organisation_ids=organisation_ids, year=year)


def quarters_ended(*, year: int, today: date) -> int:
    """How many quarters of `year` have ended by `today` (0 to 4)."""
    if today.year > year:
        return 4
    if today.year < year:
        return 0
    return (today.month - 1) // 3
