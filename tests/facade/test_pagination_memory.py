"""Streaming: 100,000 stock records across pages keep memory flat (items are yielded, never accumulated)."""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from collections.abc import Iterator

import httpx
import pytest
from fourthwall_client.models.stock import Stock

from facade import Fourthwall, StockLevel
from tests.fixtures.inventory import FourthwallInventoryServer

SIZE = 1_000


def _levels(total: int) -> tuple[FourthwallInventoryServer, Iterator[StockLevel]]:
    """The client's own `iter_inventory` over `total` records, `SIZE` per page (no rate limit: 100 pages)."""
    server = FourthwallInventoryServer({"p": total})
    client = Fourthwall(
        access_token="t",
        base_url="http://127.0.0.1:9",
        transport=httpx.MockTransport(server),
        max_retries=0,
        rate_limit=None,
    )
    return server, client.iter_inventory("p", size=SIZE, max_pages=200)


def _peak_bytes(total: int) -> tuple[int, int]:
    """Walk `total` records; return (records seen, tracemalloc peak while walking)."""
    server, levels = _levels(total)
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        seen = sum(1 for _ in levels)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(server.requests) == total // SIZE
    return seen, peak


def _live_stock_records() -> int:
    # The generated models are not weak-referenceable, so count them among the objects the collector tracks.
    return sum(1 for obj in gc.get_objects() if type(obj) is Stock)


def test_live_records_never_exceed_about_two_pages() -> None:
    server, levels = _levels(100_000)
    levels_alive: weakref.WeakSet[StockLevel] = weakref.WeakSet()
    most_levels = most_records = seen = 0

    for level in levels:
        levels_alive.add(level)
        seen += 1
        most_levels = max(most_levels, len(levels_alive))
        if seen % (SIZE // 2) == 0:  # twice per page: enough to see any growth across 100 pages
            most_records = max(most_records, _live_stock_records())
        del level

    assert seen == 100_000
    assert len(server.requests) == 100
    assert most_levels <= 2  # each level is released as soon as the caller drops it
    assert 0 < most_records <= 2 * SIZE  # parsed records: the current page and at most the previous one


@pytest.mark.slow
def test_peak_memory_is_flat_in_the_number_of_records() -> None:
    _peak_bytes(1_000)  # warm up imports and connection-pool state outside the measurement
    seen_small, peak_small = _peak_bytes(10_000)
    seen_large, peak_large = _peak_bytes(100_000)

    assert (seen_small, seen_large) == (10_000, 100_000)
    # Ten times the records, not ten times the memory. Measured: streaming 2.3 MB -> 3.4 MB (the rest is response
    # garbage awaiting the cyclic collector, so it wobbles); accumulating the levels instead 7.9 MB -> 71 MB.
    assert peak_large < 2.5 * peak_small, (peak_small, peak_large)
    print(f"tracemalloc peak: 10,000 records {peak_small:,} B; 100,000 records {peak_large:,} B")
