"""The task-shaped ``inventory(product_id)`` of each facade client (sync and async) against Prism.

Prism checks the requests (any ``sl-violations`` fails the test); the answers are Prism's static
example and its seeded dynamic one, and the returned ``StockLevel``s are checked field by field
against the JSON that came over the wire.

Prism cannot model paging: its Fourthwall page wrapper says ``page: -2147483648`` (static) or some
random number (dynamic) whatever page was asked for. One test shows the facade's pagination guard
turns that into a typed ``PaginationError``; the others rewrite the wrapper's paging fields to echo
the request (``consistent_page``), so the items Prism generated are what gets normalized.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

import facade
from tests.support.prism import PrismServer
from tests.support.prism_traffic import PrismTraffic

pytestmark = pytest.mark.contract

FW_PRODUCT = "00aa4abd-5778-4199-8161-0b49b2f212e5"
SB_PRODUCT = 4711
MODES = [pytest.param(False, id="sync"), pytest.param(True, id="async")]
ANSWERS = [pytest.param(None, id="static"), pytest.param("dynamic=true", id="dynamic")]
_OPTIONS: dict[str, Any] = {"allow_insecure_http": True, "max_retries": 0, "rate_limit": None}


def consistent_page(request: httpx.Request, body: bytes) -> bytes:
    """Prism's page wrapper with ``page`` = the requested page and this as the last page."""
    page = json.loads(body)
    requested = int(request.url.params.get("page", "0"))
    page.update(page=requested, totalPages=requested + 1, total=len(page["results"]))
    return json.dumps(page).encode()


def fourthwall_inventory(prism: PrismServer, traffic: PrismTraffic, *, asynchronous: bool) -> list[facade.StockLevel]:
    credentials: dict[str, Any] = {
        "username": "open-api-user",
        "password": "contract-password",
        "base_url": prism.base_url,
    }
    if not asynchronous:
        with facade.Fourthwall(**credentials, **_OPTIONS, transport=traffic.transport()) as client:
            return traffic.run(lambda: client.inventory(FW_PRODUCT))

    async def run() -> list[facade.StockLevel]:
        async with facade.AsyncFourthwall(**credentials, **_OPTIONS, transport=traffic.async_transport()) as client:
            return await client.inventory(FW_PRODUCT)

    return traffic.run(lambda: asyncio.run(run()))


def shipbob_inventory(prism: PrismServer, traffic: PrismTraffic, *, asynchronous: bool) -> list[facade.StockLevel]:
    credentials: dict[str, Any] = {"token": "contract-pat", "base_url": prism.base_url}
    if not asynchronous:
        with facade.ShipBob(**credentials, **_OPTIONS, transport=traffic.transport()) as client:
            return traffic.run(lambda: client.inventory(SB_PRODUCT))

    async def run() -> list[facade.StockLevel]:
        async with facade.AsyncShipBob(**credentials, **_OPTIONS, transport=traffic.async_transport()) as client:
            return await client.inventory(SB_PRODUCT)

    return traffic.run(lambda: asyncio.run(run()))


@pytest.mark.parametrize("asynchronous", MODES)
@pytest.mark.parametrize("prefer", ANSWERS)
def test_fourthwall_inventory(fourthwall_prism: PrismServer, prefer: str | None, asynchronous: bool) -> None:
    traffic = PrismTraffic(prefer=prefer, rewrite=consistent_page)
    levels = fourthwall_inventory(fourthwall_prism, traffic, asynchronous=asynchronous)
    traffic.assert_no_violations()
    assert len(traffic.exchanges) == 1
    assert "page=0" in traffic.last.url
    results = json.loads(consistent_page(httpx.Request("GET", traffic.last.url), traffic.last.body))["results"]
    assert results, "Prism's answer has no variants, so nothing was normalized"
    assert [level.item_id for level in levels] == [r["variantId"] for r in results]
    assert [level.available for level in levels] == [r["quantity"] for r in results]
    assert all(level.provider == "fourthwall" and level.product_id == FW_PRODUCT for level in levels)
    assert all(level.on_hand is None and level.locations == () for level in levels), "Fourthwall reports neither"


@pytest.mark.parametrize("asynchronous", MODES)
def test_fourthwall_inventory_rejects_prisms_inconsistent_paging(
    fourthwall_prism: PrismServer, asynchronous: bool
) -> None:
    traffic = PrismTraffic()
    with pytest.raises(facade.PaginationError, match="asked for page 0"):
        fourthwall_inventory(fourthwall_prism, traffic, asynchronous=asynchronous)
    traffic.assert_no_violations()
    assert len(traffic.exchanges) == 1, "the guard stops at the first inconsistent page"


@pytest.mark.parametrize("asynchronous", MODES)
@pytest.mark.parametrize("prefer", ANSWERS)
def test_shipbob_inventory(shipbob_prism: PrismServer, prefer: str | None, asynchronous: bool) -> None:
    traffic = PrismTraffic(prefer=prefer)
    levels = shipbob_inventory(shipbob_prism, traffic, asynchronous=asynchronous)
    traffic.assert_no_violations()
    assert traffic.last.url.endswith(f"/1.0/product/{SB_PRODUCT}/inventory")
    assert traffic.last.request_headers["authorization"] == "Bearer contract-pat"
    items = traffic.last.json()
    assert isinstance(items, list) and items, "Prism's answer has no items, so nothing was normalized"
    assert [level.item_id for level in levels] == [str(item["id"]) for item in items]
    assert [level.available for level in levels] == [item["total_fulfillable_quantity"] for item in items]
    assert [level.on_hand for level in levels] == [item["total_onhand_quantity"] for item in items]
    assert [level.committed for level in levels] == [item["total_committed_quantity"] for item in items]
    assert [len(level.locations) for level in levels] == [
        len(item["fulfillable_quantity_by_fulfillment_center"]) for item in items
    ]


@pytest.mark.parametrize("asynchronous", MODES)
def test_inventory_of_a_missing_product_raises_not_found(
    fourthwall_prism: PrismServer, shipbob_prism: PrismServer, asynchronous: bool
) -> None:
    for call, prism, product in (
        (fourthwall_inventory, fourthwall_prism, FW_PRODUCT),
        (shipbob_inventory, shipbob_prism, SB_PRODUCT),
    ):
        traffic = PrismTraffic(prefer="code=404, dynamic=false")
        with pytest.raises(facade.NotFoundError) as raised:
            call(prism, traffic, asynchronous=asynchronous)
        traffic.assert_no_violations()
        assert raised.value.ids == {"product_id": product}
