"""The HTTP plumbing both fake vendors share: requests and responses as values, routing, the request log, serving.

A vendor is a ``VendorApp``: a name and a ``handle(request) -> Response`` function. ``serve(app, port=0)`` runs
it on 127.0.0.1 in a ``ThreadingHTTPServer`` thread and returns the running ``HTTPServerThread``; every request
is appended to the shared ``RequestLog`` with its arrival time (``time.monotonic()``, one clock for all processes
of the machine) and the status served.

``serve(app, port=0, latency=0.5)`` holds every response half a second after it was handled and logged (the
request stays in flight, as on a slow network or a busy vendor); stopping the server cuts a hold short and drops
the held response.

``GET /_sandbox/requests`` on either server returns that vendor's log as JSON (for a sandbox in another process);
``/_sandbox/`` paths are neither logged, nor rate limited, nor held.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from attrs import define, field, frozen

from ._limits import Limit, SlidingWindow, TokenStore

__all__ = [
    "HTTPServerThread",
    "Request",
    "RequestLog",
    "RequestRecord",
    "Response",
    "Route",
    "VendorApp",
    "VendorBase",
    "dispatch",
    "get_routes",
    "json_response",
    "serve",
    "validate_latency",
]

ADMIN_PREFIX = "/_sandbox/"


@frozen(kw_only=True)
class Request:
    """One HTTP request as the handlers see it; ``query`` keeps repeated parameters in order."""

    method: str
    path: str
    query: Mapping[str, Sequence[str]]
    headers: Mapping[str, str]  # lower-case names
    body: bytes = b""
    base_url: str = ""  # scheme://host:port of the server that received it

    def param(self, name: str, *, any_case: bool = False) -> str | None:
        """The first value of query parameter ``name`` (matched case-insensitively with ``any_case``)."""
        values = self.query.get(name)
        if values is None and any_case:
            lowered = name.lower()
            values = next((v for k, v in self.query.items() if k.lower() == lowered), None)
        return values[0] if values else None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@frozen(kw_only=True)
class Response:
    """What a handler returns; ``body`` is sent as is."""

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str | None = "application/json; charset=utf-8"


def json_response(status: int, payload: object, *, headers: Sequence[tuple[str, str]] = ()) -> Response:
    """A JSON response; keys keep their insertion order, so the same data always gives the same bytes."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(status=status, body=body, headers=tuple(headers))


@frozen(kw_only=True)
class RequestRecord:
    """One served request: which vendor, what was asked, what was answered, and when it arrived."""

    vendor: str
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    status: int
    arrived: float  # time.monotonic() when the request line was read

    def to_json(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "method": self.method,
            "path": self.path,
            "query": [list(pair) for pair in self.query],
            "status": self.status,
            "arrived": self.arrived,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RequestRecord:
        return cls(
            vendor=data["vendor"],
            method=data["method"],
            path=data["path"],
            query=tuple((k, v) for k, v in data["query"]),
            status=data["status"],
            arrived=data["arrived"],
        )


@frozen
class RequestLog:
    """A thread-safe log of served requests, in arrival order.

    Example::

        assert sb.requests.count(vendor="shipbob", path="/2026-01/inventory-level") == 3
    """

    _records: list[RequestRecord] = field(factory=list)
    _lock: threading.Lock = field(factory=threading.Lock)

    def append(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def records(self, *, vendor: str | None = None) -> tuple[RequestRecord, ...]:
        with self._lock:
            records = tuple(self._records)
        return records if vendor is None else tuple(r for r in records if r.vendor == vendor)

    def count(
        self,
        *,
        vendor: str | None = None,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
    ) -> int:
        """How many requests match every criterion given (``path`` is exact, without the query)."""
        return sum(
            1
            for r in self.records(vendor=vendor)
            if (method is None or r.method == method)
            and (path is None or r.path == path)
            and (status is None or r.status == status)
        )

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __iter__(self) -> Iterator[RequestRecord]:
        return iter(self.records())


@frozen(kw_only=True)
class Route:
    """``method`` + a path pattern with ``{name}`` placeholders (one segment each) -> handler(request, **params)."""

    method: str
    pattern: str
    handler: Callable[..., Response]
    _regex: re.Pattern[str] = field(init=False)

    @_regex.default
    def _compile(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.pattern)) + "$")

    def match(self, request: Request) -> dict[str, str] | None:
        if request.method != self.method:
            return None
        found = self._regex.match(request.path)
        return None if found is None else found.groupdict()


def get_routes(prefix: str, handlers: Mapping[str, Callable[..., Response]]) -> tuple[Route, ...]:
    """A ``GET`` route per path pattern (under ``prefix``) -> handler, in the order given: the order they are tried."""
    return tuple(Route(method="GET", pattern=prefix + path, handler=handler) for path, handler in handlers.items())


