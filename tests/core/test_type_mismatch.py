"""Scalars of the wrong JSON type are rejected: the generated parsers assign them unchecked.

``find_type_mismatch`` (an internal piece, tested on purpose) runs on generated models, then through the
facade's call path (sync and async), where a mismatch is a ``ResponseValidationError`` naming the field, the
expected and the found type.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx
import pytest
from fourthwall_client.api.products_offers import get_product_inventory
from fourthwall_client.models import StockPage
from shipbob_client.api.orders import get_2026_01_order_by_order_id
from shipbob_client.models import OrderViewModel

from facade import AsyncFourthwall, AsyncShipBob, Fourthwall, ShipBob
from facade.core._typecheck import find_type_mismatch
from facade.errors import ResponseValidationError

MODES = ["sync", "async"]
FW_PAGE: dict[str, Any] = {
    "results": [
        {
            "variantId": "6f1c3b8e-1111-4222-8333-444455556666",
            "quantity": 3,
            "createdAt": "2024-01-01T00:00:00Z",
            "updatedAt": "2024-01-02T00:00:00Z",
        }
    ],
    "total": 1,
    "page": 0,
    "size": 20,
    "totalPages": 1,
}


def _page(**changes: Any) -> dict[str, Any]:
    page = copy.deepcopy(FW_PAGE)
    page["results"][0].update(changes)
    return page


def call(vendor: str, mode: str, body: Any) -> Any:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    options: dict[str, Any] = {"auth": "t", "max_retries": 0, "rate_limit": None, "transport": transport}
    clients: dict[str, tuple[Any, Any, Any, Any]] = {
        "fourthwall": (Fourthwall, AsyncFourthwall, get_product_inventory, "p1"),
        "shipbob": (ShipBob, AsyncShipBob, get_2026_01_order_by_order_id, 42),
    }
    sync_cls, async_cls, op, arg = clients[vendor]
    if mode == "sync":
        with sync_cls(**options) as client:
            return client.call(op.sync_detailed, arg)

    async def main() -> Any:
        async with async_cls(**options) as client:
            return await client.call(op.asyncio_detailed, arg)

    return asyncio.run(main())


def test_valid_models_pass() -> None:
    assert find_type_mismatch(StockPage.from_dict(FW_PAGE)) is None
    assert find_type_mismatch(OrderViewModel.from_dict({"id": 1, "products": [{"id": 2, "quantity": 3}]})) is None
    assert find_type_mismatch(OrderViewModel.from_dict({})) is None  # every field optional: Unset passes


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(_page(quantity="12"), ("body.results[0].quantity", "int", "str"), id="str-for-int"),
        pytest.param(_page(quantity=None), ("body.results[0].quantity", "int", "null"), id="null-for-int"),
        pytest.param(_page(quantity=True), ("body.results[0].quantity", "int", "bool"), id="bool-for-int"),
        pytest.param(_page(quantity=1.5), ("body.results[0].quantity", "int", "float"), id="float-for-int"),
        pytest.param({**FW_PAGE, "totalPages": "3"}, ("body.total_pages", "int | Unset", "str"), id="optional"),
    ],
)
def test_fourthwall_scalar_mismatches_are_named(body: dict[str, Any], expected: tuple[str, str, str]) -> None:
    assert find_type_mismatch(StockPage.from_dict(body)) == expected


def test_nested_shipbob_mismatch_names_the_whole_path() -> None:
    found = find_type_mismatch(OrderViewModel.from_dict({"products": [{"id": 1}, {"id": "x"}]}))
    assert found == ("body.products[1].id", "int | NoneType | Unset", "str")


def test_unknown_enum_values_are_not_type_errors() -> None:
    # Tolerant enums keep unknown values as members of the enum type (strict mode is a separate check).
    assert find_type_mismatch(OrderViewModel.from_dict({"status": "Teleported"})) is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("vendor", "body", "reason"),
    [
        ("fourthwall", _page(quantity="12"), "field body.results[0].quantity should be int, got str"),
        ("fourthwall", _page(quantity=None), "field body.results[0].quantity should be int, got null"),
        ("shipbob", {"id": "eleven"}, "field body.id should be int | Unset, got str"),
        ("shipbob", {"products": [{"quantity": False}]}, "body.products[0].quantity should be int | Unset"),
    ],
)
def test_facade_raises_response_validation_error_naming_the_field(mode: str, vendor: str, body: Any, reason: str):
    with pytest.raises(ResponseValidationError) as caught:
        call(vendor, mode, body)
    assert reason in caught.value.reason
    assert caught.value.status_code == 200
    assert reason in str(caught.value)
