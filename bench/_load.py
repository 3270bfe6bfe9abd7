"""The asyncio load client of bench/exam_day.py (aiohttp): one examinee per cookie jar, speaking
the exam page's protocol (assessments/static/assessments/exam.js), and the closed- and
open-model drivers. Loopback only; every driver is bounded in requests and seconds."""

import asyncio
import json
import math
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp

from bench._ledger import Given

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT = aiohttp.ClientTimeout(total=300)  # a synchronized start queues long
CONFIG_RE = re.compile(r'<script id="exam-config" type="application/json">(.*?)</script>', re.S)
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def loopback_only(base_url: str) -> str:
    host = urlsplit(base_url).hostname
    if host not in LOOPBACK:
        raise SystemExit(f"the bench drives loopback only, not {host!r}")
    return base_url.rstrip("/")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)  # nearest rank
    index = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[index]


@dataclass
class Outcome:
    """What a driver saw: requests finished, errors (status, exception or no room), latencies
    in milliseconds and the wall time in seconds."""

    done: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    wall: float = 0.0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def add(self, ok: bool, ms: float, kind: str = "") -> None:
        self.done += 1
        self.latencies.append(ms)
        if not ok:
            self.errors += 1
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    @property
    def rate(self) -> float:
        return self.done / self.wall if self.wall else 0.0

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 95)

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 50)

    def line(self) -> str:
        extra = f", errors {self.errors} {self.error_kinds}" if self.errors else ", 0 errors"
        return (
            f"{self.rate:.1f} req/s ({self.done} in {self.wall:.1f} s), p50 {self.p50:.0f} ms, "
            f"p95 {self.p95:.0f} ms{extra}"
        )


Request = Callable[[int], Awaitable[tuple[bool, str]]]


async def timed(outcome: Outcome, request: Request, n: int) -> None:
    began = time.perf_counter()
    try:
        ok, kind = await request(n)
    except (aiohttp.ClientError, TimeoutError) as exc:
        ok, kind = False, type(exc).__name__
    outcome.add(ok, (time.perf_counter() - began) * 1000, kind)


async def closed_loop(request: Request, *, concurrency: int, seconds: float, cap: int) -> Outcome:
    """`concurrency` clients, each sending its next request when the last one is answered, for
    `seconds` or `cap` requests, whichever comes first."""
    outcome = Outcome()
    counter = iter(range(cap))
    stop = time.perf_counter() + seconds

    async def client() -> None:
        for n in counter:
            if time.perf_counter() >= stop:
                return
            await timed(outcome, request, n)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    outcome.wall = time.perf_counter() - began
    return outcome


async def open_model(
    request: Request, *, rate: float, seconds: float, max_in_flight: int, seed: int = 1
) -> Outcome:
    """Requests arriving as a Poisson process of `rate` per second for `seconds`, whether or
    not the server keeps up; an arrival finding `max_in_flight` requests unanswered is an
    error ("no room") instead of a request."""
    outcome = Outcome()
    rng = random.Random(seed)
    tasks: set[asyncio.Task] = set()
    began = time.perf_counter()
    due = began
    n = 0
    while True:
        due += rng.expovariate(rate)
        if due - began >= seconds:
            break
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        if len(tasks) >= max_in_flight:
            outcome.add(False, 0.0, "no room")
            continue
        task = asyncio.create_task(timed(outcome, request, n))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        n += 1
    if tasks:
        await asyncio.wait(tasks, timeout=35)
    outcome.wall = time.perf_counter() - began
    return outcome


