"""Streaming: `paginate` over 100,000 items keeps memory flat (items are yielded, never accumulated; the guards keep
only the previous page's ids)."""

from __future__ import annotations

import gc
import json
import tracemalloc
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from shipbob_client.api.inventory import get_2026_01_inventory_level
from shipbob_client.models.inventory_quantity_response import InventoryQuantityResponse

from facade.shipbob import ShipBob

SIZE = 1_000


class LevelServer:
    """`GET /2026-01/inventory-level` over `total` items, `PageSize` per page, `next` links with a position."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.requests = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        start = int(request.url.params.get("position", 0))
        size = int(request.url.params["PageSize"])
        end = min(start + size, self.total)
        items = [
            {"inventory_id": i + 1, "sku": f"SKU-{i}", "total_fulfillable_quantity": i % 7} for i in range(start, end)
        ]
        following = f"/2026-01/inventory-level?position={end}&PageSize={size}" if end < self.total else None
        return httpx.Response(
            200,
            content=json.dumps({"items": items, "next": following}).encode(),
            headers={"content-type": "application/json"},
        )


def _levels(total: int) -> tuple[LevelServer, ShipBob, Iterator[Any]]:
    server = LevelServer(total)
    client = ShipBob(
        auth="t", base_url="https://shipbob.test", transport=httpx.MockTransport(server), rate_limit=None, max_retries=0
    )
    return server, client, iter(client.paginate(get_2026_01_inventory_level.sync_detailed, page_size=SIZE))


def _live_records() -> int:
    # The generated models are not weak-referenceable, so count them among the objects the collector tracks.
    return sum(1 for obj in gc.get_objects() if type(obj) is InventoryQuantityResponse)


def test_live_items_never_exceed_about_two_pages() -> None:
    server, client, levels = _levels(100_000)
    most = seen = 0
    with client:
        for level in levels:
            seen += 1
            if seen % (SIZE // 2) == 0:  # twice per page: enough to see any growth across 100 pages
                most = max(most, _live_records())
            del level
    assert seen == 100_000
    assert server.requests == 100
    assert 0 < most <= 2 * SIZE  # the current page and at most the previous one


def _peak_bytes(total: int) -> tuple[int, int]:
    server, client, levels = _levels(total)
    with client:
        gc.collect()
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            seen = sum(1 for _ in levels)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert server.requests == total // SIZE
    return seen, peak


@pytest.mark.slow
def test_peak_memory_is_flat_in_the_number_of_items() -> None:
    _peak_bytes(2_000)  # warm up imports and connection-pool state outside the measurement
    seen_small, peak_small = _peak_bytes(10_000)
    seen_large, peak_large = _peak_bytes(100_000)
    assert (seen_small, seen_large) == (10_000, 100_000)
    # Ten times the items, not ten times the memory (accumulating them would be ~10x).
    assert peak_large < 2.5 * peak_small, (peak_small, peak_large)
    print(f"tracemalloc peak: 10,000 items {peak_small:,} B; 100,000 items {peak_large:,} B")
