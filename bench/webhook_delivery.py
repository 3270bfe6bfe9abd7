"""Webhook delivery: events a second through Celery to a receiver on loopback (goal: keeps up with 100/s).

One command: builds a bench organisation with one endpoint subscribed to `exam.finalised`,
starts a receiver on 127.0.0.1 (a threaded HTTP server in this process that checks every
delivery's signature and answers 200 after `--receiver-ms`), starts a Celery worker (the
production settings' Redis broker) and emits `--rate` events a second for `--seconds` seconds
through the real path from `--emitters` threads, as from several web workers
(`integrations.services.webhook_event_emit`: the delivery row and the outbox message in one
transaction, published after commit; the worker signs, posts and records each answer). Then it waits for the last delivery and prints:

  - events emitted and the rate reached, deliveries received, signatures valid;
  - delivered per second over the run, and the lag (event emitted → receiver got it) p50/p95/max;
  - the worker's CPU per delivery (its processes, from /proc);
  - "keeps up" when every event arrived once, signed, at ≥ 98 % of the rate and with the lag's
    p95 under 2 s; otherwise "falls behind".

With --backlog it emits every event first (unpaced) and then starts the worker: the rate at which
the worker drains them (first to last received) is its delivery capacity, apart from the cost
of emitting, which on a real deployment falls on the web nodes.

Bounded: at most 300 events a second, 60 s of emitting and 120 s of waiting for the last ones.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hegui_bench \\
        .venv/bin/python -m bench webhook_delivery [--rate 100] [--seconds 20] \\
        [--pool threads] [--concurrency 8] [--receiver-ms 20]
"""

import argparse
import os
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.exam_day import (  # noqa: E402
    VENV,
    Processes,
    bench_environment,
    children,
    cpu_by_pid,
    cpu_spent,
    free_port,
    say,
)

OUT = ROOT / "bench" / "out" / "webhook_delivery"
MAX_RATE, MAX_SECONDS, MAX_WAIT = 300, 60, 120
LAG_P95_GOAL_S = 2.0


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench webhook_delivery", description=__doc__)
    parser.add_argument("--rate", type=float, default=100, help="events a second, at most 300")
    parser.add_argument("--seconds", type=float, default=20, help="seconds of emitting, ≤ 60")
    parser.add_argument("--pool", default="threads", choices=["threads", "prefork", "gevent"])
    parser.add_argument("--concurrency", type=int, default=8, help="the worker's concurrency")
    parser.add_argument("--emitters", type=int, default=8, help="threads emitting events")
    parser.add_argument(
        "--backlog",
        action="store_true",
        help="emit every event first, then start the worker and time how fast it drains them",
    )
    parser.add_argument("--receiver-ms", type=float, default=20, help="the receiver's think time")
    args = parser.parse_args(argv)
    args.rate = max(1.0, min(args.rate, MAX_RATE))
    args.seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    args.emitters = max(1, min(args.emitters, 32))
    return args


class Receiver:
    """An HTTP receiver on loopback that checks each delivery's signature as an HR system would
    and notes when each delivery (by its X-Hegui-Delivery id) arrived."""

    def __init__(self, secret: str, think_seconds: float):
        from lms.integrations import signing

        received: dict[str, float] = {}
        counts = {"posts": 0, "bad_signature": 0, "repeated": 0}
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                valid = signing.signature_valid(
                    secret=secret,
                    header=self.headers.get(signing.HEADER, ""),
                    body=body,
                    now=int(time.time()),
                )
                if think_seconds:
                    time.sleep(think_seconds)
                with lock:
                    counts["posts"] += 1
                    if not valid:
                        counts["bad_signature"] += 1
                    delivery = self.headers.get("X-Hegui-Delivery", "")
                    if delivery in received:
                        counts["repeated"] += 1
                    else:
                        received[delivery] = time.time()
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format, *args):  # noqa: A002 (http.server's signature)
                pass

        self.received, self.counts = received, counts
        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/hegui"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def build(receiver_url: str, secret: str):
    from lms.integrations import events
    from lms.integrations.models import WebhookEndpoint
    from lms.organisations import credit_code
    from lms.organisations.models import Organisation

    org, _ = Organisation.objects.get_or_create(
        credit_code=credit_code.complete("91330100MA9WHK001"),
        defaults={"name": "回调压测企业", "sector": Organisation.Sector.OTHER},
    )
    WebhookEndpoint.objects.filter(organisation=org).update(is_active=False)
    endpoint = WebhookEndpoint.objects.create(
        organisation=org,
        url=receiver_url,
        events=[events.EXAM_FINALISED],
        secret=secret,
    )
    return org, endpoint


def worker_pids(processes: Processes) -> list[int]:
    pid = processes.running["worker"].pid
    return [pid, *children(pid)]


def percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, int(len(ordered) * share) - 1)] if ordered else float("nan")