class Examinee:
    """One person's browser: a cookie jar, the CSRF token and their attempt's paper."""

    def __init__(self, base: str, email: str, password: str, connector: aiohttp.BaseConnector):
        self.base = base
        self.email = email
        self.password = password
        # unsafe=True: keep cookies of an IP address host (127.0.0.1)
        self.http = aiohttp.ClientSession(
            connector=connector,
            connector_owner=False,
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=TIMEOUT,
        )
        self.attempt_id = 0
        self.take_url = ""
        self.save_url = ""
        self.submit_url = ""
        self.time_url = ""
        self.token = ""  # the exam page's exam token; "" once refused (the session then)
        self.next_poll = 0.0  # epoch seconds
        self.questions: list[int] = []
        self.deadline = 0.0  # epoch seconds
        self.seq = 0
        self.pending: dict[int, Given] = {}  # answers given, not yet acknowledged
        self.submitted = False

    @property
    def csrf(self) -> str:
        for cookie in self.http.cookie_jar:
            if cookie.key == "csrftoken":
                return cookie.value
        return ""

    async def close(self) -> None:
        await self.http.close()

    async def login(self, login_path: str) -> tuple[bool, str]:
        async with self.http.get(self.base + login_path) as resp:
            page = await resp.text()
        token = CSRF_RE.search(page)
        data = {
            "login": self.email,
            "password": self.password,
            "csrfmiddlewaretoken": token.group(1) if token else "",
        }
        async with self.http.post(
            self.base + login_path,
            data=data,
            headers={"Referer": self.base + login_path},
            allow_redirects=False,
        ) as resp:
            ok = resp.status == 302
            return ok, "" if ok else f"login {resp.status}"

    async def start(self, start_path: str) -> tuple[bool, str]:
        """POST the start page (draws the paper), then GET the paper it redirects to."""
        async with self.http.post(
            self.base + start_path,
            data={"csrfmiddlewaretoken": self.csrf},
            headers={"Referer": self.base + start_path},
        ) as resp:
            page = await resp.text()
            if resp.status != 200:
                return False, f"start {resp.status}"
            self.take_url = str(resp.url)
        return self.read_paper(page)

    def read_paper(self, page: str) -> tuple[bool, str]:
        found = CONFIG_RE.search(page)
        if not found:
            return False, "no paper"
        config = json.loads(found.group(1))
        self.attempt_id = config["attemptId"]
        self.save_url = self.base + config["saveUrl"]
        self.submit_url = self.base + config["submitUrl"]
        self.time_url = self.base + config["timeUrl"] if config.get("timeUrl") else ""
        self.token = config.get("token") or ""
        self.questions = [int(q) for q in config["answers"]]
        self.deadline = config["deadline"] / 1000
        self.seq = max([self.seq, *(a["seq"] for a in config["answers"].values())])
        return True, ""

    async def paper(self) -> tuple[bool, str]:
        async with self.http.get(self.take_url, allow_redirects=False) as resp:
            await resp.read()
            return resp.status == 200, f"paper {resp.status}"

    async def get(self, path: str) -> tuple[bool, str]:
        async with self.http.get(self.base + path, allow_redirects=False) as resp:
            await resp.read()
            return resp.status == 200, f"GET {resp.status}"

    def give(self, question_id: int, answer: list[str], *, kept: bool) -> Given:
        self.seq += 1
        entry = Given(
            attempt_id=self.attempt_id,
            question_id=question_id,
            seq=self.seq,
            answer=tuple(answer),
            given_at=time.time(),
            deadline=self.deadline,
            kept=kept,
        )
        if kept:
            self.pending[question_id] = entry
        return entry

    async def submit(self) -> tuple[int, dict]:
        async with self.http.post(
            self.submit_url,
            data=b"{}",
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf},
        ) as resp:
            data = await resp.json(content_type=None) if resp.status < 500 else {}
            return resp.status, data or {}


async def save_answer(examinee: Examinee, entry: Given) -> tuple[int, dict]:
    """Today's save protocol, as exam.js sends it: one POST per answer to the attempt's save
    URL, JSON {question, answer, seq}, the session cookie and the CSRF header. Answers
    200 {"ok", "seq", "stale"}, 409 once the attempt is closed. The one function to change
    for another protocol (a signed exam token header, batched saves)."""
    async with examinee.http.post(
        examinee.save_url,
        data=json.dumps(
            {"question": entry.question_id, "answer": list(entry.answer), "seq": entry.seq}
        ),
        headers={"Content-Type": "application/json", "X-CSRFToken": examinee.csrf},
    ) as resp:
        try:
            data = await resp.json(content_type=None)
        except ValueError:
            data = {}
        return resp.status, data if isinstance(data, dict) else {}


async def poll_timer(examinee: Examinee, outcome: "Outcome", rng: random.Random) -> None:
    """The exam page's countdown poll (exam.js `poll`): when it is due (every 30 to 60 s), a GET
    of the attempt's time with the exam token (the session once the token is refused); the
    deadline it answers is the one the examinee follows."""
    now = time.time()
    if not examinee.time_url or now < examinee.next_poll:
        return
    examinee.next_poll = now + rng.uniform(30, 60)
    headers = {"X-Exam-Token": examinee.token} if examinee.token else {}
    began = time.perf_counter()
    try:
        async with examinee.http.get(examinee.time_url, headers=headers) as resp:
            data = await resp.json(content_type=None) if resp.status < 500 else {}
            status = resp.status
    except Exception as exc:  # noqa: BLE001 (any failure: the countdown goes on)
        outcome.add(False, (time.perf_counter() - began) * 1000, type(exc).__name__)
        return
    outcome.add(status == 200, (time.perf_counter() - began) * 1000, f"time {status}")
    if status == 200 and isinstance(data, dict) and data.get("deadline"):
        examinee.deadline = data["deadline"] / 1000
    elif isinstance(data, dict) and data.get("reason") == "token":
        examinee.token = ""
