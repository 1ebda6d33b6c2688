"""One request budget shared in Redis by four client processes (2 sync, 2 async) against the sandbox.

Each worker process has its own ``Fourthwall``/``AsyncFourthwall`` client over ``RequestBudget.redis(...)`` with
one account key; together they make ``WORKERS * CALLS`` requests (``GET /products/{id}``) to the sandbox in a
separate process (``Sandbox.spawn``), which records arrival times and answers 429 past a scaled-down vendor limit
(50 per 1 s sliding; Fourthwall's is 100 per 10 s), each response held ``LATENCY_S``. "Ours" is the rate the
server admitted, measured per cycle: with ``n`` admitted arrivals ``t[0] <= ... <= t[n-1]`` and ``k = (n-1) // L``,
``k * L / (t[k*L] - t[0])``, the ``k * L`` arrivals before the start of the last cycle over the time they took.
Under a sliding limit ``t[i+L] >= t[i] + W``, so this cannot exceed ``L / W``, however the arrivals bunch (counting
arrivals in whole windows from the first one instead reads 1.00x by construction when they come in bursts of
``L``). The baseline is the allowed rate ``L / W`` (target >= 0.9x). The most arrivals seen in any window and the
429s are reported beside it (both must stay within the limit). Needs a redis-server
(``tests/support/redis_server.py``).

Example::

    rows = run(repeats=3)
"""

from __future__ import annotations

import multiprocessing
import statistics
import uuid
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from facade.sandbox import Limit, RateLimits, Sandbox
from tests.bench._report import Row, Target
from tests.support.budget_load import first_product, max_in_window, run_worker
from tests.support.redis_server import RedisServer, find_redis_server

__all__ = ["run"]

LIMIT = (50, 1.0)
WORKERS = ("sync", "sync", "async", "async")
CALLS = 90  # per worker: 360 requests, about seven windows
CONCURRENCY = 8  # per worker: threads (sync) or tasks in flight (async)
LATENCY_S = 0.02


def _admitted_rate(arrivals: list[float]) -> float:
    """Requests per second over whole cycles of ``L`` arrivals: ``k * L / (t[k*L] - t[0])``, ``k = (n-1) // L``."""
    count = LIMIT[0]
    arrivals = sorted(arrivals)
    cycles = (len(arrivals) - 1) // count
    if cycles < 3:
        raise RuntimeError(f"{len(arrivals)} arrivals make {cycles} cycles of {count}: too few to say anything")
    return cycles * count / (arrivals[cycles * count] - arrivals[0])


def _one_run(redis_url: str) -> dict[str, Any]:
    account = f"bench_{uuid.uuid4().hex[:12]}"
    limits = RateLimits(fourthwall=Limit(requests=LIMIT[0], window=LIMIT[1]))
    with (
        Sandbox.spawn(skus=1, rate_limits=limits, latency=LATENCY_S) as srv,
        ProcessPoolExecutor(len(WORKERS), mp_context=multiprocessing.get_context("spawn")) as pool,
    ):
        environ, product = srv.environ(), first_product(srv)
        jobs = [
            pool.submit(run_worker, mode, environ, product, redis_url, account, LIMIT, CALLS, CONCURRENCY)
            for mode in WORKERS
        ]
        outcomes = [job.result(timeout=300) for job in jobs]
        records = srv.requests()
    admitted = [r.arrived for r in records if r.status == 200]
    failures = sum(n for outcome in outcomes for kind, n in outcome.items() if kind != "ok")
    return {
        "rate": _admitted_rate(admitted),
        "max_in_window": max_in_window(admitted, LIMIT[1]),
        "server_429": sum(1 for r in records if r.status == 429),
        "caller_failures": failures,
        "outcomes": outcomes,
    }


def run(*, repeats: int) -> list[Row]:
    """``repeats`` runs, each with a fresh account key on one redis-server; the median admitted rate is reported."""
    count, window = LIMIT
    metric = f"4 processes (2 sync, 2 async) on one Redis budget, limit {count}/{window:g} s, {LATENCY_S * 1000:g} ms"
    if find_redis_server() is None:
        missing = "no redis-server: install the test dependency group (it ships one)"
        return [Row(metric=metric, unit="requests/s", ours=None, note=missing)]
    with RedisServer.start() as redis_server:
        runs = [_one_run(redis_server.url) for _ in range(repeats)]
    worst = max(r["max_in_window"] for r in runs)
    refused = sum(r["server_429"] + r["caller_failures"] for r in runs)
    return [
        Row(
            metric=metric,
            unit="requests/s",
            ours=statistics.median(r["rate"] for r in runs),
            baseline=count / window,
            target=Target.at_least(0.9),
            note=f"median of {repeats} runs; baseline = the allowed rate; most in one window: {worst} (limit {count})",
            details={"runs": runs},
        ),
        Row(
            metric="requests over the limit in any window, plus 429s and caller failures, in those runs",
            unit="requests",
            ours=float(max(worst - count, 0) + refused),
            target=Target.at_most(0, on_value=True),
            note=f"most in one window {worst}; 429s + failures {refused}",
        ),
    ]


if __name__ == "__main__":
    for row in run(repeats=1):
        print(row.metric, row.ours, row.baseline, row.ratio, row.note)
