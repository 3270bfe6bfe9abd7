"""The outbox relay as a process of its own (deploy/systemd/hegui-relay.service): publishes the
tasks the outbox holds every 15 s, talking to PostgreSQL and the broker directly. Beat's
`resilience.tick` does the same through the broker and a worker; this one keeps relaying when
the worker is away, and its first pass after a broker outage needs nothing but the broker.
Concurrent relays are safe: a publisher claims each message before sending it.

    DJANGO_SETTINGS_MODULE=lms.settings.production python deploy/outbox_relay.py
"""

import logging
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")

import django  # noqa: E402

django.setup()

from django.db import close_old_connections  # noqa: E402

from lms.resilience import outbox  # noqa: E402

INTERVAL = float(os.environ.get("RELAY_INTERVAL", 15))
logger = logging.getLogger("lms.resilience.relay")
running = True


def stop(signum, frame) -> None:
    global running
    running = False


def main() -> None:
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while running:
        close_old_connections()
        try:
            outbox.relay()
        except Exception:  # the database is away: try again next round
            logger.exception("outbox relay round failed")
        deadline = time.monotonic() + INTERVAL
        while running and time.monotonic() < deadline:
            time.sleep(0.5)


if __name__ == "__main__":
    main()
