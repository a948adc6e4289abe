"""Pytest fixtures: a real Oxigraph SPARQL server, and a scripted HTTP proxy in front of it.

* ``oxigraph_server`` (session): ``oxigraph serve`` on a free 127.0.0.1 port, in a temporary
  directory; skipped only when the ``oxigraph`` binary (``pip install oxigraph``) is absent.
* ``oxigraph`` (function): the same server, emptied (``DROP ALL``) before the test.
* ``make_proxy`` (function): ``make_proxy(rule)`` starts a :class:`Proxy` on 127.0.0.1
  that asks ``rule(request)`` what to do with each request (forward it by default).

All traffic stays on 127.0.0.1; every wait is bounded; servers and threads stop at teardown.
"""

from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

STARTUP_SECONDS = 30.0
FORWARD_TIMEOUT = 20.0


@dataclass(frozen=True)
class OxigraphServer:
    """A running ``oxigraph serve``: its base URL and SPARQL / Graph Store endpoints."""

    base: str

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    @property
    def update(self) -> str:
        return f"{self.base}/update"

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    def post_update(self, text: str) -> None:
        """Run a SPARQL update directly (test set-up, not the code under test)."""
        request = urllib.request.Request(
            self.update,
            data=text.encode(),
            headers={"Content-Type": "application/sparql-update"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=FORWARD_TIMEOUT) as response:
            response.read()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1.0) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    location = tmp_path_factory.mktemp("oxigraph")
    log = (location.parent / "oxigraph.log").open("wb")
    process = None
    try:
        for _attempt in range(3):  # another process may take the port between bind and serve
            base = f"http://127.0.0.1:{_free_port()}"
            command = [binary, "serve", "--location", str(location), "--bind", base[7:]]
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + STARTUP_SECONDS
            while process.poll() is None and time.monotonic() < deadline:
                if _answers(base):
                    yield OxigraphServer(base)
                    return
                time.sleep(0.05)
            if process.poll() is None:
                pytest.fail(f"oxigraph did not answer within {STARTUP_SECONDS:g} s")
        pytest.fail("oxigraph exited at start three times; see oxigraph.log")
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()


@pytest.fixture
def oxigraph(oxigraph_server: OxigraphServer) -> OxigraphServer:
    oxigraph_server.post_update("DROP ALL")
    return oxigraph_server


# --- the proxy ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """One request the proxy received (``number`` counts from 1)."""

    number: int
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass(frozen=True)
class Reply:
    """Answer with this instead of forwarding; ``after_forward``: forward first, then
    answer with this anyway (the server did the work but the client never hears of it)."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain"
    headers: dict[str, str] = field(default_factory=dict)
    after_forward: bool = False


@dataclass(frozen=True)
class Hang:
    """Answer nothing for ``seconds`` (or until the proxy stops), then close."""

    seconds: float


Rule = Callable[[Seen], Reply | Hang | None]


class Proxy:
    """A tiny threaded HTTP server on 127.0.0.1 forwarding to ``upstream`` as ``rule`` says.

    ``after`` (optional) is called with each forwarded request once its answer is back,
    before the proxy answers the client.
    """

    def __init__(self, upstream: str, rule: Rule | None = None, after=None):
        self.upstream = upstream.removeprefix("http://")
        self.rule = rule or (lambda seen: None)
        self.after = after
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        serve = partial(self.server.serve_forever, poll_interval=0.05)
        self.thread = threading.Thread(target=serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def paths(self) -> list[str]:
        with self.lock:
            return [seen.path for seen in self.seen]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self._handle()

            do_POST = do_PUT = do_DELETE = do_GET

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with proxy.lock:
                    seen = Seen(
                        len(proxy.seen) + 1,
                        self.command,
                        self.path,
                        dict(self.headers.items()),
                        body,
                    )
                    proxy.seen.append(seen)
                action = proxy.rule(seen)
                if isinstance(action, Hang):
                    proxy.stopping.wait(action.seconds)
                    self.close_connection = True
                    return
                if action is None or action.after_forward:
                    status, content_type, answer = self._forward(seen)
                    if proxy.after:
                        proxy.after(seen)
                if action is not None:
                    status, content_type, answer = action.status, action.content_type, action.body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(answer)))
                for name, value in (action.headers if action else {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer)

            def _forward(self, seen: Seen) -> tuple[int, str, bytes]:
                connection = http.client.HTTPConnection(proxy.upstream, timeout=FORWARD_TIMEOUT)
                try:
                    keep = ("Content-Type", "Accept")
                    headers = {k: v for k, v in seen.headers.items() if k in keep}
                    connection.request(seen.method, seen.path, body=seen.body, headers=headers)
                    response = connection.getresponse()
                    content_type = response.getheader("Content-Type", "text/plain")
                    return response.status, content_type, response.read()
                finally:
                    connection.close()

        return Handler


@pytest.fixture
def make_proxy(oxigraph: OxigraphServer) -> Iterator[Callable[..., Proxy]]:
    proxies: list[Proxy] = []

    def make(rule: Rule | None = None, after=None) -> Proxy:
        proxy = Proxy(oxigraph.base, rule, after)
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.stop()
