"""The generated clients, called directly, against Prism serving the raw vendored specs.

This pins the layer under the facade: what the generator emits must be a request the vendor's own
spec accepts (no ``sl-violations``), and must parse what the spec says comes back.
"""

from __future__ import annotations

import asyncio

import pytest
from fourthwall_client import AuthenticatedClient as FourthwallClient
from fourthwall_client.api.products_offers import get_product_inventory
from fourthwall_client.models import StockPage
from shipbob_client import AuthenticatedClient as ShipBobClient
from shipbob_client.api.subpackage_inventory import get_a_list_of_inventory_items_by_product_id as get_shipbob_inventory
from shipbob_client.models import InventoryViewModel

from tests.support.prism import PrismServer
from tests.support.prism_traffic import PrismTraffic
from tests.support.wire import json_differences

pytestmark = pytest.mark.contract

VARIANT_PRODUCT = "00aa4abd-5778-4199-8161-0b49b2f212e5"


def test_fourthwall_generated_call_matches_the_spec(fourthwall_prism: PrismServer, traffic: PrismTraffic) -> None:
    client = FourthwallClient(
        base_url=fourthwall_prism.base_url, token="contract-token", httpx_args={"transport": traffic.transport()}
    )
    with client:
        response = get_product_inventory.sync_detailed(VARIANT_PRODUCT, client=client, page=1, size=5)
    traffic.assert_no_violations()
    assert response.status_code == 200
    assert isinstance(response.parsed, StockPage)
    assert traffic.last.url.endswith(f"/open-api/v1.0/products/{VARIANT_PRODUCT}/inventory?page=1&size=5")


def test_shipbob_generated_call_matches_the_spec(shipbob_prism: PrismServer) -> None:
    traffic = PrismTraffic(prefer="dynamic=true")
    client = ShipBobClient(base_url=shipbob_prism.base_url, token="pat", httpx_args={"transport": traffic.transport()})
    with client:
        parsed = get_shipbob_inventory.sync(123, client=client)
    traffic.assert_no_violations()
    assert traffic.last.request_headers["authorization"] == "Bearer pat"
    assert isinstance(parsed, list)
    assert parsed, "the seeded dynamic answer is empty; pick another PRISM_SEED"
    assert all(isinstance(item, InventoryViewModel) for item in parsed)
    assert not json_differences([item.to_dict() for item in parsed], traffic.last.json())


def test_async_generated_call_matches_the_spec(shipbob_prism: PrismServer, traffic: PrismTraffic) -> None:
    client = ShipBobClient(
        base_url=shipbob_prism.base_url, token="pat", httpx_args={"transport": traffic.async_transport()}
    )

    async def call() -> object:
        async with client:
            return await get_shipbob_inventory.asyncio(123, client=client)

    parsed = asyncio.run(call())
    traffic.assert_no_violations()
    assert isinstance(parsed, list)


def test_prism_flags_a_request_that_breaks_the_spec(shipbob_prism: PrismServer, traffic: PrismTraffic) -> None:
    """The probe the contract tests rely on: no Authorization and a non-integer id give sl-violations."""
    import httpx

    with httpx.Client(base_url=shipbob_prism.base_url, transport=traffic.transport()) as client:
        client.get("/1.0/product/not-a-number/inventory")
    assert traffic.last.violations is not None
    assert "authorization" in traffic.last.violations
    assert "productid must be integer" in traffic.last.violations
    with pytest.raises(AssertionError, match="broke the spec"):
        traffic.assert_no_violations()
