"""Facade overhead: sync `Fourthwall.inventory` / `ShipBob.inventory` vs raw `httpx.Client.get` + `.json()`.

Both sides talk to the same local server (its own process, so it never competes for the GIL; it serves several
times the request rate measured here) on the same URL, get the same 100-item body, send an auth header and reuse
one keep-alive connection. The facade's client-side rate limiter is switched off: this measures our per-call cost
(routing, parsing into typed models, normalizing to `StockLevel`, error mapping), not the vendor's limit.

Example::

    rows = run(repeats=7)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from tests.bench._clients import BASIC, TOKEN, fourthwall, missing, shipbob
from tests.bench._report import Row, Target
from tests.bench._server import LocalServer
from tests.bench._timing import interleaved

__all__ = ["run"]

ITEMS = 100
# Calls per timed sample; a sample lasts roughly 50-150 ms on a 2-core machine.
_CALLS = {"fourthwall": 100, "shipbob": 15}
_FOURTHWALL_PATH = "/open-api/v1.0/products/{product}/inventory"
_SHIPBOB_PATH = "/1.0/product/{product}/inventory"


def _repeat(call: Callable[[], object], count: int) -> Callable[[], None]:
    def many() -> None:
        for _ in range(count):
            call()

    return many


def _measure(vendor: str, ours: Callable[[], Any], raw: Callable[[], Any], *, repeats: int, note: str) -> Row:
    got_ours, got_raw = ours(), raw()
    # Same work on both sides, or the ratio means nothing.
    count_raw = len(got_raw["results"] if isinstance(got_raw, dict) else got_raw)
    if len(got_ours) != ITEMS or count_raw != ITEMS:
        raise RuntimeError(f"{vendor}: expected {ITEMS} items on both sides, got {len(got_ours)} and {count_raw}")
    calls = _CALLS[vendor]
    ours_s, raw_s, ours_all, raw_all = interleaved(_repeat(ours, calls), _repeat(raw, calls), repeats=repeats)
    return Row(
        metric=f"{vendor} .inventory() ({ITEMS} items) vs httpx get+json",
        unit="calls/s",
        ours=calls / ours_s,
        baseline=calls / raw_s,
        target=Target.at_least(0.8),
        note=note,
        details={"calls_per_sample": calls, "ours_s": ours_all, "baseline_s": raw_all},
    )


def _fourthwall_row(url: str, repeats: int) -> Row:
    reason = missing("Fourthwall.inventory")
    if reason:
        return Row(metric="Fourthwall .inventory() vs httpx get+json", unit="calls/s", ours=None, note=reason)
    product = "bench-product"
    with fourthwall(url) as client, httpx.Client(base_url=url, auth=httpx.BasicAuth(*BASIC)) as raw_client:
        sent: list[httpx.URL] = []
        client._http.event_hooks["request"].append(lambda request: sent.append(request.url))
        client.inventory(product)
        # The raw side asks for exactly the URL the facade asked for.
        target = str(sent[0])

        def raw() -> Any:
            return raw_client.get(target).json()

        return _measure("Fourthwall", lambda: client.inventory(product), raw, repeats=repeats, note="rate limiter off")


def _shipbob_row(url: str, repeats: int) -> Row:
    reason = missing("ShipBob.inventory")
    if reason:
        return Row(metric="ShipBob .inventory() vs httpx get+json", unit="calls/s", ours=None, note=reason)
    product = 4242
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with shipbob(url) as client, httpx.Client(base_url=url, headers=headers) as raw_client:
        path = _SHIPBOB_PATH.format(product=product)

        def raw() -> Any:
            return raw_client.get(path).json()

        return _measure("ShipBob", lambda: client.inventory(product), raw, repeats=repeats, note="rate limiter off")


def run(*, repeats: int) -> list[Row]:
    """Both vendors against one server returning a fixed 100-item page."""
    with LocalServer(fw_total=ITEMS, fw_fixed_size=ITEMS, sb_items=ITEMS) as server:
        return [_fourthwall_row(server.url, repeats), _shipbob_row(server.url, repeats)]
