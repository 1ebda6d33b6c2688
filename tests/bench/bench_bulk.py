"""Bulk at the rate ceiling: async `inventory_many` over a few hundred products against a local server that adds
~50 ms latency and enforces a scaled-down vendor limit (a sliding window, 429 past it, like the vendors).

The facade's client-side limiter is set to the same limit and `inventory_many` runs with its default concurrency.
"Ours" is products (one request each) per second over the whole run; the baseline is the allowed rate ``L / W``.
A client that bursts the first window full could beat 1.0x on a short run; the least time the limit allows,
``(ceil(N / L) - 1) * W`` plus one round trip, is in the details for that reason. 429s the server sent (and the
facade absorbed by waiting and retrying) are counted separately from 429s that surfaced to the caller.

Example::

    rows = run(repeats=1)
"""

from __future__ import annotations

import asyncio
import math
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


def _vendor_rows(vendor: str, make: Callable[..., Any], class_name: str) -> list[Row]:
    limit = LIMITS[vendor]
    metric = f"{vendor} async inventory_many, {PRODUCTS} products, limit {limit[0]}/{limit[1]:g} s, 50 ms latency"
    reason = missing(f"{class_name}.inventory_many")
    if reason:
        return [Row(metric=metric, unit="products/s", ours=None, note=reason)]
    fourthwall = vendor == "Fourthwall"
    products: list[Any] = [f"product-{i}" for i in range(PRODUCTS)] if fourthwall else list(range(1, PRODUCTS + 1))
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
    first = log[0][0] if log else 0.0
    ideal = _ideal_seconds(PRODUCTS, limit)
    details = {
        **outcome,
        "ideal_s": ideal,
        "achieved_req_per_s": stats.get("status_200", 0) / outcome["elapsed_s"],
        "allowed_req_per_s": limit[0] / limit[1],
        "least_time_rate": PRODUCTS / ideal,
        "server_requests": stats.get("requests", 0),
        "server_429_absorbed": stats.get("status_429", 0),
        "server_429_at_s": [round(at - first, 3) for at, status in log if status == 429],
    }
    note = f"{stats.get('status_429', 0)} 429s sent by the server, absorbed by the facade"
    return [
        Row(
            metric=metric,
            unit="products/s",
            ours=PRODUCTS / outcome["elapsed_s"],
            baseline=limit[0] / limit[1],
            target=Target.at_least(0.9),
            note=f"baseline = the allowed rate; {note}",
            details=details,
        ),
        Row(
            metric=f"{vendor} 429s surfacing to the caller during that run",
            unit="errors",
            ours=float(outcome["surfaced_429"]),
            target=Target.at_most(0, on_value=True),
        ),
    ]


def run(*, repeats: int) -> list[Row]:
    """One rate-limited bulk run per vendor (``repeats`` is ignored: each run already lasts several windows)."""
    del repeats
    return [
        *_vendor_rows("Fourthwall", async_fourthwall, "AsyncFourthwall"),
        *_vendor_rows("ShipBob", async_shipbob, "AsyncShipBob"),
    ]
