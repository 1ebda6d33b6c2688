"""A small, fast HTTP/1.1 server on 127.0.0.1 that plays both vendors' inventory endpoints for the benchmarks.

It runs in its own process so it never competes with the client for the GIL, and it can add latency and
enforce a vendor-style sliding-window rate limit (Fourthwall: 429 + `OPEN_API_TOO_MANY_REQUESTS`; ShipBob: 429 +
`x-retry-after`). `GET /__stats` returns the request and 429 counts, `GET /__log` every request's arrival
time and status, `GET /__reset` clears them.

Example::

    with LocalServer(latency=0.05, fourthwall_limit=(50, 1.0)) as server:
        httpx.get(f"{server.url}/open-api/v1.0/products/p1/inventory?page=0&size=20")
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import functools
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from tests.bench._payloads import fourthwall_page, shipbob_inventory

__all__ = ["LocalServer", "serve"]

_FOURTHWALL = "/open-api/v1.0/products/"
_SHIPBOB = "/1.0/product/"
_START_TIMEOUT_S = 30.0
_ROOT = Path(__file__).resolve().parents[2]


class _SlidingWindow:
    """Accepts at most ``limit`` requests in any ``window`` seconds (a log of accepted arrival times)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._accepted: collections.deque[float] = collections.deque()

    def admit(self, now: float) -> bool:
        while self._accepted and self._accepted[0] <= now - self.window:
            self._accepted.popleft()
        if len(self._accepted) >= self.limit:
            return False
        self._accepted.append(now)
        return True

    def retry_after(self, now: float) -> float:
        return max(0.0, self._accepted[0] + self.window - now) if self._accepted else 0.0


class _App:
    """The server's state and routing: bodies per vendor, the optional windows, the counters and the arrival log."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.latency: float = args.latency
        self.fw_total: int = args.fw_total
        self.fw_fixed_size: int | None = args.fw_fixed_size
        self.shipbob_body = shipbob_inventory(args.sb_items)
        self.limits: dict[str, _SlidingWindow | None] = {
            "fourthwall": _SlidingWindow(*args.fw_limit) if args.fw_limit else None,
            "shipbob": _SlidingWindow(*args.sb_limit) if args.sb_limit else None,
        }
        self.counts: collections.Counter[str] = collections.Counter()
        # (arrival time, status) of every vendor request, for diagnosing how a client paces itself.
        self.log: list[tuple[float, int]] = []

    @functools.lru_cache(maxsize=1024)  # noqa: B019 - one app per process; pages are reused across products
    def _fourthwall(self, page: int, size: int) -> bytes:
        return fourthwall_page(page=page, size=size, total=self.fw_total)

    async def respond(self, target: str) -> tuple[int, list[tuple[str, str]], bytes]:
        parts = urlsplit(target)
        path = parts.path
        if path == "/__stats":
            return 200, [], json.dumps(dict(self.counts)).encode()
        if path == "/__log":
            return 200, [], json.dumps(self.log).encode()
        if path == "/__reset":
            self.counts.clear()
            self.log.clear()
            for name, window in self.limits.items():
                if window is not None:
                    self.limits[name] = _SlidingWindow(window.limit, window.window)
            return 200, [], b"{}"
        vendor = "fourthwall" if path.startswith(_FOURTHWALL) else "shipbob" if path.startswith(_SHIPBOB) else ""
        if not vendor:
            return 404, [], b'{"code":"NOT_FOUND"}'
        self.counts["requests"] += 1
        limit = self.limits[vendor]
        now = time.monotonic()
        admitted = limit is None or limit.admit(now)
        self.log.append((now, 200 if admitted else 429))
        if self.latency:
            await asyncio.sleep(self.latency)
        if not admitted:
            assert limit is not None
            self.counts["status_429"] += 1
            if vendor == "fourthwall":
                return 429, [], b'{"code":"OPEN_API_TOO_MANY_REQUESTS"}'
            wait = f"{max(1, round(limit.retry_after(now)))}"
            return 429, [("x-retry-after", wait), ("x-remaining-calls", "0")], b'{"title":"Too Many Requests"}'
        self.counts["status_200"] += 1
        if vendor == "shipbob":
            return 200, [], self.shipbob_body
        query = parse_qs(parts.query)
        page = int(query.get("page", ["0"])[0])
        size = self.fw_fixed_size or int(query.get("size", ["20"])[0])
        return 200, [], self._fourthwall(page, size)


_REASONS = {200: "OK", 404: "Not Found", 429: "Too Many Requests"}


async def _handle(app: _App, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b" ", 2)[1].decode()
            status, headers, body = await app.respond(target)
            lines = [f"HTTP/1.1 {status} {_REASONS[status]}", "content-type: application/json"]
            lines += [f"{name}: {value}" for name, value in headers]
            lines.append(f"content-length: {len(body)}")
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def _main(args: argparse.Namespace) -> None:
    app = _App(args)
    server = await asyncio.start_server(lambda r, w: _handle(app, r, w), "127.0.0.1", 0, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(f"port={port}", flush=True)
    async with server:
        await server.serve_forever()


def _limit(text: str) -> tuple[int, float]:
    count, _, seconds = text.partition("/")
    return int(count), float(seconds)


def serve(argv: Sequence[str] | None = None) -> None:
    """Run the server until killed; prints ``port=<n>`` on stdout once it listens."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench._server")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every vendor response")
    parser.add_argument("--fw-total", type=int, default=100, help="Fourthwall stock records per product")
    parser.add_argument("--fw-fixed-size", type=int, default=None, help="ignore `size` and use this page size")
    parser.add_argument("--sb-items", type=int, default=100, help="ShipBob inventory items per product")
    parser.add_argument("--fw-limit", type=_limit, default=None, help="COUNT/SECONDS sliding window, e.g. 50/1")
    parser.add_argument("--sb-limit", type=_limit, default=None, help="COUNT/SECONDS sliding window")
    asyncio.run(_main(parser.parse_args(argv)))


