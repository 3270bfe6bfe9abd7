"""Real identity providers for the SSO tests, each in a process or thread of its own on a free
loopback port: the OpenID Connect provider (django-oauth-toolkit, tests/sso/oidc_provider) and a
small HTTP server answering DingTalk's and Feishu's token and user endpoints with their
documented responses (tests/sso/fixtures/)."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class OidcProvider:
    url: str  # the issuer, e.g. http://127.0.0.1:PORT/o
    env: dict

    def run(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "tests.sso.oidc_provider.manage", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def add_people(self, *specs: str) -> None:
        self.run("people", *specs)

    def register_client(self, client_id: str, secret: str, redirect_uri: str) -> None:
        self.run("client", client_id, secret, redirect_uri)


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = workdir / "key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.sso.oidc_provider.settings",
        OIDC_PROVIDER_DB=str(workdir / "idp.sqlite3"),
        OIDC_PROVIDER_KEY=str(key_file),
        PYTHONPATH=str(ROOT),
    )
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError((workdir / "server.log").read_text()) from None
            time.sleep(0.3)
    try:
        yield OidcProvider(url=issuer, env=env)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


# --- DingTalk and Feishu: their documented responses, served on loopback ---------------------


class RecordedApi(BaseHTTPRequestHandler):
    """Answers each path with its recorded response; remembers what was asked."""

    routes: dict = {}
    seen: list = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        path = self.path.split("?")[0]
        type(self).seen.append(
            {"method": self.command, "path": path, "headers": dict(self.headers), "body": body}
        )
        payload = type(self).routes.get(path)
        if payload is None:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def recorded_api():
    """A local server answering with recorded provider responses: set `.routes`."""
    handler = type("Handler", (RecordedApi,), {"routes": {}, "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    handler.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())
