"""Bulk at the rate ceiling: async `inventory_many` over a few hundred products against a local server that adds
~50 ms latency and enforces a scaled-down vendor limit (a sliding window, 429 past it, like the vendors).

The facade's client-side limiter is set to the same limit. The baseline is the rate of the fastest run any client
could make under that limit: with a sliding window of ``L`` requests per ``W`` seconds,
``N`` requests need at least ``(ceil(N / L) - 1) * W`` seconds plus one round trip. 429s the server sent (and the
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


def _surfaced_429s(result: Any) -> tuple[int, int]:
    """(429 errors, other errors) inside whatever `inventory_many` returned (per-product results or a mapping)."""
    from facade import RateLimitError

    values = result.values() if isinstance(result, Mapping) else result
    limited = other = 0
    for value in values:
        outcome = getattr(value, "error", value)
        if isinstance(outcome, RateLimitError):
            limited += 1
        elif isinstance(outcome, BaseException):
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
    limited, other = _surfaced_429s(result)
    return {"elapsed_s": elapsed, "surfaced_429": limited, "other_errors": other, "raised": False}


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
    ideal = _ideal_seconds(PRODUCTS, limit)
    details = {
        **outcome,
        "ideal_s": ideal,
        "achieved_req_per_s": stats.get("status_200", 0) / outcome["elapsed_s"],
        "allowed_req_per_s": limit[0] / limit[1],
        "server_requests": stats.get("requests", 0),
        "server_429_absorbed": stats.get("status_429", 0),
    }
    note = f"{stats.get('status_429', 0)} 429s sent by the server, absorbed by the facade"
    return [
        Row(
            metric=metric,
            unit="products/s",
            ours=PRODUCTS / outcome["elapsed_s"],
            baseline=PRODUCTS / ideal,
            target=Target.at_least(0.9),
            note=f"baseline = the most the limit allows for this run (least time {ideal:.2f} s); {note}",
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