def dispatch(routes: Sequence[Route], request: Request) -> Response | None:
    """The answer of the first of ``routes`` that matches ``request``; None if none does."""
    for route in routes:
        params = route.match(request)
        if params is not None:
            return route.handler(request, **params)
    return None


@define(kw_only=True)
class VendorBase:
    """What both fake vendors hold besides their shop: the token store, the optional rate ``limit`` (``_window``
    enforces it; None: none) and the routes a subclass sets up for ``dispatch``."""

    tokens: TokenStore
    limit: Limit | None = None
    _window: SlidingWindow | None = field(init=False)
    _routes: tuple[Route, ...] = field(init=False, factory=tuple)

    @_window.default
    def _open_window(self) -> SlidingWindow | None:
        return None if self.limit is None else SlidingWindow(self.limit)


class VendorApp(Protocol):
    """A fake vendor: its name (in the request log) and its request handler."""

    name: str

    def handle(self, request: Request) -> Response: ...


class _Handler(BaseHTTPRequestHandler):
    app: VendorApp
    log: RequestLog
    latency: float = 0.0  # seconds each vendor response is held before it is sent
    protocol_version = "HTTP/1.1"  # keep-alive, as the vendors' servers do
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server_version = "facade-sandbox"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record."""

    def _serve(self) -> None:
        arrived = time.monotonic()
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        address = self.server.server_address
        assert isinstance(address, tuple)  # an AF_INET server
        host, port = address[0], address[1]
        request = Request(
            method=self.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            base_url=f"http://{host}:{port}",
        )
        if request.path.startswith(ADMIN_PREFIX):
            response = self._admin(request)
        else:
            try:
                response = self.app.handle(request)
            except Exception as exc:  # a sandbox bug must show up as a 500, not a dropped connection
                response = json_response(500, {"error": type(exc).__name__, "detail": str(exc)})
            pairs = tuple((k, v) for k, values in request.query.items() for v in values)
            self.log.append(
                RequestRecord(
                    vendor=self.app.name,
                    method=request.method,
                    path=request.path,
                    query=pairs,
                    status=response.status,
                    arrived=arrived,
                )
            )
            if self.latency > 0 and not self._hold():
                self.close_connection = True  # stopping: the held response is dropped with the connection
                return
        self.send_response(response.status)
        if response.content_type is not None and response.body:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _hold(self) -> bool:
        """Wait ``latency`` seconds; False if the server began stopping meanwhile."""
        server = self.server
        assert isinstance(server, _Server)
        return not server.stopping.wait(self.latency)

    def _admin(self, request: Request) -> Response:
        if request.path == ADMIN_PREFIX + "requests" and request.method == "GET":
            return json_response(200, [r.to_json() for r in self.log.records(vendor=self.app.name)])
        if request.path == ADMIN_PREFIX + "requests" and request.method == "DELETE":
            self.log.clear()
            return Response(status=204, content_type=None)
        return json_response(404, {"error": "unknown sandbox admin path"})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


class _Server(ThreadingHTTPServer):
    """Tracks open connections so that stopping closes keep-alive ones too, then joins every handler thread."""

    daemon_threads = False
    block_on_close = True  # server_close() joins the handler threads
    allow_reuse_address = False

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self.stopping = threading.Event()  # set first by stop(): held responses stop waiting

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        with self.connections_lock:
            self.open_connections.add(connection)
        return connection, address

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.open_connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)  # the handler's next read sees EOF and the thread ends


@frozen(kw_only=True)
class HTTPServerThread:
    """A vendor served on 127.0.0.1 from a thread; ``stop()`` shuts it down and joins the thread."""

    server: _Server
    thread: threading.Thread

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop accepting, end holds, close open (keep-alive) connections, join the serving and handler threads."""
        self.server.stopping.set()
        self.server.shutdown()
        self.server.close_connections()
        self.server.server_close()
        self.thread.join(timeout=10)


def validate_latency(latency: float) -> float:
    """``latency`` if it is a finite number of seconds >= 0, else ValueError."""
    if not math.isfinite(latency) or latency < 0:
        raise ValueError(f"latency must be a finite number of seconds >= 0, got {latency!r}")
    return float(latency)


def serve(app: VendorApp, log: RequestLog, *, port: int = 0, latency: float = 0.0) -> HTTPServerThread:
    """Start ``app`` on 127.0.0.1:``port`` (0: an ephemeral port) in a daemon thread.

    ``latency``: seconds every response of ``app`` is held after it was handled and logged (0: none).
    """
    attributes = {"app": app, "log": log, "latency": validate_latency(latency)}
    handler = type(f"{app.name.title()}Handler", (_Handler,), attributes)
    server = _Server(("127.0.0.1", port), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"sandbox-{app.name}", daemon=True
    )
    thread.start()
    return HTTPServerThread(server=server, thread=thread)