class LocalServer:
    """Starts the server in a child process on entry and stops that process (by its PID) on exit.

    ``url`` is the base URL (``http://127.0.0.1:<port>``); ``stats()`` returns the server's counters.
    """

    def __init__(
        self,
        *,
        latency: float = 0.0,
        fw_total: int = 100,
        fw_fixed_size: int | None = None,
        sb_items: int = 100,
        fourthwall_limit: tuple[int, float] | None = None,
        shipbob_limit: tuple[int, float] | None = None,
    ) -> None:
        self._argv = [sys.executable, "-m", "tests.bench._server", "--latency", str(latency)]
        self._argv += ["--fw-total", str(fw_total), "--sb-items", str(sb_items)]
        if fw_fixed_size is not None:
            self._argv += ["--fw-fixed-size", str(fw_fixed_size)]
        if fourthwall_limit is not None:
            self._argv += ["--fw-limit", f"{fourthwall_limit[0]}/{fourthwall_limit[1]}"]
        if shipbob_limit is not None:
            self._argv += ["--sb-limit", f"{shipbob_limit[0]}/{shipbob_limit[1]}"]
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> LocalServer:
        # From the project root, so `-m tests.bench._server` resolves wherever the caller runs from.
        self._process = subprocess.Popen(self._argv, stdout=subprocess.PIPE, text=True, cwd=_ROOT)
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()  # blocks until the child listens (or dies: empty line)
        if not line.startswith("port="):
            self._stop()
            raise RuntimeError(f"benchmark server did not start: {' '.join(self._argv)!r} printed {line!r}")
        self.url = f"http://127.0.0.1:{line.removeprefix('port=')}"
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=_START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=_START_TIMEOUT_S)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._process = None

    def stats(self) -> dict[str, int]:
        """The server's counters: ``requests``, ``status_200``, ``status_429``."""
        import httpx

        counts: dict[str, int] = httpx.get(f"{self.url}/__stats").json()
        return counts

    def log(self) -> list[tuple[float, int]]:
        """``(arrival time, status)`` of every vendor request so far (server clock, seconds)."""
        import httpx

        return [(float(at), int(status)) for at, status in httpx.get(f"{self.url}/__log").json()]

    def reset(self) -> None:
        """Zero the counters and empty the rate-limit windows."""
        import httpx

        httpx.get(f"{self.url}/__reset").raise_for_status()


if __name__ == "__main__":
    serve()
