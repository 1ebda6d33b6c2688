"""`inventory` / `iter_inventory` on the four vendor clients, through their real call path (MockTransport)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from facade import (
    AsyncFourthwall,
    AsyncShipBob,
    Fourthwall,
    NotFoundError,
    PaginationError,
    ResponseValidationError,
    ShipBob,
    StockLevel,
)
from tests.fixtures.inventory import FourthwallInventoryServer, ShipBobInventoryServer, variant_id

BASE = "http://127.0.0.1:9"
Handler = Callable[[httpx.Request], httpx.Response]


def fourthwall(handler: Handler) -> Fourthwall:
    return Fourthwall(
        access_token="t", base_url=BASE, transport=httpx.MockTransport(handler), max_retries=0, rate_limit=None
    )


def async_fourthwall(handler: Handler) -> AsyncFourthwall:
    return AsyncFourthwall(
        access_token="t", base_url=BASE, transport=httpx.MockTransport(handler), max_retries=0, rate_limit=None
    )


def shipbob(handler: Handler) -> ShipBob:
    return ShipBob(token="t", base_url=BASE, transport=httpx.MockTransport(handler), max_retries=0, rate_limit=None)


def async_shipbob(handler: Handler) -> AsyncShipBob:
    return AsyncShipBob(
        token="t", base_url=BASE, transport=httpx.MockTransport(handler), max_retries=0, rate_limit=None
    )


def test_fourthwall_inventory_three_pages_45_levels_in_order_each_page_once() -> None:
    server = FourthwallInventoryServer({"prod-1": 45})

    with fourthwall(server) as fw:
        levels = fw.inventory("prod-1", size=20)

    assert len(levels) == 45
    assert [level.item_id for level in levels] == [variant_id(i) for i in range(45)]
    assert all(level.provider == "fourthwall" and level.product_id == "prod-1" for level in levels)
    assert server.requests == [("prod-1", 0, 20), ("prod-1", 1, 20), ("prod-1", 2, 20)]


def test_fourthwall_iter_inventory_is_lazy_page_by_page() -> None:
    server = FourthwallInventoryServer({"prod-1": 45})

    with fourthwall(server) as fw:
        levels = fw.iter_inventory("prod-1", size=20)
        assert server.requests == []  # nothing fetched until the loop starts
        first = [next(levels) for _ in range(20)]
        assert server.pages_of("prod-1") == [0]
        rest = list(levels)

    assert len(first) + len(rest) == 45
    assert server.pages_of("prod-1") == [0, 1, 2]


def test_async_fourthwall_iter_inventory_is_an_async_iterator_with_the_same_result() -> None:
    server = FourthwallInventoryServer({"prod-1": 45})

    async def run() -> tuple[list[StockLevel], list[StockLevel]]:
        async with async_fourthwall(server) as fw:
            streamed = [level async for level in fw.iter_inventory("prod-1", size=20)]
            listed = await fw.inventory("prod-1", size=20)
        return streamed, listed

    streamed, listed = asyncio.run(run())

    assert streamed == listed
    assert [level.item_id for level in streamed] == [variant_id(i) for i in range(45)]
    assert server.pages_of("prod-1") == [0, 1, 2, 0, 1, 2]


def test_fourthwall_server_ignoring_page_raises_pagination_error_naming_the_product() -> None:
    server = FourthwallInventoryServer({"prod-1": 45}, ignore_page=True)

    with fourthwall(server) as fw, pytest.raises(PaginationError) as caught:
        fw.inventory("prod-1")

    assert caught.value.reason == "wrong_page"
    assert caught.value.ids == {"product_id": "prod-1"}
    assert "'prod-1'" in str(caught.value)
    assert server.pages_of("prod-1") == [0, 1]


def test_fourthwall_unknown_product_is_a_not_found_error() -> None:
    with fourthwall(FourthwallInventoryServer({})) as fw, pytest.raises(NotFoundError) as caught:
        fw.inventory("nope")

    assert caught.value.ids == {"product_id": "nope"}


def test_fourthwall_success_without_a_page_body_is_a_validation_error() -> None:
    with fourthwall(lambda request: httpx.Response(204)) as fw, pytest.raises(ResponseValidationError) as caught:
        fw.inventory("prod-1")

    assert caught.value.ids == {"product_id": "prod-1"}
    assert "no inventory page" in str(caught.value)


def test_shipbob_inventory_keeps_locations_and_lots() -> None:
    server = ShipBobInventoryServer({42: 2})

    with shipbob(server) as sb:
        levels = sb.inventory(42)

    assert [(level.product_id, level.item_id, level.name) for level in levels] == [
        ("42", "4200", "item 42-0"),
        ("42", "4201", "item 42-1"),
    ]
    level = levels[0]
    assert [(loc.id, loc.name, loc.available) for loc in level.locations] == [
        ("10", "Cicero (IL)", 12),
        ("20", "Moreno Valley (CA)", 18),
    ]
    assert [(lot.lot_number, lot.available, [loc.id for loc in lot.locations]) for lot in level.lots] == [
        ("L-1", 12, ["10"]),
        ("L-2", 18, ["20"]),
    ]
    assert server.requests == [42]


def test_shipbob_iter_inventory_requests_only_when_iterated() -> None:
    server = ShipBobInventoryServer({42: 3})

    with shipbob(server) as sb:
        levels = sb.iter_inventory(42)
        assert server.requests == []
        assert len(list(levels)) == 3

    assert server.requests == [42]


def test_async_shipbob_inventory_and_iter_inventory() -> None:
    server = ShipBobInventoryServer({42: 3})

    async def run() -> tuple[list[StockLevel], list[StockLevel]]:
        async with async_shipbob(server) as sb:
            return await sb.inventory(42), [level async for level in sb.iter_inventory(42)]

    listed, streamed = asyncio.run(run())

    assert listed == streamed and len(listed) == 3
    assert listed[0].lots[1].lot_number == "L-2"


def test_shipbob_unexpected_success_body_is_a_validation_error() -> None:
    handler: Handler = lambda request: httpx.Response(200, json={"not": "a list"})  # noqa: E731

    with shipbob(handler) as sb, pytest.raises(ResponseValidationError) as caught:
        sb.inventory(42)

    assert caught.value.ids == {"product_id": 42}
