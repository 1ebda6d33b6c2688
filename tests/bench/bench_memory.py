"""Memory of ``iter_stock()`` over many items: tracemalloc peak at 10,000 vs 100,000 items, Fourthwall and ShipBob.

A lazy listing keeps one page (ShipBob: one batch and its two views) alive at a time, so the peak must not grow
with the number of items: the row's ratio is peak(100k) / peak(10k), flat = 1 (target <= 1.2x).

What is measured, and what is not:

- the server is an in-process httpx transport (``LazyShop``) that builds each page body when asked, from
  pre-serialized one-item templates (one string substitution per item, then one join): it never holds more than
  the page it is answering, and holds no list of 100,000 anything. Its allocations are the page body bytes (which
  any transport hands the consumer: a socket read allocates them too) and the page's short-lived strings; both
  are the same size at every page, so they cannot grow with the item count;
- the consumer is the facade as a user runs it (``from_env``, default retries and size cap, a ``RateLimit`` that
  never waits), iterating ``for level in client.iter_stock()`` and keeping only a count;
- ``tracemalloc`` starts after an untraced warm-up run of 20,000 items (imports, caches, and the stdlib's bounded
  ``urllib.parse`` URL cache filled: without it the 100k run pays ~0.5 MiB to fill that 128-entry cache and the
  10k run does not), so the peak is the iteration's own; each size runs on a fresh client.

Example::

    rows = run(repeats=1)                           # 10,000 vs 100,000 items
    rows = run(repeats=1, sizes=(1_000, 5_000))     # the harness test's quick sizes
"""

from __future__ import annotations

import gc
import json
import math
import statistics
import tracemalloc
from collections.abc import Callable
from typing import Any

import attrs
import httpx

from tests.bench._report import Row, Target

__all__ = ["SIZES", "LazyShop", "Templates", "run"]

SIZES = (10_000, 100_000)
VARIANTS_PER_OFFER = 4
_TARGET = Target.at_most(1.2)
_NEVER_WAITS = 10**9
_WARMUP_ITEMS = 20_000  # ShipBob: 240 requests, more than the 128 URLs urllib.parse caches
_FW_URL = "http://127.0.0.1:9"  # never connected to: the transport answers
_SB_URL = "http://127.0.0.1:10"

_ID = -987654321  # marker replaced by each item's own id (an int field)
_SKU = "@@SKU@@"  # marker replaced by each item's own SKU / variant id


@attrs.frozen
class Templates:
    """One-item JSON templates (``_ID``/``_SKU`` markers where each item's own id and SKU go), recorded once from the
    sandbox so every body matches the specs the generated parsers check."""

    fw_variant: str
    fw_offer_head: str  # the offer's JSON up to its variants array's contents
    fw_offer_tail: str
    sb_views: dict[str, str]  # path -> one item of that inventory view

    @classmethod
    def record(cls) -> Templates:
        from facade.sandbox import Sandbox

        with Sandbox.start(seed=7, skus=40) as sandbox:
            with httpx.Client(base_url=sandbox.fourthwall_url, auth=sandbox.fourthwall_credentials) as fw:
                offer = fw.get("/open-api/v1.0/products", params={"page": 0, "size": 1}).json()["results"][0]
            bearer = {"Authorization": f"Bearer {sandbox.shipbob_token}"}
            with httpx.Client(base_url=sandbox.shipbob_url, headers=bearer) as sb:
                views = {}
                for path, richest in _SB_VIEWS.items():
                    items = sb.get(path, params={"PageSize": 250}).json()["items"]
                    views[path] = max(items, key=lambda item: len(item.get(richest) or ()) if richest else 0)
        variant = {**offer["variants"][0], "id": _SKU, "sku": _SKU}
        head, tail = json.dumps({**offer, "id": _SKU, "variants": ["@@VARIANTS@@"]}).split('"@@VARIANTS@@"')
        return cls(
            fw_variant=json.dumps(variant),
            fw_offer_head=head,
            fw_offer_tail=tail,
            sb_views={path: json.dumps({**item, "inventory_id": _ID, "sku": _SKU}) for path, item in views.items()},
        )


# The three inventory views, and the list that makes an item's body bigger (the template takes the richest item).
_SB_VIEWS = {
    "/2026-01/inventory-level": "",
    "/2026-01/inventory-level/locations": "locations",
    "/2026-01/inventory-level/lots": "lots",
}
_SB_FIRST_ID = 10_000_000


