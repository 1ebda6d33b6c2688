"""Typed errors for answers the sandbox cannot give: 404s, malformed and 1,000-deep bodies, bad product ids,
implausible quantities; ``inventory_many`` keeps every good product. Fakes are ``httpx.MockTransport`` handlers
matching method and path; both twins run each case (async through the driver of ``tests/support/drivers.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from facade.errors import InvalidArgumentError, NotFoundError, ResponseValidationError, ServerError
from facade.stock import MAX_QUANTITY
from tests.support.drivers import Mode, VendorName, client_driven

FW = "/open-api/v1.0"
SB = "/2026-01"
DEEP = b'{"results": ' + b"[" * 1000 + b"]" * 1000 + b"}"
# Parses (json.loads manages ~1,000 levels) but broke the recursive redaction of error bodies.
HALF_DEEP = b'{"code": "X", "detail": ' + b"[" * 500 + b"]" * 500 + b"}"
STOCK = {
    "variantId": "6f1f7c2e-1b9a-4f3e-9d1c-2a3b4c5d6e7f",
    "quantity": 3,
    "createdAt": "2026-01-01T00:00:00Z",
    "updatedAt": "2026-01-02T00:00:00Z",
}


def _page(results: list[Any]) -> dict[str, Any]:
    return {"results": results, "total": len(results), "page": 0, "size": 100, "totalPages": 1}


Routes = dict[str, Callable[[httpx.Request], httpx.Response]]


class Fake:
    """A MockTransport handler over ``routes`` (path -> response factory); records every request."""

    def __init__(self, routes: Routes) -> None:
        self.routes = routes
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        route = self.routes.get(request.url.path)
        if route is None:
            return httpx.Response(404, json={"code": "NOT_FOUND", "title": "Not Found"})
        return route(request)


def _json(payload: Any) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(200, json=payload)


def _raw(body: bytes, status: int = 200) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, content=body, headers={"content-type": "application/json"})


def _run(mode: Mode, vendor: VendorName, fake: Fake, method: str, *args: Any, **kwargs: Any) -> Any:
    options: dict[str, Any] = {"auth": "t", "base_url": "https://vendor.test", "max_retries": 0, "rate_limit": None}
    with client_driven(vendor, mode, transport=httpx.MockTransport(fake), **options) as client:
        return client.run(method, *args, **kwargs)


@pytest.mark.parametrize("vendor", ["fourthwall", "shipbob"])
@pytest.mark.parametrize("bad_id", ["..", ".", "", "a/b"])
def test_ids_that_cannot_be_a_path_segment_are_rejected_before_any_request(
    mode: Mode, vendor: VendorName, bad_id: str
) -> None:
    fake = Fake({})
    with pytest.raises(InvalidArgumentError, match="product_id"):
        _run(mode, vendor, fake, "inventory", bad_id)
    assert fake.seen == []


def test_fourthwall_deep_body_is_a_validation_error_and_inventory_many_keeps_the_good(mode: Mode) -> None:
    fake = Fake({f"{FW}/products/good/inventory": _json(_page([STOCK])), f"{FW}/products/deep/inventory": _raw(DEEP)})
    with pytest.raises(ResponseValidationError) as caught:
        _run(mode, "fourthwall", fake, "inventory", "deep")
    assert caught.value.ids == {"product_id": "deep"}
    result = _run(mode, "fourthwall", fake, "inventory_many", ["good", "deep", "gone"], concurrency=2)
    assert [level.available for level in result.levels] == [3]
    assert {f.product_id: type(f.error) for f in result.failures} == {
        "deep": ResponseValidationError,
        "gone": NotFoundError,
    }


@pytest.mark.parametrize("body", [DEEP, HALF_DEEP], ids=["1000-deep", "500-deep"])
def test_fourthwall_deep_error_bodies_are_typed_errors_for_that_product_only(mode: Mode, body: bytes) -> None:
    """Old behaviour: a 404 whose body nested 1,000 deep raised a raw RecursionError from the error mapping
    (500 deep: from redacting the parsed body), and inventory_many lost every good product with it."""
    fake = Fake(
        {f"{FW}/products/good/inventory": _json(_page([STOCK])), f"{FW}/products/bad/inventory": _raw(body, 404)}
    )
    with pytest.raises(NotFoundError) as caught:
        _run(mode, "fourthwall", fake, "inventory", "bad")
    assert caught.value.ids == {"product_id": "bad"} and caught.value.body is None  # the deep body is dropped
    result = _run(mode, "fourthwall", fake, "inventory_many", ["good", "bad"])
    assert [level.available for level in result.levels] == [3]
    assert [(f.product_id, type(f.error)) for f in result.failures] == [("bad", NotFoundError)]


def test_fourthwall_stock_on_a_deep_500_is_a_server_error(mode: Mode) -> None:
    """Old behaviour: RecursionError from the listing's error mapping."""
    fake = Fake({f"{FW}/products": _raw(DEEP, 500)})
    with pytest.raises(ServerError) as caught:
        _run(mode, "fourthwall", fake, "stock")
    assert caught.value.status_code == 500