def main(argv: list[str]) -> int:
    args = arguments(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    bench_environment("webhook_delivery")
    import django

    django.setup()
    from django.core.management import call_command

    from lms.integrations import events, services, signing
    from lms.integrations.models import WebhookDelivery

    call_command("migrate", verbosity=0)
    processes = Processes(OUT)
    receiver = None
    try:
        secret = signing.secret_new()
        receiver = Receiver(secret=secret, think_seconds=args.receiver_ms / 1000)
        org, endpoint = build(receiver.url, secret)

        def start_worker() -> dict[int, float]:
            processes.start(
                "worker",
                [str(VENV / "celery"), "-A", "lms", "worker", "-P", args.pool,
                 "-c", str(args.concurrency), "-l", "WARNING", "-Q", "celery"],
                dict(os.environ),
            )  # fmt: skip
            time.sleep(6)  # the worker connects to the broker
            return cpu_by_pid(worker_pids(processes))

        if not args.backlog:
            before = start_worker()
        say(
            f"worker: {args.pool} × {args.concurrency}; receiver {receiver.url} "
            f"({args.receiver_ms:.0f} ms a delivery); emitting {args.rate:.0f}/s for "
            f"{args.seconds:.0f} s"
        )
        total = int(args.rate * args.seconds)
        emitted: dict[str, float] = {}
        started = time.time()
        emit_cpu = time.process_time()

        def emitter(share: int) -> None:
            # one of --emitters threads (as events come from several web workers at once),
            # each with its own database connection, emitting events share, share + E, …
            from django.db import connection

            try:
                for n in range(share, total, args.emitters):
                    pause = started + n / args.rate - time.time()
                    if pause > 0 and not args.backlog:
                        time.sleep(pause)
                    at = time.time()
                    (delivery,) = services.webhook_event_emit(
                        organisation_id=org.pk,
                        event=events.EXAM_FINALISED,
                        data={"bench": n, "attempt_id": n, "passed": n % 3 != 0},
                    )
                    emitted[str(delivery.event_id)] = at
            finally:
                connection.close()

        threads = [
            threading.Thread(target=emitter, args=(k,), daemon=True) for k in range(args.emitters)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        emitting = time.time() - started
        emit_cpu = time.process_time() - emit_cpu
        if args.backlog:
            say(f"{total:,} events waiting; starting the worker")
            before = start_worker()
        deadline = time.time() + MAX_WAIT
        while time.time() < deadline and len(receiver.received) < total:
            time.sleep(0.2)
        finished = max(receiver.received.values(), default=time.time())
        spent = cpu_spent(before, cpu_by_pid(worker_pids(processes)))
        time.sleep(1)  # the last answers recorded
        pending = WebhookDelivery.objects.filter(
            endpoint=endpoint, status=WebhookDelivery.Status.PENDING
        ).count()
        delivered = WebhookDelivery.objects.filter(
            endpoint=endpoint, status=WebhookDelivery.Status.DELIVERED
        ).count()
        lags = sorted(
            receiver.received[event_id] - at
            for event_id, at in emitted.items()
            if event_id in receiver.received
        )
        got = len(lags)
        rate_reached = total / emitting
        throughput = got / max(finished - started, 1e-9)
        p95 = percentile(lags, 0.95)
        say(f"emitted {total:,} events in {emitting:.1f} s ({rate_reached:.1f}/s; "
            f"{emit_cpu / total * 1000:.2f} ms CPU each, {args.emitters} emitting threads)")  # fmt: skip
        say(
            f"received {got:,} ({receiver.counts['posts']:,} posts, "
            f"{receiver.counts['repeated']} repeated, {receiver.counts['bad_signature']} with a "
            f"bad signature); recorded delivered {delivered:,}, still pending {pending:,}"
        )
        if lags:
            say(
                f"delivered {throughput:.1f}/s; lag p50 {statistics.median(lags) * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms"
            )
        say(f"worker CPU {spent:.1f} s: {spent / max(got, 1) * 1000:.1f} ms a delivery; "
            f"load {Path('/proc/loadavg').read_text().split()[0]}")  # fmt: skip
        if args.backlog:
            times = sorted(receiver.received.values())
            drain = (len(times) - 1) / max(times[-1] - times[0], 1e-9) if len(times) > 1 else 0.0
            keeps_up = got == total and receiver.counts["bad_signature"] == 0
            keeps_up = keeps_up and drain >= args.rate
            say(
                f"the worker drained {got:,} waiting deliveries at {drain:.1f}/s "
                f"(first to last received); webhook delivery "
                f"{'keeps up with' if keeps_up else 'falls behind'} {args.rate:.0f}/s"
            )
            return 0 if keeps_up else 1
        keeps_up = (
            got == total
            and receiver.counts["bad_signature"] == 0
            and throughput >= 0.98 * min(args.rate, rate_reached)
            and p95 < LAG_P95_GOAL_S
        )
        say(
            f"webhook delivery at {args.rate:.0f}/s: "
            f"{'keeps up' if keeps_up else 'falls behind'} "
            f"(goal: every event once, signed, lag p95 < {LAG_P95_GOAL_S:.0f} s)"
        )
        return 0 if keeps_up else 1
    finally:
        processes.stop_all()
        if receiver:
            receiver.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
