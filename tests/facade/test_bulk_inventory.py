"""`inventory_many` and its runners: every product's levels, one typed error per failed product, bounded concurrency."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import httpx
import pytest

from facade import (
    AsyncFourthwall,
    AsyncShipBob,
    FacadeError,
    Fourthwall,
    InventoryResult,
    NotFoundError,
    ResponseValidationError,
    ShipBob,
    StockLevel,
)
from facade._bulk import arun_many, run_many
from tests.fixtures.inventory import FourthwallInventoryServer, ShipBobInventoryServer

BASE = "http://127.0.0.1:9"
OPTIONS = {"base_url": BASE, "max_retries": 0, "rate_limit": None}

FW_PRODUCTS = [f"prod-{n:02d}" for n in range(50)]
FW_MISSING = {"prod-07", "prod-21", "prod-44"}
FW_BROKEN = "prod-30"
SB_PRODUCTS = list(range(1000, 1050))
SB_MISSING = {1003, 1017, 1049}
SB_BROKEN = 1025


def _fourthwall_server() -> FourthwallInventoryServer:
    # 1 to 45 records per product, so some products take several pages (size 20).
    totals = {p: 1 + n % 45 for n, p in enumerate(FW_PRODUCTS) if p not in FW_MISSING and p != FW_BROKEN}
    return FourthwallInventoryServer(totals, broken={FW_BROKEN: b'{"results": [{"variantId": '})


def _shipbob_server() -> ShipBobInventoryServer:
    items = {p: 1 + p % 3 for p in SB_PRODUCTS if p not in SB_MISSING and p != SB_BROKEN}
    return ShipBobInventoryServer(items, broken={SB_BROKEN: b"<html>oops</html>"})


def _check_fourthwall(result: InventoryResult, server: FourthwallInventoryServer) -> None:
    fetched = [p for p in FW_PRODUCTS if p in server.totals]
    assert len(fetched) == 46
    assert len(result.levels) == sum(server.totals.values())
    # Levels come back grouped by product in the order given, each product's levels in page order.
    assert [level.product_id for level in result.levels] == [p for p in fetched for _ in range(server.totals[p])]
    assert {failure.product_id for failure in result.failures} == {*FW_MISSING, FW_BROKEN}
    assert len(result.failures) == 4
    for failure in result.failures:
        expected = ResponseValidationError if failure.product_id == FW_BROKEN else NotFoundError
        assert type(failure.error) is expected, failure.reason
        assert failure.error.ids == {"product_id": failure.product_id}
        assert repr(failure.product_id) in str(failure.error)  # the message names the product
    assert not result.ok
    assert set(result.errors) == {*FW_MISSING, FW_BROKEN}


def _check_shipbob(result: InventoryResult, server: ShipBobInventoryServer) -> None:
    assert len({level.product_id for level in result.levels}) == 46
    assert len(result.levels) == sum(server.items.values())
    assert [failure.product_id for failure in result.failures] == [str(p) for p in sorted({*SB_MISSING, SB_BROKEN})]
    for failure in result.failures:
        expected = ResponseValidationError if failure.product_id == str(SB_BROKEN) else NotFoundError
        assert type(failure.error) is expected, failure.reason
        assert failure.error.ids == {"product_id": int(failure.product_id)}
        assert failure.product_id in str(failure.error)


def test_fourthwall_inventory_many_sync_keeps_going_past_failures() -> None:
    server = _fourthwall_server()

    with Fourthwall(access_token="t", transport=httpx.MockTransport(server), **OPTIONS) as fw:  # type: ignore[arg-type]
        result = fw.inventory_many(FW_PRODUCTS, concurrency=4)

    _check_fourthwall(result, server)
    # Every page of every good product exactly once; one request for each failed product.
    assert len(server.requests) == len(set(server.requests))
    assert len(server.requests) == sum(-(-t // 20) for t in server.totals.values()) + 4


def test_fourthwall_inventory_many_async_keeps_going_past_failures() -> None:
    server = _fourthwall_server()

    async def run() -> InventoryResult:
        async with AsyncFourthwall(access_token="t", transport=httpx.MockTransport(server), **OPTIONS) as fw:  # type: ignore[arg-type]
            return await fw.inventory_many(FW_PRODUCTS, concurrency=8)

    _check_fourthwall(asyncio.run(run()), server)
    assert len(server.requests) == len(set(server.requests))


def test_shipbob_inventory_many_sync_and_async() -> None:
    sync_server, async_server = _shipbob_server(), _shipbob_server()

    with ShipBob(token="t", transport=httpx.MockTransport(sync_server), **OPTIONS) as sb:  # type: ignore[arg-type]
        sync_result = sb.inventory_many(SB_PRODUCTS, concurrency=4)

    async def run() -> InventoryResult:
        async with AsyncShipBob(token="t", transport=httpx.MockTransport(async_server), **OPTIONS) as sb:  # type: ignore[arg-type]
            return await sb.inventory_many(SB_PRODUCTS, concurrency=4)

    async_result = asyncio.run(run())

    _check_shipbob(sync_result, sync_server)
    _check_shipbob(async_result, async_server)
    assert sync_result.levels == async_result.levels
    assert sorted(sync_server.requests) == sorted(async_server.requests) == SB_PRODUCTS


def test_product_failing_on_a_later_page_contributes_no_partial_levels() -> None:
    server = FourthwallInventoryServer({"good": 5, "flaky": 45})
    real = server.__call__

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "2" and "flaky" in request.url.path:
            return httpx.Response(404, json={"code": "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR"})
        return real(request)

    with Fourthwall(access_token="t", transport=httpx.MockTransport(handler), **OPTIONS) as fw:  # type: ignore[arg-type]
        result = fw.inventory_many(["flaky", "good"])

    assert [level.product_id for level in result.levels] == ["good"] * 5
    assert [failure.product_id for failure in result.failures] == ["flaky"]


def test_duplicate_products_are_fetched_once() -> None:
    calls: list[str] = []

    def fetch(product_id: str) -> Sequence[StockLevel]:
        calls.append(product_id)
        return []

    result = run_many(fetch, ["a", "b", "a", "c", "b"], concurrency=2)

    assert sorted(calls) == ["a", "b", "c"]
    assert result.ok


def test_sync_runner_uses_but_never_exceeds_the_concurrency() -> None:
    concurrency = 3
    lock = threading.Lock()
    in_flight = most = 0
    # The first `concurrency` fetches meet here: they can only pass if that many run at the same time.
    meet = threading.Barrier(concurrency, timeout=30)

    def fetch(product_id: str) -> Sequence[StockLevel]:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        if int(product_id) < concurrency:
            meet.wait()
        with lock:
            in_flight -= 1
        return []

    result = run_many(fetch, [str(n) for n in range(20)], concurrency=concurrency)

    assert result.ok
    assert most == concurrency


def test_async_runner_uses_but_never_exceeds_the_concurrency() -> None:
    in_flight = most = done = 0

    async def fetch(product_id: int) -> Sequence[StockLevel]:
        nonlocal in_flight, most, done
        in_flight += 1
        most = max(most, in_flight)
        for _ in range(3):  # yield to the loop so other fetches can start, if the runner lets them
            await asyncio.sleep(0)
        in_flight -= 1
        done += 1
        return []

    result = asyncio.run(arun_many(fetch, range(20), concurrency=5))

    assert result.ok
    assert (most, done) == (5, 20)


def test_bugs_are_not_swallowed_sync_and_async() -> None:
    def fetch(product_id: str) -> Sequence[StockLevel]:
        if product_id == "bad":
            raise RuntimeError("bug in fetch")
        raise NotFoundError("missing", ids={"product_id": product_id})

    async def afetch(product_id: str) -> Sequence[StockLevel]:
        return fetch(product_id)

    with pytest.raises(RuntimeError, match="bug in fetch"):
        run_many(fetch, ["a", "bad", "c"], concurrency=2)
    with pytest.raises(RuntimeError, match="bug in fetch"):
        asyncio.run(arun_many(afetch, ["a", "bad", "c"], concurrency=2))


def test_failures_are_typed_facade_errors_in_product_order() -> None:
    def fetch(product_id: str) -> Sequence[StockLevel]:
        raise NotFoundError(f"no {product_id}", ids={"product_id": product_id})

    result = run_many(fetch, ["z", "a", "m"], concurrency=3)

    assert [f.product_id for f in result.failures] == ["z", "a", "m"]
    assert all(isinstance(f.error, FacadeError) for f in result.failures)
    assert result.failures[0].reason == "NotFoundError: no z"


@pytest.mark.parametrize("concurrency", [0, -1])
def test_concurrency_must_be_positive(concurrency: int) -> None:
    with pytest.raises(ValueError, match="concurrency must be at least 1"):
        run_many(lambda product_id: [], ["a"], concurrency=concurrency)
