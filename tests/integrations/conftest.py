"""An organisation with its head and a learner, keys made through the service, and a webhook
receiver: a small threaded HTTP server on 127.0.0.1 that records what it is sent."""

import http.server
import threading
import time
from dataclasses import dataclass, field

import pytest

from lms.integrations import services
from lms.organisations.models import ComplianceRole
from tests.factories.organisations import person


@pytest.fixture
def head(org):
    return person(org, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="张负责人").user


@pytest.fixture
def other_head(other_org):
    return person(other_org, role=ComplianceRole.COMPLIANCE_HEAD, user__full_name="李负责人").user


@pytest.fixture
def learner(org):
    return person(org, user__full_name="赵学员").user


def make_key(actor, organisation, scope="write", name="HR 系统"):
    api_key, raw = services.api_key_create(
        actor=actor, organisation=organisation, name=name, scope=scope
    )
    return api_key, raw


@pytest.fixture
def write_key(head, org):
    return make_key(head, org, "write")[1]


@pytest.fixture
def read_key(head, org):
    return make_key(head, org, "read", name="只读")[1]


@pytest.fixture
def other_key(other_head, other_org):
    return make_key(other_head, other_org, "write")[1]


def auth(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@dataclass
class Receiver:
    """What the receiver answers (`status`, after `delay` seconds) and what it got."""

    url: str = ""
    status: int = 200
    delay: float = 0.0
    body: bytes = b"ok"
    received: list = field(default_factory=list)


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            state.received.append({"headers": dict(self.headers), "body": body})
            if state.delay:
                time.sleep(state.delay)
            try:
                self.send_response(state.status)
                self.send_header("Content-Length", str(len(state.body)))
                self.end_headers()
                self.wfile.write(state.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender gave up waiting: that is the point of a slow receiver

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    yield state
    server.shutdown()
    server.server_close()
