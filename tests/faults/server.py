"""A fault-injecting fake of the Fourthwall and ShipBob inventory APIs: a real HTTP/1.1 server on 127.0.0.1.

httpx's MockTransport cannot reset a socket or stall a read, so the fault tests talk to this server over loopback.
It runs an asyncio loop in a background thread that the test starts and stops (``with FaultServer() as srv``).

Normal answers come from a deterministic ``Catalog``; a per-request script replaces them::

    with FaultServer() as srv:
        srv.script(r"/products/p1/inventory", Respond(503), ResetMidBody())  # 1st and 2nd matching requests
        ...                                                                # 3rd: the normal answer
        assert [r.fault for r in srv.requests] == ["Respond(503)", "ResetMidBody", "ok"]

Faults: ``Respond`` (any status, headers and raw body: 429, 5xx, 520, HTML pages, empty 401, truncated JSON),
``Mutate`` (the normal JSON, transformed: missing field, null, unknown enum, repeated page, changed totalPages),
``ResetBeforeResponse``, ``ResetMidBody`` (headers and half the body, then a TCP RST), ``Stall`` (no answer until
the client's read timeout has passed) and ``Redirect``. ``Chaos`` injects random 5xx and resets at given rates,
and ``VendorLimit`` answers 429 past a sliding-window rate, as the vendors do. Every request is recorded with its
arrival time (``time.monotonic()``), method, target, headers and the fault served.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import random
import re
import select
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Any

import attrs

from tests.support.paths import REPO

__all__ = [
    "Catalog",
    "Chaos",
    "FaultServer",
    "Mutate",
    "Recorded",
    "Redirect",
    "ResetBeforeResponse",
    "ResetMidBody",
    "Respond",
    "SpawnedServer",
    "Stall",
    "VendorLimit",
]

FOURTHWALL_PATH = re.compile(r"^/open-api/v1\.0/products/(?P<pid>[^/]+)/inventory$")
# ShipBob 2026-01: the product (for its variants' inventory ids), then three views of those inventory items.
SHIPBOB_PRODUCT_PATH = re.compile(r"^/2026-01/product/(?P<pid>\d+)$")
SHIPBOB_LEVELS_PATH = re.compile(r"^/2026-01/inventory-level(?P<view>/locations|/lots)?$")
# Fourthwall pages are served at most this large (like a vendor cap), so p45 spans 3 pages whatever the client asks.
FOURTHWALL_MAX_PAGE = 20
TOKEN_PATHS = ("/open-api/v1.0/platform/token", "/connect/token")
_NAMESPACE = uuid.UUID("6f1c2a4e-8d2b-4f51-9a59-3c7f0e6b1d20")
# Upper bound on any stall, so a test that forgot its timeout still ends.
MAX_STALL = 5.0
RECORDS_PATH = "/__faults/requests"


# --- the data -------------------------------------------------------------------------------------------------


class Catalog:
    """Deterministic stock for any product: ids ``p<N>`` (Fourthwall) and ``<N>`` (ShipBob).

    Product N has ``N % 47`` Fourthwall variants (so some span several pages of 20) and ``1 + N % 3`` ShipBob
    inventory items (inventory ids ``N * 100 + i``). ``expected_*`` give the complete truth a test compares against.
    """

    @staticmethod
    def fourthwall_variants(pid: str) -> list[dict[str, Any]]:
        n = int(pid[1:]) % 47 if re.fullmatch(r"p\d+", pid) else 0
        return [
            {
                "variantId": str(uuid.uuid5(_NAMESPACE, f"{pid}/{i}")),
                "quantity": (i * 7 + len(pid)) % 100,
                "createdAt": "2026-01-02T03:04:05Z",
                "updatedAt": f"2026-03-{1 + i % 28:02d}T10:00:00Z",
            }
            for i in range(n)
        ]

    @staticmethod
    def fourthwall_page(pid: str, page: int, size: int) -> dict[str, Any]:
        variants = Catalog.fourthwall_variants(pid)
        return {
            "results": variants[page * size : (page + 1) * size],
            "total": len(variants),
            "page": page,
            "size": size,
            "totalPages": math.ceil(len(variants) / size) if size else 0,
        }

    @staticmethod
    def shipbob_items(pid: int) -> list[dict[str, Any]]:
        items = []
        for i in range(1 + pid % 3):
            fulfillable = (pid + i * 11) % 50
            items.append(
                {
                    "id": pid * 100 + i,
                    "name": f"Item {pid}-{i}",
                    "is_active": True,
                    "is_digital": False,
                    "is_lot": False,
                    "is_case_pick": False,
                    "packaging_attribute": "None",
                    "total_fulfillable_quantity": fulfillable,
                    "total_onhand_quantity": fulfillable + 3,
                    "total_committed_quantity": 3,
                    "total_awaiting_quantity": i,
                    "total_sellable_quantity": fulfillable,
                    "total_backordered_quantity": 0,
                    "total_exception_quantity": 0,
                    "total_internal_transfer_quantity": 0,
                    "fulfillable_quantity_by_fulfillment_center": [
                        {
                            "id": 10,
                            "name": "Cicero (IL)",
                            "fulfillable_quantity": fulfillable,
                            "onhand_quantity": fulfillable + 3,
                            "committed_quantity": 3,
                            "awaiting_quantity": i,
                            "internal_transfer_quantity": 0,
                        }
                    ],
                    "fulfillable_quantity_by_lot": [],
                }
            )
        return items

    @staticmethod
    def shipbob_item(inventory_id: int) -> dict[str, Any] | None:
        pid, index = divmod(inventory_id, 100)
        items = Catalog.shipbob_items(pid)
        return items[index] if index < len(items) else None

    @staticmethod
    def shipbob_product(pid: int) -> dict[str, Any]:
        """``GET /2026-01/product/{id}``: one variant per inventory item."""
        variants = [
            {
                "id": item["id"],
                "name": item["name"],
                "sku": f"SB-{item['id']}",
                "inventory": {"inventory_id": item["id"]},
            }
            for item in Catalog.shipbob_items(pid)
        ]
        return {"id": pid, "name": f"Product {pid}", "type": "Regular", "variants": variants}

    @staticmethod
    def shipbob_view(item: dict[str, Any], view: str) -> dict[str, Any]:
        """One inventory item as the totals (``""``), ``/locations`` or ``/lots`` view renders it."""
        head = {"inventory_id": item["id"], "name": item["name"], "sku": f"SB-{item['id']}"}
        if view == "/locations":
            centers = [
                {
                    "location_id": center["id"],
                    "name": center["name"],
                    "fulfillable_quantity": center["fulfillable_quantity"],
                    "on_hand_quantity": center["onhand_quantity"],
                    "committed_quantity": center["committed_quantity"],
                    "awaiting_quantity": center["awaiting_quantity"],
                    "internal_transfer_quantity": center["internal_transfer_quantity"],
                }
                for center in item["fulfillable_quantity_by_fulfillment_center"]
            ]
            return {**head, "locations": centers}
        if view == "/lots":
            return {**head, "lots": []}
        return {
            **head,
            "total_fulfillable_quantity": item["total_fulfillable_quantity"],
            "total_on_hand_quantity": item["total_onhand_quantity"],
            "total_committed_quantity": item["total_committed_quantity"],
            "total_awaiting_quantity": item["total_awaiting_quantity"],
            "total_sellable_quantity": item["total_sellable_quantity"],
            "total_backordered_quantity": 0,
            "total_exception_quantity": 0,
            "total_internal_transfer_quantity": 0,
        }


# --- faults ---------------------------------------------------------------------------------------------------


@attrs.frozen
class Respond:
    """Answer with this status, headers and raw body instead of the normal answer."""

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str | None = "application/json"

    def __str__(self) -> str:
        return f"Respond({self.status})"


@attrs.frozen
class Mutate:
    """Answer with the normal JSON body after ``change`` (which may mutate it in place and return None)."""

    change: Callable[[Any], Any]
    name: str = "Mutate"

    def __str__(self) -> str:
        return self.name


@attrs.frozen
class ResetBeforeResponse:
    """Read the request, then reset the connection (TCP RST) without answering."""

    def __str__(self) -> str:
        return "ResetBeforeResponse"


@attrs.frozen
class ResetMidBody:
    """Send the status line, headers and half of the normal body, then reset the connection."""

    def __str__(self) -> str:
        return "ResetMidBody"


@attrs.frozen
class Stall:
    """Send nothing for ``seconds`` (past the client's read timeout), then close the connection."""

    seconds: float = 2.0

    def __str__(self) -> str:
        return "Stall"


@attrs.frozen
class Redirect:
    """Answer ``status`` with a ``Location`` header."""

    location: str
    status: int = 302

    def __str__(self) -> str:
        return f"Redirect({self.status})"


Fault = Respond | Mutate | ResetBeforeResponse | ResetMidBody | Stall | Redirect


@attrs.define
class Chaos:
    """Random faults on requests whose target matches ``pattern``: 5xx at ``p_5xx``, resets at ``p_reset``."""

    seed: int
    p_5xx: float = 0.05
    p_reset: float = 0.01
    pattern: str = r"/inventory"
    _rng: random.Random = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def pick(self, target: str) -> Fault | None:
        if not re.search(self.pattern, target):
            return None
        roll = self._rng.random()
        if roll < self.p_5xx:
            return Respond(self._rng.choice((500, 502, 503, 504)), b'{"error":"injected"}')
        if roll < self.p_5xx + self.p_reset:
            return self._rng.choice((ResetBeforeResponse(), ResetMidBody()))
        return None


@attrs.define
class VendorLimit:
    """At most ``requests`` per sliding ``per`` seconds (over all matching requests); 429 past it.

    ``hint`` picks the wait header: ``"x-retry-after"`` (ShipBob), ``"retry-after"``, or None (Fourthwall
    documents no header). Values are fractional seconds so a scaled-down test limit stays fast. Rejected
    requests do not count against the window.
    """

    requests: int
    per: float
    hint: str | None = "x-retry-after"
    pattern: str = r"/inventory"
    _admitted: deque[float] = attrs.field(init=False, factory=deque)

    def check(self, target: str, now: float) -> Respond | None:
        if not re.search(self.pattern, target):
            return None
        while self._admitted and self._admitted[0] <= now - self.per:
            self._admitted.popleft()
        if len(self._admitted) < self.requests:
            self._admitted.append(now)
            return None
        wait = max(0.0, self._admitted[0] + self.per - now)
        headers = ((self.hint, f"{wait:.3f}"),) if self.hint else ()
        return Respond(429, b'{"code":"OPEN_API_TOO_MANY_REQUESTS"}', headers=headers)


# --- the server -----------------------------------------------------------------------------------------------


@attrs.frozen
class Recorded:
    """One request as the server saw it."""

    at: float
    method: str
    target: str
    headers: dict[str, str]
    fault: str
    port: int

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]


