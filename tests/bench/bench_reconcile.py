"""Reconcile at the rate ceiling: async `areconcile` of the sandbox's 2,000-SKU shop against servers enforcing
the vendors' rates, scaled down, plus the CPU time of reconciliation itself (after the fetch) per 1,000 SKUs.

Two wall-time rows, each against the least time its limits allow:

- "bursts of 2" (the target row): the documented average rates (Fourthwall 100 per 10 s = 10/s, ShipBob 150 per
  60 s = 2.5/s) with a burst of 2 and windows shortened so a run takes seconds: Fourthwall 2 per 0.2 s, ShipBob 2
  per 0.8 s. With the documented bursts (100, 150) a 2,000-SKU reconcile (about 30 requests) never meets a limit,
  so the bursts are scaled down with the windows: the rates stay the vendors', and the limits bind.
- "documented" (informational): the documented limits themselves, bursts and all, with windows scaled by
  `DOCUMENTED_TIME_SCALE` (`RateLimits.documented(time_scale=0.01)`: Fourthwall 100 per 0.1 s, ShipBob 150 per
  0.6 s). The requests fit in one window, so the limits never bind and the least time they allow is one round trip:
  the wall time shows what the listings cost when the vendors' budgets are not the bottleneck.

The sandbox enforces the limits (429 past them, like the vendors) and the clients carry the same limits.

"Ours" is the wall time of one `areconcile` (both vendors' listings concurrently), median of several runs (each on a
fresh sandbox, fresh windows). The baseline is the least time the limits allow for the requests the run made:
``max over vendors of (ceil(N / L) - 1) * W`` plus one round trip (measured, unlimited, on the same shop).
The CPU row times `reconcile_levels` alone on the fetched levels (``process_time``), per 1,000 SKUs.

Example::

    rows = run(repeats=3)
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from collections import Counter
from typing import Any

from tests.bench._report import Row, Target

__all__ = ["run"]

SKUS = 2000
SEED = 7
# (requests, window seconds) per vendor, as the sandbox and the clients enforce them.
LIMITS: dict[str, tuple[int, float]] = {"fourthwall": (2, 0.2), "shipbob": (2, 0.8)}
DOCUMENTED_TIME_SCALE = 0.01
# The vendors' documented limits (Fourthwall 100 per 10 s, ShipBob 150 per 60 s), windows scaled in time.
DOCUMENTED: dict[str, tuple[int, float]] = {
    "fourthwall": (100, 10.0 * DOCUMENTED_TIME_SCALE),
    "shipbob": (150, 60.0 * DOCUMENTED_TIME_SCALE),
}
_CPU_LOOPS = 5


def _missing() -> str | None:
    try:
        from facade.reconcile import areconcile  # noqa: F401
        from facade.sandbox import Sandbox  # noqa: F401
    except ImportError as error:
        return f"not available: {error}"
    return None


def _server_limits(limits: dict[str, tuple[int, float]]) -> Any:
    from facade.sandbox import Limit, RateLimits

    if limits is DOCUMENTED:
        return RateLimits.documented(time_scale=DOCUMENTED_TIME_SCALE)
    fourthwall, shipbob = limits["fourthwall"], limits["shipbob"]
    return RateLimits(
        fourthwall=Limit(requests=fourthwall[0], window=fourthwall[1]),
        shipbob=Limit(requests=shipbob[0], window=shipbob[1]),
        time_scale=shipbob[1] / shipbob[0] / (60.0 / 150),  # ShipBob seconds per request, vs the documented
    )


async def _reconcile(environ: dict[str, str], limits: dict[str, tuple[int, float]]) -> tuple[float, Any]:
    from facade import AsyncFourthwall, AsyncShipBob, RateLimit
    from facade.reconcile import areconcile

    def limit(vendor: str) -> Any:
        requests, window = limits[vendor]
        return RateLimit(requests=requests, per_seconds=window)

    async with (
        AsyncFourthwall.from_env(environ=environ, rate_limit=limit("fourthwall")) as fw,
        AsyncShipBob.from_env(environ=environ, rate_limit=limit("shipbob")) as sb,
    ):
        started = time.perf_counter()
        report = await areconcile(fw, sb)
        return time.perf_counter() - started, report


def _round_trip(sandbox: Any) -> float:
    """One page of ShipBob inventory at the largest size, unlimited: the latency a listing cannot avoid."""
    import httpx

    from facade.defaults import SHIPBOB_PAGE_SIZE

    headers = {"Authorization": f"Bearer {sandbox.shipbob_token}"}
    with httpx.Client(base_url=sandbox.shipbob_url, headers=headers) as client:
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            client.get("/2026-01/inventory-level", params={"PageSize": SHIPBOB_PAGE_SIZE}).raise_for_status()
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _ideal(requests: Counter[str], round_trip: float, limits: dict[str, tuple[int, float]]) -> float:
    waits = [
        (math.ceil(requests[vendor] / limit) - 1) * window
        for vendor, (limit, window) in limits.items()
        if requests[vendor]
    ]
    return max(waits, default=0.0) + round_trip


def _one_run(limits: dict[str, tuple[int, float]]) -> dict[str, Any]:
    from facade.sandbox import Sandbox

    with Sandbox.start(seed=SEED, skus=SKUS, rate_limits=_server_limits(limits)) as sandbox:
        elapsed, report = asyncio.run(_reconcile(sandbox.environ(), limits))
        records = sandbox.requests.records()
    requests = Counter(record.vendor for record in records)
    throttled = sum(1 for record in records if record.status == 429)
    return {"elapsed_s": elapsed, "requests": dict(requests), "server_429": throttled, "rows": len(report.rows)}


def _cpu_per_thousand() -> tuple[float, dict[str, Any]]:
    from facade import AsyncFourthwall, AsyncShipBob
    from facade.reconcile import reconcile_levels
    from facade.sandbox import Sandbox

    with Sandbox.start(seed=SEED, skus=SKUS) as sandbox:
        environ = sandbox.environ()

        async def fetch() -> tuple[list[Any], list[Any], list[Any]]:
            async with (
                AsyncFourthwall.from_env(environ=environ, rate_limit=None) as fw,
                AsyncShipBob.from_env(environ=environ, rate_limit=None) as sb,
            ):
                return await fw.stock(), await sb.stock(), await sb.catalog()

        fourthwall, shipbob, catalog = asyncio.run(fetch())
        round_trip = _round_trip(sandbox)
        mapping = dict(sandbox.shop.mapping)
    samples = []
    rows = 0
    for _ in range(_CPU_LOOPS):
        started = time.process_time()
        report = reconcile_levels(fourthwall, shipbob, shipbob_catalog=catalog, mapping=mapping)
        samples.append(time.process_time() - started)
        rows = len(report.rows)
    per_thousand = statistics.median(samples) / rows * 1000
    return per_thousand, {"samples_s": samples, "rows": rows, "round_trip_s": round_trip}


def _limits_text(limits: dict[str, tuple[int, float]]) -> str:
    names = {"fourthwall": "Fourthwall", "shipbob": "ShipBob"}
    return ", ".join(f"{names[vendor]} {n}/{window:g} s" for vendor, (n, window) in limits.items())


def _wall_row(
    metric: str,
    runs: list[dict[str, Any]],
    limits: dict[str, tuple[int, float]],
    *,
    round_trip: float,
    meaning: str,
    target: Target | None = None,
) -> Row:
    """The median wall time of ``runs`` against the least time ``limits`` allow for their requests."""
    requests = Counter(runs[0]["requests"])
    ideal = _ideal(requests, round_trip, limits)
    throttled = [one["server_429"] for one in runs]
    return Row(
        metric=metric,
        unit="s",
        ours=statistics.median(one["elapsed_s"] for one in runs),
        baseline=ideal,
        target=target,
        note=f"{meaning} Median of {len(runs)} runs; baseline = least time the limits allow for {dict(requests)} "
        f"requests + one round trip; 429s absorbed per run: {throttled}",
        details={"runs": runs, "ideal_s": ideal},
    )


def run(*, repeats: int) -> list[Row]:
    """``repeats`` rate-limited reconciles per set of limits, each on a fresh sandbox; then the CPU of matching."""
    wall_metric = f"async reconcile, {SKUS} SKUs, bursts of 2 at the documented rates: {_limits_text(LIMITS)}"
    documented_metric = (
        f"async reconcile, {SKUS} SKUs, documented limits x{DOCUMENTED_TIME_SCALE:g} in time: "
        f"{_limits_text(DOCUMENTED)}"
    )
    cpu_metric = f"reconcile_levels CPU per 1,000 SKUs ({SKUS}-SKU shop, after the fetch)"
    reason = _missing()
    if reason:
        return [
            Row(metric=wall_metric, unit="s", ours=None, note=reason),
            Row(metric=documented_metric, unit="s", ours=None, note=reason),
            Row(metric=cpu_metric, unit="ms", ours=None, note=reason),
        ]
    cpu, cpu_details = _cpu_per_thousand()
    round_trip = cpu_details["round_trip_s"]
    return [
        _wall_row(
            wall_metric,
            [_one_run(LIMITS) for _ in range(repeats)],
            LIMITS,
            round_trip=round_trip,
            target=Target.at_most(1.1),
            meaning="The target row: the vendors' average rates with bursts small enough that the limits bind, "
            "so the wall time shows how close the listings run to the ceiling.",
        ),
        _wall_row(
            documented_metric,
            [_one_run(DOCUMENTED) for _ in range(repeats)],
            DOCUMENTED,
            round_trip=round_trip,
            meaning="Informational: the documented limits, bursts and all, scaled in time; the requests fit in one "
            "window, so the limits never bind and the gap to the baseline is the listings' sequential pages.",
        ),
        Row(
            metric=cpu_metric,
            unit="ms",
            ours=cpu * 1000,
            note=f"median of {_CPU_LOOPS} process_time samples over {cpu_details['rows']} rows",
            details=cpu_details,
        ),
    ]


if __name__ == "__main__":
    from tests.bench._report import render

    print(render(run(repeats=1)))
