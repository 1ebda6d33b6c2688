"""No JSON value of the wrong type passes: the generated parsers check every value and name where it was.

The checks are generated (pipeline/templates: scalar fields, scalar list items and additional properties,
unions, and the path added by each enclosing model and list); here they run on the generated models, then
through the facade's call path (sync and async), where a mismatch is a ``ResponseValidationError`` naming the
field, the expected and the found type.
"""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest
from fourthwall_client.models import CartMetadata, CreateGiveawayXResponse, StockPage
from fourthwall_client.types import FieldTypeError
from shipbob_client.models import OrderViewModel
from shipbob_client.types import FieldTypeError as ShipBobFieldTypeError

from facade.errors import ResponseValidationError
from tests.support.drivers import FOURTHWALL_PROBE_PAGE as FW_PAGE
from tests.support.drivers import Mode, VendorName, call_mocked

MODES: list[Mode] = ["sync", "async"]


def _page(**changes: Any) -> dict[str, Any]:
    page = copy.deepcopy(FW_PAGE)
    page["results"][0].update(changes)
    return page


def test_valid_models_parse() -> None:
    assert StockPage.from_dict(FW_PAGE).results[0].quantity == 3
    order = OrderViewModel.from_dict({"id": 1, "products": [{"id": 2, "quantity": 3}]})
    assert isinstance(order.products, list) and order.products[0].quantity == 3
    assert OrderViewModel.from_dict({}).id is not None  # every field optional: Unset passes
    assert CartMetadata.from_dict({"a": "b"})["a"] == "b"


def _raised(error_type: type[Exception], parse: Any, body: Any) -> Any:
    with pytest.raises(error_type) as caught:
        parse(body)
    return caught.value


@pytest.mark.parametrize(
    ("body", "location", "expected", "found"),
    [
        pytest.param(_page(quantity="12"), "results[0].quantity", "int", "str", id="str-for-int"),
        pytest.param(_page(quantity=None), "results[0].quantity", "int", "null", id="null-for-int"),
        pytest.param(_page(quantity=True), "results[0].quantity", "int", "bool", id="bool-for-int"),
        pytest.param(_page(quantity=1.5), "results[0].quantity", "int", "float", id="float-for-int"),
        pytest.param({**FW_PAGE, "totalPages": "3"}, "totalPages", "int", "str", id="optional"),
        pytest.param({**FW_PAGE, "results": {"a": 1}}, "results", "list[StockV1]", "dict", id="not-a-list"),
        pytest.param({**FW_PAGE, "results": [FW_PAGE["results"][0], 7]}, "results[1]", "StockV1", "int", id="item"),
    ],
)
def test_fourthwall_mismatches_are_named(body: dict[str, Any], location: str, expected: str, found: str) -> None:
    error = _raised(FieldTypeError, StockPage.from_dict, body)
    assert (error.location, error.expected, error.found) == (location, expected, found)
    assert str(error) == f"field {location} should be {expected}, got {found}"


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({"products": [{"id": 1}, {"id": "x"}]}, ["products", 1, "id"], "field products[1].id should be int or null"),
        ({"products": "abc"}, ["products"], "field products should be list[ProductInfoViewModel] or null, got str"),
        ({"products": [[]]}, ["products", 0], "field products[0] should be ProductInfoViewModel, got list"),
        ({"gift_message": 5}, ["gift_message"], "field gift_message should be str or null, got int"),
        ({"purchase_date": "not a date"}, ["purchase_date"], "should be datetime.datetime or null, got str"),
    ],
)
def test_shipbob_nested_mismatch_names_the_whole_path(body: dict[str, Any], path: list[Any], message: str) -> None:
    error = _raised(ShipBobFieldTypeError, OrderViewModel.from_dict, body)
    assert error.path == path
    assert message in str(error)


def test_scalar_list_items_and_additional_properties_are_checked() -> None:
    giveaway = {"id": "g1", "friendlyId": "G-1", "drawIds": ["a", "b"]}
    assert CreateGiveawayXResponse.from_dict(giveaway).draw_ids == ["a", "b"]
    error = _raised(FieldTypeError, CreateGiveawayXResponse.from_dict, {**giveaway, "drawIds": ["a", 2]})
    assert str(error) == "field drawIds[1] should be str, got int"
    error = _raised(FieldTypeError, CartMetadata.from_dict, {"note": "gift", "count": 2})
    assert (error.path, error.model) == (["count"], "CartMetadata")


def test_unknown_enum_values_are_not_type_errors() -> None:
    # Tolerant enums keep unknown values as members of the enum type (strict mode is a separate check).
    assert str(OrderViewModel.from_dict({"status": "Teleported"}).status) == "Teleported"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("vendor", "body", "reason"),
    [
        ("fourthwall", _page(quantity="12"), "field results[0].quantity should be int, got str"),
        ("fourthwall", _page(quantity=None), "field results[0].quantity should be int, got null"),
        ("shipbob", {"id": "eleven"}, "field id should be int, got str"),
        ("shipbob", {"products": [{"quantity": False}]}, "field products[0].quantity should be int, got bool"),
    ],
)
def test_facade_raises_response_validation_error_naming_the_field(
    mode: Mode, vendor: VendorName, body: Any, reason: str
) -> None:
    with pytest.raises(ResponseValidationError) as caught:
        call_mocked(vendor, mode, lambda request: httpx.Response(200, json=body))
    assert caught.value.reason == reason
    assert caught.value.status_code == 200
    assert reason in str(caught.value)