def test_fourthwall_quantities_negative_kept_absurd_rejected_for_that_product_only(mode: Mode) -> None:
    fake = Fake(
        {
            f"{FW}/products/neg/inventory": _json(_page([{**STOCK, "quantity": -2}])),
            f"{FW}/products/huge/inventory": _json(_page([{**STOCK, "quantity": MAX_QUANTITY + 1}])),
        }
    )
    result = _run(mode, "fourthwall", fake, "inventory_many", ["neg", "huge"])
    assert [level.available for level in result.levels] == [-2]
    (failure,) = result.failures
    assert failure.product_id == "huge" and isinstance(failure.error, ResponseValidationError)
    assert "quantity" in str(failure.error)


def test_fourthwall_malformed_listing_is_a_validation_error(mode: Mode) -> None:
    fake = Fake({f"{FW}/products": _json({"results": [{"id": "p1"}], "page": 0, "size": 100, "totalPages": 1})})
    with pytest.raises(ResponseValidationError):
        _run(mode, "fourthwall", fake, "stock")


PRODUCT = {
    "id": 7,
    "name": "Mug",
    "variants": [
        {"id": 70, "sku": "MUG", "name": "White", "inventory": {"inventory_id": 11}},
        {"id": 71, "sku": "MUG-B", "name": "Black", "inventory": {"inventory_id": 12}},
    ],
}


def _levels_page(request: httpx.Request) -> httpx.Response:
    ids = [int(i) for i in request.url.params.get("InventoryIds", "11,12").split(",")]
    items = [{"inventory_id": i, "sku": f"S{i}", "name": f"N{i}", "total_fulfillable_quantity": i} for i in ids]
    return httpx.Response(200, json={"items": items, "next": None})


def _locations_page(request: httpx.Request) -> httpx.Response:
    ids = [int(i) for i in request.url.params["InventoryIds"].split(",")]
    items = [
        {"inventory_id": i, "locations": [{"location_id": 10, "name": "Cicero", "fulfillable_quantity": i}]}
        for i in ids
    ]
    return httpx.Response(200, json={"items": items, "next": None})


def _lots_page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"items": [], "next": None})


def test_shipbob_inventory_takes_product_then_one_request_per_view(mode: Mode) -> None:
    fake = Fake(
        {
            f"{SB}/product/7": _json(PRODUCT),
            f"{SB}/inventory-level": _levels_page,
            f"{SB}/inventory-level/locations": _locations_page,
            f"{SB}/inventory-level/lots": _lots_page,
        }
    )
    levels = _run(mode, "shipbob", fake, "inventory", 7)
    assert [(lv.product_id, lv.item_id, lv.sku, lv.available) for lv in levels] == [
        ("7", "11", "S11", 11),
        ("7", "12", "S12", 12),
    ]
    assert [lv.locations[0].available for lv in levels] == [11, 12]
    assert [r.url.path for r in fake.seen] == [
        f"{SB}/product/7",
        f"{SB}/inventory-level",
        f"{SB}/inventory-level/locations",
        f"{SB}/inventory-level/lots",
    ]
    assert all(r.url.params.get("InventoryIds") == "11,12" for r in fake.seen[1:])


def _shipbob_with_bad_product_8(answer: Callable[[httpx.Request], httpx.Response]) -> Fake:
    """Product 7 and its inventory views answer well; product 8 gets ``answer``."""
    return Fake(
        {
            f"{SB}/product/7": _json(PRODUCT),
            f"{SB}/product/8": answer,
            f"{SB}/inventory-level": _levels_page,
            f"{SB}/inventory-level/locations": _locations_page,
            f"{SB}/inventory-level/lots": _lots_page,
        }
    )


def test_shipbob_missing_product_is_not_found_and_inventory_many_keeps_the_good(mode: Mode) -> None:
    fake = _shipbob_with_bad_product_8(_raw(DEEP.replace(b"results", b"variants")))
    with pytest.raises(NotFoundError) as caught:
        _run(mode, "shipbob", fake, "inventory", 9)
    assert caught.value.ids == {"product_id": 9}
    result = _run(mode, "shipbob", fake, "inventory_many", [7, 8, 9])
    assert [lv.sku for lv in result.levels] == ["S11", "S12"]
    assert {f.product_id: type(f.error) for f in result.failures} == {"8": ResponseValidationError, "9": NotFoundError}


def test_shipbob_deep_404_is_not_found_and_inventory_many_keeps_the_good(mode: Mode) -> None:
    """Old behaviour: RecursionError from the error mapping of the 404."""
    fake = _shipbob_with_bad_product_8(_raw(DEEP, 404))
    with pytest.raises(NotFoundError) as caught:
        _run(mode, "shipbob", fake, "inventory", 8)
    assert caught.value.ids == {"product_id": 8}
    result = _run(mode, "shipbob", fake, "inventory_many", [7, 8])
    assert [lv.sku for lv in result.levels] == ["S11", "S12"]
    assert [(f.product_id, type(f.error)) for f in result.failures] == [("8", NotFoundError)]


def test_shipbob_malformed_levels_is_a_validation_error(mode: Mode) -> None:
    fake = Fake({f"{SB}/inventory-level": _json({"items": [{"inventory_id": "eleven"}], "next": None})})
    with pytest.raises(ResponseValidationError):
        _run(mode, "shipbob", fake, "stock")


def test_shipbob_product_without_inventory_makes_one_request(mode: Mode) -> None:
    fake = Fake({f"{SB}/product/7": _json({"id": 7, "name": "Gift", "variants": [{"id": 1, "sku": "G"}]})})
    assert _run(mode, "shipbob", fake, "inventory", 7) == []
    assert len(fake.seen) == 1
