"""A small loopback HTTP server that the fakes of httpx-based sources share.

A fake subclasses :class:`LoopbackServer` and answers ``route``; this module
binds 127.0.0.1 on a free port, logs every request, and injects the faults a
watcher has to survive, each on chosen paths for a chosen number of times:

- ``"429"``: Too Many Requests, with ``Retry-After`` when given;
- ``"500"`` / ``"503"``: a server error;
- ``"slow"``: an answer that starts after ``delay`` seconds (longer than the
  client's timeout);
- ``"malformed"``: 200 with a body that is not JSON;
- ``"truncate"``: 200 whose body stops halfway while ``Content-Length``
  promises all of it, then the connection closes.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

FAULT_KINDS = ("429", "500", "503", "slow", "malformed", "truncate")


@dataclass(slots=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, **headers: str) -> Reply:
        body = json.dumps(data).encode("utf-8")
        return cls(status, body, {"Content-Type": "application/json; charset=utf-8", **headers})


@dataclass(slots=True)
class Fault:
    kind: str
    path: str | None
    """Only requests to this path, or under it when it ends with "/" (None:
    every request)."""
    times: int = 1
    skip: int = 0
    """Let this many matching requests through before failing."""
    retry_after: str | None = None
    delay: float = 1.0


@dataclass(slots=True)
class Seen:
    """One request as the fake received it."""

    path: str
    params: list[tuple[str, str]]
    headers: dict[str, str]
    status: int = 0

    def param(self, name: str) -> str | None:
        return next((v for k, v in self.params if k == name), None)

    def params_named(self, name: str) -> list[str]:
        return [v for k, v in self.params if k == name]


class LoopbackServer:
    """Start with ``with Fake(...) as fake:``; ``fake.url`` is its base URL."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        assert self._server is not None, "the fake is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> LoopbackServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -------------------------------------------------------------- faults

    def inject(self, kind: str, path: str | None = None, *, times: int = 1, skip: int = 0,
               retry_after: str | None = None, delay: float = 1.0) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; one of {', '.join(FAULT_KINDS)}")
        with self._lock:
            self.faults.append(Fault(kind, path, times, skip, retry_after, delay))

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times <= 0 or not _matches(fault.path, path):
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.times -= 1
                return fault
        return None

    # ------------------------------------------------------------- serving

    def route(self, seen: Seen) -> Reply:
        """The answer to one request; fakes override it (this one has no pages)."""
        return Reply.json({"errors": [f"no page at {seen.path}"]}, 404)

    def count(self, path_prefix: str = "") -> int:
        return sum(1 for s in self.seen if s.path.startswith(path_prefix))

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        try:
            self._answer(handler)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True  # the client gave up first (its timeout)

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        seen = Seen(parts.path, parse_qsl(parts.query, keep_blank_values=True),
                    {k.lower(): v for k, v in handler.headers.items()})
        with self._lock:
            self.seen.append(seen)
        fault = self._take_fault(parts.path)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
            fault = None
        if fault is not None and fault.kind in ("429", "500", "503"):
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            reply = Reply.json({"errors": [f"injected {fault.kind}"]}, int(fault.kind), **headers)
        else:
            try:
                reply = self.route(seen)
            except Exception as exc:  # a bug in the fake shows as a 500 with its text
                reply = Reply.json({"errors": [f"fake failed: {exc!r}"]}, 599)
        seen.status = reply.status
        body = reply.body
        headers = dict(reply.headers)
        if fault is not None and fault.kind == "malformed":
            body = b'{"this is": "not json'
        if "gzip" in seen.headers.get("accept-encoding", "") and headers.pop("X-Gzip", None):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        handler.send_response(reply.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        if fault is not None and fault.kind == "truncate":
            handler.send_header("Connection", "close")
            handler.end_headers()
            handler.wfile.write(body[: max(1, len(body) // 2)])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.end_headers()
        if body:
            handler.wfile.write(body)


def _matches(pattern: str | None, path: str) -> bool:
    if pattern is None:
        return True
    return path.startswith(pattern) if pattern.endswith("/") else path == pattern