class LazyShop(httpx.BaseTransport):
    """A shop of ``items`` stock items, Fourthwall's product listing and ShipBob's three inventory views, each page
    built on demand (see the module docstring). ``requests`` counts the requests answered."""

    def __init__(self, items: int, templates: Templates) -> None:
        self.items = items
        self.templates = templates
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        path = request.url.path
        if path == "/open-api/v1.0/products":
            body = self._fourthwall(request.url.params)
        elif path in _SB_VIEWS:
            body = self._shipbob(path, request.url.params)
        else:
            return httpx.Response(404, json={"error": path}, request=request)
        return httpx.Response(200, headers={"Content-Type": "application/json"}, content=body, request=request)

    def _fourthwall(self, params: httpx.QueryParams) -> bytes:
        page, size = int(params.get("page", 0)), int(params.get("size", 20))
        offers = math.ceil(self.items / VARIANTS_PER_OFFER)
        t = self.templates
        parts = []
        for offer in range(page * size, min(offers, (page + 1) * size)):
            first = offer * VARIANTS_PER_OFFER
            variants = ",".join(
                t.fw_variant.replace(_SKU, f"fw-{n}") for n in range(first, min(self.items, first + VARIANTS_PER_OFFER))
            )
            parts.append(t.fw_offer_head.replace(_SKU, f"of-{offer}") + variants + t.fw_offer_tail)
        head = f'{{"total":{offers},"page":{page},"size":{size},"totalPages":{math.ceil(offers / size)},"results":['
        return (head + ",".join(parts) + "]}").encode()

    def _shipbob(self, path: str, params: httpx.QueryParams) -> bytes:
        size = int(params.get("PageSize", 50))
        wanted = params.get("InventoryIds")
        if wanted:
            ids = [int(x) for x in wanted.split(",")]
            link = None
        else:
            offset = int(params.get("cursor", 0))
            ids = list(range(_SB_FIRST_ID + offset, _SB_FIRST_ID + min(self.items, offset + size)))
            following = offset + size
            link = f"{path}?PageSize={size}&cursor={following}" if following < self.items else None
        template = self.templates.sb_views[path]
        items = ",".join(template.replace(str(_ID), str(n)).replace(_SKU, f"sb-{n}") for n in ids)
        return ('{"items":[' + items + '],"next":' + json.dumps(link) + ',"prev":null}').encode()


def _fourthwall(transport: httpx.BaseTransport) -> Any:
    from facade import BasicAuth, Fourthwall, RateLimit

    return Fourthwall(
        auth=BasicAuth("bench-user", "bench-password"),
        base_url=_FW_URL,
        allow_insecure_http=True,
        rate_limit=RateLimit(requests=_NEVER_WAITS, per_seconds=1.0),
        transport=transport,
    )


def _shipbob(transport: httpx.BaseTransport) -> Any:
    from facade import RateLimit, ShipBob

    return ShipBob(
        auth="bench-token",
        base_url=_SB_URL,
        allow_insecure_http=True,
        rate_limit=RateLimit(requests=_NEVER_WAITS, per_seconds=1.0),
        transport=transport,
    )


def _drain(build: Callable[[httpx.BaseTransport], Any], items: int, templates: Templates) -> None:
    with build(LazyShop(items, templates)) as client:
        for _level in client.iter_stock():
            pass


def _peak(build: Callable[[httpx.BaseTransport], Any], items: int, templates: Templates) -> tuple[int, int, int]:
    """(tracemalloc peak bytes, items seen, requests) of one ``iter_stock()`` over ``items`` items."""
    shop = LazyShop(items, templates)
    with build(shop) as client:
        gc.collect()
        tracemalloc.start()
        try:
            seen = 0
            for _level in client.iter_stock():
                seen += 1
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    return peak, seen, shop.requests


def _missing() -> str | None:
    try:
        from facade import Fourthwall, ShipBob  # noqa: F401
    except ImportError as error:
        return f"not available: {error}"
    return None


def run(*, repeats: int, sizes: tuple[int, int] = SIZES) -> list[Row]:
    """One row per vendor: tracemalloc peak (KiB) of ``iter_stock()`` at ``sizes[1]`` vs ``sizes[0]`` items."""
    small, large = sizes
    missing = _missing()
    if missing is not None:
        return [Row(metric="iter_stock() memory", unit="KiB", ours=None, target=_TARGET, note=missing)]
    templates = Templates.record()
    rows = []
    for vendor, build in (("Fourthwall", _fourthwall), ("ShipBob", _shipbob)):
        # Warm-up, untraced: imports, scheme caches, and the stdlib's bounded caches (urllib.parse keeps the last
        # 128 URLs httpx's cookie handling splits: ShipBob's batch URLs are ~3 KB) filled, so neither size pays for
        # filling them and the ratio shows growth with the item count only.
        _drain(build, _WARMUP_ITEMS, templates)
        peaks: dict[int, list[int]] = {small: [], large: []}
        requests: dict[int, int] = {}
        for _ in range(repeats):
            for size in (small, large):
                peak, seen, asked = _peak(build, size, templates)
                if seen != size:
                    raise RuntimeError(f"{vendor}: iter_stock() yielded {seen} levels for a shop of {size}")
                peaks[size].append(peak)
                requests[size] = asked
        rows.append(
            Row(
                metric=f"{vendor}.iter_stock() peak memory, {large:,} vs {small:,} items",
                unit="KiB",
                ours=statistics.median(peaks[large]) / 1024,
                baseline=statistics.median(peaks[small]) / 1024,
                target=_TARGET,
                note=(
                    "tracemalloc peak of the consumer loop (count only); pages built lazily by an in-process "
                    "transport from templates (constant per page); ratio = peak(large) / peak(small), flat = 1"
                ),
                details={
                    "peak_bytes": {str(size): values for size, values in peaks.items()},
                    "requests": {str(size): count for size, count in requests.items()},
                },
            )
        )
    return rows


if __name__ == "__main__":
    from tests.bench._report import render

    print(render(run(repeats=1)))
