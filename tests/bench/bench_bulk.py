"""Bulk at the rate ceiling: async `inventory_many` over a few hundred products against a local server that adds
~50 ms latency and enforces a scaled-down vendor limit (a sliding window, 429 past it, like the vendors).

The facade's client-side limiter is set to the same limit and `inventory_many` runs with its default concurrency.
"Ours" is products (one request each) per second over a run, the median of several runs (each on a fresh server);
the baseline is the allowed rate ``L / W``.
A client that bursts the first window full could beat 1.0x on a short run; the least time the limit allows,
``(ceil(N / L) - 1) * W`` plus one round trip, is in the details for that reason. 429s the server sent (and the
facade absorbed by waiting and retrying) are counted separately from 429s that surfaced to the caller.

Example::

    rows = run(repeats=3)
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from collections.abc import Callable, Mapping
from typing import Any

from tests.bench._clients import async_fourthwall, async_shipbob, missing
from tests.bench._report import Row, Target
from tests.bench._server import LocalServer

__all__ = ["run"]

PRODUCTS = 300
LATENCY_S = 0.05
# Scaled-down vendor limits (requests, seconds): short windows so a run takes seconds, not minutes.
# Fourthwall documents 100 per rolling 10 s; ShipBob 150 per minute (sliding).
LIMITS: Mapping[str, tuple[int, float]] = {"Fourthwall": (50, 1.0), "ShipBob": (50, 1.2)}


def _ideal_seconds(requests: int, limit: tuple[int, float]) -> float:
    count, window = limit
    return (math.ceil(requests / count) - 1) * window + LATENCY_S


def _surfaced_errors(result: Any) -> tuple[int, int]:
    """(429 errors, other errors) among the per-product failures `inventory_many` reported."""
    from facade import RateLimitError

    limited = other = 0
    for failure in result.failures:
        if isinstance(failure.error, RateLimitError):
            limited += 1
        else:
            other += 1
    return limited, other


async def _bulk(make: Callable[..., Any], url: str, products: list[Any], limit: tuple[int, float]) -> dict[str, Any]:
    from facade import RateLimitError

    async with make(url, limit=limit) as client:
        started = time.perf_counter()
        try:
            result = await client.inventory_many(products)
        except RateLimitError:
            return {"elapsed_s": time.perf_counter() - started, "surfaced_429": 1, "other_errors": 0, "raised": True}
        elapsed = time.perf_counter() - started
    limited, other = _surfaced_errors(result)
    levels = len(result.levels)
    return {"elapsed_s": elapsed, "surfaced_429": limited, "other_errors": other, "raised": False, "levels": levels}


def _one_run(vendor: str, make: Callable[..., Any], products: list[Any], limit: tuple[int, float]) -> dict[str, Any]:
    """One bulk run against a fresh server (fresh window): the outcome plus what the server saw."""
    fourthwall = vendor == "Fourthwall"
    # Ten records per product: one page per product whatever page size the facade asks for.
    server = LocalServer(
        latency=LATENCY_S,
        fw_total=10,
        sb_items=10,
        fourthwall_limit=limit if fourthwall else None,
        shipbob_limit=None if fourthwall else limit,
    )
    with server:
        outcome = asyncio.run(_bulk(make, server.url, products, limit))
        stats = server.stats()
        log = server.log()
    expected = 0 if outcome["raised"] else (len(products) - outcome["surfaced_429"] - outcome["other_errors"]) * 10
    if outcome.get("levels", 0) != expected:
        # Products reported as fetched must all be there, or the rate would count work that was not done.
        raise RuntimeError(f"{vendor}: inventory_many returned {outcome.get('levels')} levels, expected {expected}")
    first = log[0][0] if log else 0.0
    return {
        **outcome,
        "products_per_s": len(products) / outcome["elapsed_s"],
        "server_requests": stats.get("requests", 0),
        "server_429_absorbed": stats.get("status_429", 0),
        "server_429_at_s": [round(at - first, 3) for at, status in log if status == 429],
    }


def _vendor_rows(vendor: str, make: Callable[..., Any], class_name: str, repeats: int) -> list[Row]:
    limit = LIMITS[vendor]
    metric = f"{vendor} async inventory_many, {PRODUCTS} products, limit {limit[0]}/{limit[1]:g} s, 50 ms latency"
    reason = missing(f"{class_name}.inventory_many")
    if reason:
        return [Row(metric=metric, unit="products/s", ours=None, note=reason)]
    products: list[Any] = (
        [f"product-{i}" for i in range(PRODUCTS)] if vendor == "Fourthwall" else list(range(1, PRODUCTS + 1))
    )
    runs = [_one_run(vendor, make, products, limit) for _ in range(repeats)]
    absorbed = [run["server_429_absorbed"] for run in runs]
    limited = sum(run["surfaced_429"] for run in runs)
    other = sum(run["other_errors"] for run in runs)
    ideal = _ideal_seconds(PRODUCTS, limit)
    details = {"runs": runs, "ideal_s": ideal, "least_time_rate": PRODUCTS / ideal}
    return [
        Row(
            metric=metric,
            unit="products/s",
            ours=statistics.median(run["products_per_s"] for run in runs),
            baseline=limit[0] / limit[1],
            target=Target.at_least(0.9),
            note=f"median of {repeats} runs; baseline = the allowed rate; 429s absorbed per run: {absorbed}",
            details=details,
        ),
        Row(
            metric=f"{vendor} failures surfacing to the caller in those runs",
            unit="products",
            ours=float(limited + other),
            target=Target.at_most(0, on_value=True),
            note=f"{limited} rate-limit errors, {other} others",
        ),
    ]


def run(*, repeats: int) -> list[Row]:
    """``repeats`` rate-limited bulk runs per vendor, each on a fresh server; the median rate is reported."""
    return [
        *_vendor_rows("Fourthwall", async_fourthwall, "AsyncFourthwall", repeats),
        *_vendor_rows("ShipBob", async_shipbob, "AsyncShipBob", repeats),
    ]
