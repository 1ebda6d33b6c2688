"""Load against a request budget: a separate-process server that records when each request arrived, and workers.

``ArrivalServer`` runs in its own process (so its clock and its event loop are not ours): every request to
``/open-api/...`` is recorded with its arrival instant and answered with a minimal Fourthwall shop (200), or 429
when more than ``limit`` requests arrived in the trailing ``window`` (the vendor's own rule, sliding). ``delay``
holds each response that many seconds (requests in flight). ``arrivals()`` fetches the record.

``run_worker`` is one client process's work (sync or async ``Fourthwall`` over a Redis ``RequestBudget``), for
``multiprocessing`` (spawn) in tests and the bench.

    with ArrivalServer.start(limit=20, window=1.0) as srv:
        ...
        assert max_in_window(srv.arrivals(), 1.0) <= 20
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

__all__ = ["ArrivalServer", "max_in_window", "run_worker"]

SHOP = {"id": "sh_1", "name": "Shop", "domain": "shop.example", "publicDomain": "shop.example"}


def max_in_window(times: list[float], window: float) -> int:
    """The most arrivals in any half-open window ``[t, t + window)``."""
    times = sorted(times)
    return max((bisect.bisect_left(times, t + window) - i for i, t in enumerate(times)), default=0)


class ArrivalServer:
    """The recording server's process (started by ``start``, stopped by ``stop`` or the ``with`` block)."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url

    @classmethod
    def start(cls, *, limit: int, window: float, delay: float = 0.0) -> ArrivalServer:
        cmd = [sys.executable, "-m", "tests.support.budget_load", str(limit), str(window), str(delay)]
        process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        assert process.stdout is not None
        line = process.stdout.readline().strip()  # the server prints its port once it listens
        if not line.isdigit():
            process.kill()
            process.wait(10)
            raise RuntimeError(f"arrival server did not start: {line!r}")
        return cls(process, f"http://127.0.0.1:{line}")

    def records(self) -> list[tuple[float, int]]:
        """``(arrival instant, status answered)`` for every recorded request, in arrival order."""
        with urllib.request.urlopen(f"{self.url}/_arrivals", timeout=30) as response:
            return [(float(at), int(status)) for at, status in json.load(response)]

    def arrivals(self) -> list[float]:
        return [at for at, _ in self.records()]

    def statuses(self) -> Counter[int]:
        return Counter(status for _, status in self.records())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> ArrivalServer:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()


def _serve(limit: int, window: float, delay: float) -> None:
    lock = threading.Lock()
    records: list[tuple[float, int]] = []
    admitted: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _send(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            now = time.monotonic()  # the arrival: the request line and headers have been read
            if self.path.startswith("/_arrivals"):
                with lock:
                    snapshot = list(records)
                self._send(200, snapshot)
                return
            with lock:
                recent = len(admitted) - bisect.bisect_right(admitted, now - window)
                status = 429 if recent >= limit else 200
                if status == 200:
                    admitted.append(now)
                records.append((now, status))
            if delay:
                time.sleep(delay)
            self._send(status, SHOP if status == 200 else {"error": "rate limited"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


def run_worker(
    mode: str, base_url: str, redis_url: str, account: str, limit: tuple[int, float], calls: int, concurrency: int
) -> dict[str, int]:
    """One client process: ``calls`` requests (``concurrency`` at a time in async mode, threads in sync mode)
    through its own client over the shared Redis budget; returns outcome counts by error type name (``ok``)."""
    from fourthwall_client.api.shop import get_current_shop

    from facade import AsyncFourthwall, BasicAuth, Fourthwall, RateLimit, RequestBudget

    budget = RequestBudget.redis(
        redis_url, vendor="fourthwall", account=account, limit=RateLimit(requests=limit[0], per_seconds=limit[1])
    )
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def note(outcome: str) -> None:
        with lock:
            outcomes[outcome] += 1

    if mode == "sync":
        with Fourthwall(auth=BasicAuth("u", "p"), base_url=base_url, rate_limit=budget, max_retries=0) as fw:
            shares = [calls // concurrency + (1 if k < calls % concurrency else 0) for k in range(concurrency)]

            def loop(share: int) -> None:
                for _ in range(share):
                    try:
                        fw.call(get_current_shop.sync_detailed)
                        note("ok")
                    except Exception as exc:  # counted by type for the test to judge
                        note(type(exc).__name__)

            threads = [threading.Thread(target=loop, args=(share,)) for share in shares]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(300)
    else:

        async def main() -> None:
            gate = asyncio.Semaphore(concurrency)
            async with AsyncFourthwall(
                auth=BasicAuth("u", "p"), base_url=base_url, rate_limit=budget, max_retries=0
            ) as fw:

                async def one() -> None:
                    async with gate:
                        try:
                            await fw.call(get_current_shop.asyncio_detailed)
                            note("ok")
                        except Exception as exc:
                            note(type(exc).__name__)

                await asyncio.wait_for(asyncio.gather(*(one() for _ in range(calls))), 300)

        asyncio.run(main())
    budget.close()
    return dict(outcomes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("limit", type=int)
    parser.add_argument("window", type=float)
    parser.add_argument("delay", type=float)
    ns = parser.parse_args()
    _serve(ns.limit, ns.window, ns.delay)
