"""A bounded async soak over loopback: about 3,000 inventory requests with random 5xx and resets, nothing lost.

``AsyncFourthwall`` and ``AsyncShipBob`` fetch 400 and 650 products concurrently (``inventory_many``; a
ShipBob product is its ``GET /product/{id}`` plus three inventory views) from
one fault server (in its own process, so it does not share our GIL) whose ``Chaos`` answers about 5% of
inventory requests with 500/502/503/504 and resets about 1% of connections (before the response or mid-body).
With 6 retries a request is lost only if 7 attempts in a row fail (0.06**7, about 3e-9), so the expected outcome
is exact: every stock record of every product exactly once, no failures. The server must have seen at least
2,500 inventory requests, and faults must really have been injected (otherwise the soak proves nothing).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from facade.retry import RetryPolicy
from tests.faults._clients import async_fourthwall, async_shipbob, fourthwall_truth, shipbob_truth
from tests.faults.server import Chaos, SpawnedServer

FOURTHWALL_PRODUCTS = [f"p{n}" for n in range(400)]
SHIPBOB_PRODUCTS = list(range(1, 651))
SOAK_POLICY = RetryPolicy(max_retries=6, backoff_initial=0.001, backoff_max=0.01, backoff_jitter=0.001)


@pytest.mark.slow
def test_async_soak_loses_and_duplicates_nothing() -> None:
    with SpawnedServer(chaos=Chaos(seed=20261123, p_5xx=0.05, p_reset=0.01)) as srv:

        async def soak() -> Any:
            async with async_fourthwall(srv.url) as fw_client, async_shipbob(srv.url) as sb_client:
                fw = fw_client.with_options(retry_policy=SOAK_POLICY)
                sb = sb_client.with_options(retry_policy=SOAK_POLICY)
                return await asyncio.gather(
                    fw.inventory_many(FOURTHWALL_PRODUCTS, concurrency=16),
                    sb.inventory_many(SHIPBOB_PRODUCTS, concurrency=16),
                )

        fw_result, sb_result = asyncio.run(asyncio.wait_for(soak(), 180))

    # Fourthwall's /products/{id}/inventory pages and ShipBob's /inventory-level views (Chaos' pattern).
    inventory = [r for r in srv.requests if "/inventory" in r.path]
    served = Counter(r.fault for r in inventory)
    print(f"soak: {len(inventory)} inventory requests, faults served: {dict(served)}")
    assert len(inventory) >= 2_500, served
    # ~5% and ~1% of requests, with wide bounds: the point is that faults were really injected.
    assert 0.03 < sum(n for f, n in served.items() if f.startswith("Respond(5")) / len(inventory) < 0.08, served
    assert 0.004 < (served["ResetMidBody"] + served["ResetBeforeResponse"]) / len(inventory) < 0.02, served

    assert not fw_result.failures and not sb_result.failures
    got_fw = Counter((level.product_id, level.item_id, level.available) for level in fw_result.levels)
    want_fw = Counter((pid, item, qty) for pid in FOURTHWALL_PRODUCTS for item, qty in fourthwall_truth(pid))
    got_sb = Counter((level.product_id, level.item_id, level.available) for level in sb_result.levels)
    want_sb = Counter((str(pid), item, qty) for pid in SHIPBOB_PRODUCTS for item, qty in shipbob_truth(pid))
    assert got_fw == want_fw  # Counter equality: nothing lost, nothing duplicated
    assert got_sb == want_sb
    assert sum(want_fw.values()) + sum(want_sb.values()) > 2_500
