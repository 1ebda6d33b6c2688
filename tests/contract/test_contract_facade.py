"""The facade (sync and async) against Prism serving the raw vendored specs.

Each test runs one facade call through a transport that records what Prism said: any ``sl-violations``
header means the facade sent a request the vendor's spec rejects (missing auth header, a non-integer
product id, ...), and fails the test. Error paths use ``Prefer: code=N, dynamic=false`` for every 4xx
status the spec declares for the operation (read from the spec, not hard-coded).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from fourthwall_client.api.products_offers import get_product_inventory
from shipbob_client.api.subpackage_inventory import get_a_list_of_inventory_items_by_product_id as get_shipbob_inventory

import facade
from pipeline.loading import load_document
from tests.contract.conftest import REPO
from tests.support.prism import PrismServer
from tests.support.prism_traffic import PrismTraffic
from tests.support.wire import json_differences

pytestmark = pytest.mark.contract

ERROR_FOR_STATUS: dict[int, type[facade.APIStatusError]] = {
    400: facade.BadRequestError,
    401: facade.AuthenticationError,
    403: facade.PermissionDeniedError,
    404: facade.NotFoundError,
}


@attrs.frozen(kw_only=True)
class Target:
    """One vendor operation under contract: how to build the facade client and call it."""

    vendor: str
    path: str
    product_id: str | int
    sync_op: Callable[..., Any]
    async_op: Callable[..., Any]
    credentials: dict[str, str]
    auth_scheme: str

    def error_statuses(self) -> list[int]:
        """The 4xx statuses the raw spec declares for this operation, that the facade maps to a class."""
        spec = load_document(REPO / "specs" / f"{self.vendor}.yaml")
        declared = spec["paths"][self.path]["get"]["responses"]
        return sorted(int(s) for s in declared if str(s).isdigit() and int(s) in ERROR_FOR_STATUS)

    def call(self, prism: PrismServer, traffic: PrismTraffic, *, asynchronous: bool) -> Any:
        """Run the operation through the facade's ``call`` (sync or async client) against ``prism``."""
        options: dict[str, Any] = {
            **self.credentials,
            "base_url": prism.base_url,
            "allow_insecure_http": True,  # Prism listens on plain http on loopback
            "max_retries": 0,
            "rate_limit": None,
        }
        if not asynchronous:
            sync_cls = facade.Fourthwall if self.vendor == "fourthwall" else facade.ShipBob
            with sync_cls(**options, transport=traffic.transport()) as client:
                return traffic.run(lambda: client.call(self.sync_op, self.product_id))
        async_cls = facade.AsyncFourthwall if self.vendor == "fourthwall" else facade.AsyncShipBob

        async def run() -> Any:
            async with async_cls(**options, transport=traffic.async_transport()) as client:
                return await client.call(self.async_op, self.product_id)

        return traffic.run(lambda: asyncio.run(run()))


TARGETS = [
    Target(
        vendor="fourthwall",
        path="/open-api/v1.0/products/{productId}/inventory",
        product_id="00aa4abd-5778-4199-8161-0b49b2f212e5",
        sync_op=get_product_inventory.sync_detailed,
        async_op=get_product_inventory.asyncio_detailed,
        credentials={"username": "open-api-user", "password": "contract-password"},
        auth_scheme="Basic ",
    ),
    Target(
        vendor="shipbob",
        path="/1.0/product/{productId}/inventory",
        product_id=4711,
        sync_op=get_shipbob_inventory.sync_detailed,
        async_op=get_shipbob_inventory.asyncio_detailed,
        credentials={"token": "contract-pat"},
        auth_scheme="Bearer ",
    ),
]
MODES = [pytest.param(False, id="sync"), pytest.param(True, id="async")]


@pytest.fixture
def prism_for(request: pytest.FixtureRequest) -> Callable[[Target], PrismServer]:
    """The Prism serving a target's spec (started lazily: a vendor's tests alone start only its Prism)."""

    def get(target: Target) -> PrismServer:
        server: PrismServer = request.getfixturevalue(f"{target.vendor}_prism")
        return server

    return get


def to_json(parsed: Any) -> Any:
    if isinstance(parsed, list):
        return [to_json(item) for item in parsed]
    return parsed.to_dict() if hasattr(parsed, "to_dict") else parsed


@pytest.mark.parametrize("asynchronous", MODES)
@pytest.mark.parametrize("prefer", [None, "dynamic=true"], ids=["static", "dynamic"])
@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.vendor)
def test_facade_request_matches_the_spec_and_parses_the_answer(
    target: Target, prefer: str | None, asynchronous: bool, prism_for: Callable[[Target], PrismServer]
) -> None:
    traffic = PrismTraffic(prefer=prefer)
    parsed = target.call(prism_for(target), traffic, asynchronous=asynchronous)
    traffic.assert_no_violations()
    exchange = traffic.last
    assert exchange.status == 200
    assert exchange.request_headers["authorization"].startswith(target.auth_scheme)
    assert f"/{target.product_id}/inventory" in exchange.url
    assert parsed is not None
    assert not json_differences(to_json(parsed), exchange.json())


@pytest.mark.parametrize("asynchronous", MODES)
@pytest.mark.parametrize(
    ("target", "status"),
    [pytest.param(t, s, id=f"{t.vendor}-{s}") for t in TARGETS for s in t.error_statuses()],
)
def test_facade_raises_the_typed_error_the_spec_declares(
    target: Target, status: int, asynchronous: bool, prism_for: Callable[[Target], PrismServer]
) -> None:
    traffic = PrismTraffic(prefer=f"code={status}, dynamic=false")
    with pytest.raises(ERROR_FOR_STATUS[status]) as raised:
        target.call(prism_for(target), traffic, asynchronous=asynchronous)
    traffic.assert_no_violations()
    error = raised.value
    assert error.status_code == status == traffic.last.status
    assert error.ids == {"product_id": target.product_id}
    for name in ("password", "token"):
        secret = target.credentials.get(name)
        assert secret is None or (secret not in str(error) and secret not in repr(error))


def test_fourthwall_not_found_carries_the_vendor_code(fourthwall_prism: PrismServer) -> None:
    """The spec's 404 example body (a Fourthwall error code) reaches the caller as ``code``."""
    traffic = PrismTraffic(prefer="code=404, dynamic=false")
    with pytest.raises(facade.NotFoundError) as raised:
        TARGETS[0].call(fourthwall_prism, traffic, asynchronous=False)
    assert raised.value.code == "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR"


def test_every_declared_error_status_is_exercised() -> None:
    """Guards the parametrization: the specs do declare errors, so the error tests are not vacuous."""
    for target in TARGETS:
        assert 404 in target.error_statuses(), target.vendor