class _Request:
    def __init__(self, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        self.method, self.target, self.headers, self.body = method, target, headers, body
        path, _, query = target.partition("?")
        self.path = path
        self.query = dict(pair.partition("=")[::2] for pair in query.split("&") if pair)


class FaultServer:
    """The fake vendor server; a context manager that starts it on a free 127.0.0.1 port and stops it."""

    def __init__(self, *, chaos: Chaos | None = None, limit: VendorLimit | None = None) -> None:
        self.chaos = chaos
        self.limit = limit
        self.requests: list[Recorded] = []
        self._scripts: list[tuple[re.Pattern[str], deque[Fault]]] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="fault-server", daemon=True)
        self._ready = threading.Event()
        self._stopping: asyncio.Event | None = None
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def script(self, pattern: str, *faults: Fault) -> None:
        """Serve ``faults`` in order to the next requests whose ``METHOD target`` matches ``pattern``."""
        entry = (re.compile(pattern), deque(faults))
        if not self._ready.is_set():
            self._scripts.append(entry)
            return
        # Hand the script to the server's loop and wait until it has it, so a request sent right after sees it.
        done = threading.Event()

        def hand_over() -> None:
            self._scripts.append(entry)
            done.set()

        self._loop.call_soon_threadsafe(hand_over)
        if not done.wait(5):
            raise RuntimeError("fault server loop is not responding")

    def served(self, fault: str) -> int:
        return sum(1 for r in self.requests if r.fault == fault)

    # lifecycle

    def __enter__(self) -> FaultServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("fault server did not start within 10 s")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())
        self._loop.close()

    async def _serve(self) -> None:
        self._stopping = asyncio.Event()
        self._server = await asyncio.start_server(self._connection, "127.0.0.1", 0, backlog=512)
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        await self._stopping.wait()
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    # per connection

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                keep_open = await self._answer(request, writer)
                if not keep_open:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:  # the server is stopping: this task is ours, ending it quietly is the point
            pass
        finally:
            self._tasks.discard(task)
            if not writer.is_closing():
                writer.close()

    def _next_fault(self, request: _Request) -> Fault | None:
        line = f"{request.method} {request.target}"
        for pattern, faults in self._scripts:
            if faults and pattern.search(line):
                return faults.popleft()
        if self.chaos is not None:
            return self.chaos.pick(request.target)
        return None

    async def _answer(self, request: _Request, writer: asyncio.StreamWriter) -> bool:
        now = time.monotonic()
        if request.path == RECORDS_PATH:  # the control endpoint of a spawned server; not recorded itself
            records = [attrs.asdict(r) for r in self.requests]
            await _write(writer, 200, json.dumps(records).encode(), "application/json", ())
            return True
        fault: Fault | None = self._next_fault(request)
        limited = False
        if fault is None and self.limit is not None:
            fault = self.limit.check(request.target, now)
            limited = fault is not None
        label = "limited" if limited else str(fault or "ok")
        self.requests.append(Recorded(now, request.method, request.target, dict(request.headers), label, self.port))
        if isinstance(fault, ResetBeforeResponse):
            _reset(writer)
            return False
        if isinstance(fault, Stall):
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping_wait(), min(fault.seconds, MAX_STALL))
            return False
        if isinstance(fault, Respond):
            await _write(writer, fault.status, fault.body, fault.content_type, fault.headers)
            return True
        if isinstance(fault, Redirect):
            await _write(writer, fault.status, b"", None, (("Location", fault.location),))
            return True
        status, payload = _normal_answer(request)
        if isinstance(fault, Mutate):
            changed = fault.change(payload)
            payload = payload if changed is None else changed
        body = json.dumps(payload).encode()
        if isinstance(fault, ResetMidBody):
            head = _head(status, len(body), "application/json", ())
            writer.write(head + body[: max(1, len(body) // 2)])
            await writer.drain()
            await asyncio.sleep(0.01)  # let the partial body reach the client before the RST discards the buffer
            _reset(writer)
            return False
        await _write(writer, status, body, "application/json", ())
        return True

    async def _stopping_wait(self) -> None:
        assert self._stopping is not None
        await self._stopping.wait()


def _normal_answer(request: _Request) -> tuple[int, Any]:
    if request.method == "POST" and request.path in TOKEN_PATHS:
        return 200, {
            "access_token": "fault-server-access-token",
            "refresh_token": "fault-server-refresh-token",
            "token_type": "Bearer",
            "expires_in": 300,
        }
    if request.method == "GET" and (m := FOURTHWALL_PATH.match(request.path)):
        pid = m["pid"]
        if not re.fullmatch(r"p\d+", pid):
            return 404, {"code": "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR", "offerId": pid}
        size = min(int(request.query.get("size", 20)), FOURTHWALL_MAX_PAGE)
        return 200, Catalog.fourthwall_page(pid, int(request.query.get("page", 0)), size)
    if request.method == "GET" and (m := SHIPBOB_PRODUCT_PATH.match(request.path)):
        return 200, Catalog.shipbob_product(int(m["pid"]))
    if request.method == "GET" and (m := SHIPBOB_LEVELS_PATH.match(request.path)):
        raw = urllib.parse.unquote(next((v for k, v in request.query.items() if k.lower() == "inventoryids"), ""))
        found = [Catalog.shipbob_item(int(i)) for i in raw.split(",") if i.strip().isdigit()]
        items = [Catalog.shipbob_view(item, m["view"] or "") for item in found if item is not None]
        return 200, {"first": None, "items": items, "next": None, "prev": None, "last": None}
    return 404, {"title": "Not Found", "status": 404}


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _version = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
    return _Request(method, target, headers, body)


_REASONS = {200: "OK", 302: "Found", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests"}


def _head(status: int, length: int, content_type: str | None, headers: tuple[tuple[str, str], ...]) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}", f"Content-Length: {length}"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _write(
    writer: asyncio.StreamWriter,
    status: int,
    body: bytes,
    content_type: str | None,
    headers: tuple[tuple[str, str], ...],
) -> None:
    writer.write(_head(status, len(body), content_type, headers) + body)
    await writer.drain()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with SO_LINGER 0, which makes the kernel send a TCP RST instead of a clean FIN."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


# --- the same server in its own process ----------------------------------------------------------------------


def _init_arguments(instance: Chaos | VendorLimit) -> dict[str, Any]:
    """The constructor arguments that rebuild ``instance`` in the child process (its ``init`` fields, by name)."""
    return {field.name: getattr(instance, field.name) for field in attrs.fields(type(instance)) if field.init}


class SpawnedServer:
    """A FaultServer (chaos and vendor limit only, no scripts) in a child process that this object starts and stops.

    Load tests use it so that the server does not share the client's GIL: its arrival timestamps then say when a
    request really arrived, not when the client's thread let the server's thread run. ``requests`` is filled when
    the context exits (``time.monotonic()`` is system-wide on Linux, so the timestamps compare with ours)::

        with SpawnedServer(limit=VendorLimit(50, 1.0)) as srv:
            ...  # use srv.url
        rate = len(srv.requests) / (srv.requests[-1].at - srv.requests[0].at)
    """

    def __init__(self, *, chaos: Chaos | None = None, limit: VendorLimit | None = None) -> None:
        config: dict[str, Any] = {}
        if chaos is not None:
            config["chaos"] = _init_arguments(chaos)
        if limit is not None:
            config["limit"] = _init_arguments(limit)
        self._config = json.dumps(config)
        self._process: subprocess.Popen[str] | None = None
        self.requests: list[Recorded] = []
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> SpawnedServer:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.server", self._config],
            cwd=REPO,  # so that `tests` is importable whatever directory pytest runs from
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        ready, _, _ = select.select([self._process.stdout], [], [], 20)
        line = self._process.stdout.readline() if ready else ""
        if not line.strip().isdigit():
            self._stop()
            raise RuntimeError(f"spawned fault server did not report its port within 20 s (got {line!r})")
        self.port = int(line)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            with urllib.request.urlopen(self.url + RECORDS_PATH, timeout=20) as answer:
                self.requests = [Recorded(**record) for record in json.load(answer)]
        finally:
            self._stop()

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None
        process.stdin.close()  # the child exits when its stdin closes
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()  # only the child we started, by its handle
            process.wait(10)


def _main(config_json: str) -> None:
    config = json.loads(config_json)
    chaos = Chaos(**config["chaos"]) if "chaos" in config else None
    limit = VendorLimit(**config["limit"]) if "limit" in config else None
    with FaultServer(chaos=chaos, limit=limit) as server:
        print(server.port, flush=True)
        sys.stdin.read()  # until the parent closes our stdin


if __name__ == "__main__":
    _main(sys.argv[1])
