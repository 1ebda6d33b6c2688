"""Facade overhead: sync `Fourthwall.inventory` / `ShipBob.inventory` vs raw `httpx.Client.get` + `.json()`.

Both sides talk to the same local server (its own process, so it never competes for the GIL; it serves several
times the request rate measured here) on the same URL, get the same 100-item body, send an auth header and reuse
one keep-alive connection. The facade's client-side rate limiter is switched off: this measures our per-call cost
(routing, parsing into typed models, normalizing to `StockLevel`, error mapping), not the vendor's limit.

Two layers in between are timed in the same rounds, so the gap can be charged to a layer: the generated
`sync_detailed` on the facade's own httpx client (HTTP + typed parsing) and `facade.call` (+ the call path:
errors, response capture, runner). Their client CPU time per call (microseconds, median) goes into the row's
details as the breakdown; wall-clock figures per layer are there too.

Example::

    rows = run(repeats=7)
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

import httpx

from tests.bench._clients import BASIC, TOKEN, fourthwall, missing, shipbob
from tests.bench._report import Row, Target
from tests.bench._server import LocalServer
from tests.bench._timing import round_robin

__all__ = ["run"]

ITEMS = 100
# Calls per timed sample; a sample lasts roughly 50-250 ms on a 2-core machine.
_CALLS = {"Fourthwall": 60, "ShipBob": 12}
_SHIPBOB_PATH = "/1.0/product/{product}/inventory"
_LAYERS = (
    "httpx get + json (baseline)",
    "generated sync_detailed (httpx + typed models)",
    "facade.call (+ call path, errors)",
    "facade .inventory() (+ pagination, StockLevel)",
)


def _repeat(call: Callable[[], object], count: int) -> Callable[[], None]:
    def many() -> None:
        for _ in range(count):
            call()

    return many


def _items(result: Any) -> int:
    if isinstance(result, dict):
        return len(result["results"])
    parsed = getattr(result, "parsed", result)
    parsed = getattr(parsed, "results", parsed)
    return len(parsed)


def _measure(vendor: str, layers: list[Callable[[], Any]], *, repeats: int) -> list[Row]:
    counts = [_items(layer()) for layer in layers]
    # Same work on every side, or the ratio means nothing.
    if set(counts) != {ITEMS}:
        raise RuntimeError(f"{vendor}: expected {ITEMS} items from every layer, got {counts}")
    calls = _CALLS[vendor]
    medians, walls, cpus = round_robin([_repeat(layer, calls) for layer in layers], repeats=repeats)

    def per_call(seconds: list[float]) -> dict[str, float]:
        return {name: round(value / calls * 1e6, 1) for name, value in zip(_LAYERS, seconds, strict=True)}

    # The layer breakdown uses CPU time of this process (median): the server's time and other processes' load
    # drop out, so differences between layers are their own cost. The ratios use wall-clock medians.
    details = {
        "calls_per_sample": calls,
        "repeats": repeats,
        "per_call_us": per_call([statistics.median(each) for each in cpus]),
        "wall_median_per_call_us": per_call(medians),
        "wall_fastest_per_call_us": per_call([min(each) for each in walls]),
    }
    return [
        Row(
            metric=f"{vendor} .inventory() ({ITEMS} items) vs httpx get+json",
            unit="calls/s",
            ours=calls / medians[-1],
            baseline=calls / medians[0],
            target=Target.at_least(0.8),
            note="rate limiter off; per-layer cost in the JSON details and docs/benchmarks.md",
            details=details,
        ),
        Row(
            metric=f"{vendor} .inventory() vs generated sync_detailed (same typed parse)",
            unit="calls/s",
            ours=calls / medians[-1],
            baseline=calls / medians[1],
            note="informational: what the facade adds on top of the generated client (call path, StockLevel)",
        ),
    ]


def _fourthwall_row(url: str, repeats: int) -> list[Row]:
    reason = missing("Fourthwall.inventory")
    if reason:
        return [Row(metric="Fourthwall .inventory() vs httpx get+json", unit="calls/s", ours=None, note=reason)]
    from fourthwall_client.api.products_offers import get_product_inventory

    product = "bench-product"
    with fourthwall(url) as client, httpx.Client(base_url=url, auth=httpx.BasicAuth(*BASIC)) as raw_client:
        sent: list[httpx.Request] = []
        # `_http` is the facade's own httpx client; the bench only listens to what it sends, once, untimed.
        client._http.event_hooks["request"].append(sent.append)
        client.inventory(product, size=ITEMS)
        client._http.event_hooks["request"].remove(sent.append)
        # Every layer asks for exactly the URL the facade asked for.
        target = sent[0].url
        page, size = int(target.params["page"]), int(target.params["size"])
        op = get_product_inventory.sync_detailed
        layers = [
            lambda: raw_client.get(target).json(),
            lambda: op(product, client=client.generated, page=page, size=size),
            lambda: client.call(op, product, page=page, size=size),
            lambda: client.inventory(product, size=ITEMS),
        ]
        return _measure("Fourthwall", layers, repeats=repeats)


def _shipbob_row(url: str, repeats: int) -> list[Row]:
    reason = missing("ShipBob.inventory")
    if reason:
        return [Row(metric="ShipBob .inventory() vs httpx get+json", unit="calls/s", ours=None, note=reason)]
    from shipbob_client.api.subpackage_inventory import get_a_list_of_inventory_items_by_product_id

    product = 4242
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with shipbob(url) as client, httpx.Client(base_url=url, headers=headers) as raw_client:
        path = _SHIPBOB_PATH.format(product=product)
        op = get_a_list_of_inventory_items_by_product_id.sync_detailed
        layers = [
            lambda: raw_client.get(path).json(),
            lambda: op(product, client=client.generated),
            lambda: client.call(op, product),
            lambda: client.inventory(product),
        ]
        return _measure("ShipBob", layers, repeats=repeats)


def run(*, repeats: int) -> list[Row]:
    """Both vendors against one server returning a fixed 100-item page."""
    with LocalServer(fw_total=ITEMS, fw_fixed_size=ITEMS, sb_items=ITEMS) as server:
        return [*_fourthwall_row(server.url, repeats), *_shipbob_row(server.url, repeats)]
