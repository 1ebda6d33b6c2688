"""The generated clients, called directly, against Prism serving the raw vendored specs.

This pins the layer under the facade: for EVERY operation of both vendored specs (112), the generated
``sync_detailed`` sends a request the vendor's own spec accepts (no ``sl-violations``) and, where the
spec promises a JSON 2xx body, parses Prism's answer into a typed model. Arguments are deterministic:
required parameters and bodies get ``minimal_instance`` values (required fields only, first enum
value, formats honoured), optional ones are left out. The async twin (``asyncio_detailed``) runs for
every operation too: one Prism request each, so exhaustive costs a few seconds, not sampling.
Prism answers with bodies generated from the response schemas (``dynamic=true``; seeded, so the same
on every run): some of the vendors' own examples contradict their schemas (Fourthwall ``weight.value``
given as a string), which the generated parsers rightly reject.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import httpx
import pytest

from tests.support.openapi_cases import OperationCase, call_arguments, operation_cases
from tests.support.prism import PrismServer
from tests.support.prism_traffic import PrismTraffic

pytestmark = pytest.mark.contract

CASES = operation_cases()

# Operations whose raw schema no request can satisfy, with the only violation Prism may report there.
# ShipBob POST /2026-01/order: each `products` item (and the `recipient` address) is `oneOf` subtypes built
# as `allOf: [AddProductToOrderModel]` plus required fields of their own (`name`, `reference_id`), and that
# base says `additionalProperties: false`:
# strictly, every subtype field is then forbidden (Prism also lists why the item fails the other oneOf members:
# `required`, `oneOf`). ShipBob's own docs send those fields.
VENDOR_CONTRADICTIONS = {
    "shipbob:POST /2026-01/order": ({"additionalProperties", "required", "oneOf"}, ["request", "body"])
}


def _client(case: OperationCase, prism: PrismServer, transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> Any:
    """The generated client with the credentials the operation's ``security`` accepts."""
    package = __import__(case.package)
    if case.auth == "basic":  # Fourthwall operations open to Open API users only (HTTP Basic)
        headers = {"Authorization": "Basic " + base64.b64encode(b"user:password").decode()}
        return package.Client(base_url=prism.base_url, headers=headers, httpx_args={"transport": transport})
    return package.AuthenticatedClient(
        base_url=prism.base_url, token="contract-token", httpx_args={"transport": transport}
    )


def _check(case: OperationCase, traffic: PrismTraffic, response: Any) -> None:
    if case.id in VENDOR_CONTRADICTIONS:
        codes, location = VENDOR_CONTRADICTIONS[case.id]
        for line in traffic.violations:
            for violation in json.loads(line.split(": ", 1)[1]):
                assert violation["code"] in codes and violation["location"][:2] == location, line
        return
    traffic.assert_no_violations()
    assert 200 <= response.status_code < 300, (
        f"{case.id}: Prism answered {response.status_code}: {traffic.last.body[:300]!r}"
    )
    if case.json_2xx and traffic.last.body:
        assert response.parsed is not None, f"{case.id}: the 2xx JSON answer was not parsed"
        items = response.parsed if isinstance(response.parsed, list) else [response.parsed]
        assert not any(isinstance(item, dict) for item in items), f"{case.id}: untyped answer"


@pytest.fixture(scope="module")
def prisms(fourthwall_prism: PrismServer, shipbob_prism: PrismServer) -> dict[str, PrismServer]:
    return {"fourthwall": fourthwall_prism, "shipbob": shipbob_prism}


def test_every_operation_of_both_specs_is_a_case() -> None:
    assert {case.vendor: 0 for case in CASES}.keys() == {"fourthwall", "shipbob"}
    assert len(CASES) == 40 + 72
    assert sum(case.json_2xx for case in CASES) == 107


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_generated_call_matches_the_spec(case: OperationCase, prisms: dict[str, PrismServer]) -> None:
    traffic = PrismTraffic(prefer="dynamic=true")
    function = case.module.sync_detailed
    args, kwargs = call_arguments(case, function)
    with _client(case, prisms[case.vendor], traffic.transport()) as client:
        response = traffic.run(lambda: function(*args, client=client, **kwargs))
    _check(case, traffic, response)
    assert traffic.last.request_headers["authorization"].startswith("Basic " if case.auth == "basic" else "Bearer ")


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_async_generated_call_matches_the_spec(case: OperationCase, prisms: dict[str, PrismServer]) -> None:
    traffic = PrismTraffic(prefer="dynamic=true")
    function = case.module.asyncio_detailed
    args, kwargs = call_arguments(case, function)

    async def call() -> Any:
        async with _client(case, prisms[case.vendor], traffic.async_transport()) as client:
            return await function(*args, client=client, **kwargs)

    _check(case, traffic, traffic.run(lambda: asyncio.run(call())))


def test_prism_flags_a_request_that_breaks_the_spec(shipbob_prism: PrismServer) -> None:
    """The probe the contract tests rely on: a request without Authorization gets sl-violations."""
    traffic = PrismTraffic()
    with httpx.Client(base_url=shipbob_prism.base_url, transport=traffic.transport()) as client:
        client.get("/2026-01/inventory-level/not-a-number")
    assert traffic.last.violations is not None
    assert "invalid security scheme" in traffic.last.violations.lower()
    with pytest.raises(AssertionError, match="broke the spec"):
        traffic.assert_no_violations()


def test_comma_separated_lists_are_accepted_by_the_spec(shipbob_prism: PrismServer) -> None:
    from shipbob_client import AuthenticatedClient
    from shipbob_client.api.inventory import get_2026_01_inventory_level

    traffic = PrismTraffic(prefer="dynamic=false")
    client = AuthenticatedClient(
        base_url=shipbob_prism.base_url, token="t", httpx_args={"transport": traffic.transport()}
    )
    with client:
        response = get_2026_01_inventory_level.sync_detailed(client=client, inventory_ids=[1, 2], page_size=250)
    traffic.assert_no_violations()
    assert response.status_code == 200 and "InventoryIds=1%2C2" in traffic.last.url
