"""Per-process counters of degraded operations, shown by /healthz (a scrape sums the workers)."""

import threading
from collections import Counter

_lock = threading.Lock()
_counts: Counter[str] = Counter()


def count(name: str, n: int = 1) -> None:
    with _lock:
        _counts[name] += n


def snapshot() -> dict[str, int]:
    with _lock:
        return dict(_counts)
