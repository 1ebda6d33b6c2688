"""Scalars of the wrong JSON type are rejected: the generated parsers assign them unchecked.

`find_type_mismatch` is tested as a pure function on generated models, then through the facade's call path
(sync and async), where a mismatch is a `ResponseValidationError` naming the field, the expected and the
found type.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fourthwall_client.models import StockPage
from shipbob_client.models import InventoryViewModel

from facade import ResponseValidationError
from facade._typecheck import find_type_mismatch
from tests.facade.test_errors import CALLERS, FW_PAGE, MODES, answer
from tests.fixtures.inventory import shipbob_item


def _page(**changes: Any) -> dict[str, Any]:
    page = copy.deepcopy(FW_PAGE)
    page["results"][0].update(changes)
    return page


def test_valid_models_pass() -> None:
    assert find_type_mismatch(StockPage.from_dict(FW_PAGE)) is None
    assert find_type_mismatch([InventoryViewModel.from_dict(shipbob_item(i)) for i in range(3)]) is None
    assert find_type_mismatch([InventoryViewModel.from_dict({})]) is None  # every field optional: Unset passes


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
    item = shipbob_item(3)
    item["fulfillable_quantity_by_lot"][1]["fulfillable_quantity_by_fulfillment_center"][0]["name"] = 5
    item_ok = shipbob_item(4)
    found = find_type_mismatch([InventoryViewModel.from_dict(item_ok), InventoryViewModel.from_dict(item)])
    assert found == (
        "body[1].fulfillable_quantity_by_lot[1].fulfillable_quantity_by_fulfillment_center[0].name",
        "str | Unset",
        "int",
    )


def test_float_fields_accept_integers_but_not_strings() -> None:
    assert find_type_mismatch(InventoryViewModel.from_dict({"dimensions": {"depth": 3}})) is None
    found = find_type_mismatch(InventoryViewModel.from_dict({"dimensions": {"depth": "3"}}))
    assert found == ("body.dimensions.depth", "float | Unset", "str")


def test_unknown_enum_values_are_not_type_errors() -> None:
    # Tolerant enums keep unknown values as members of the enum type (strict mode is a separate check).
    assert find_type_mismatch(InventoryViewModel.from_dict({"packaging_attribute": "Glass"})) is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("vendor", "body", "reason"),
    [
        ("fourthwall", _page(quantity="12"), "field body.results[0].quantity should be int, got str"),
        ("fourthwall", _page(quantity=None), "field body.results[0].quantity should be int, got null"),
        ("shipbob", [{"id": "eleven"}], "field body[0].id should be int | Unset, got str"),
        ("shipbob", [{"total_fulfillable_quantity": False}], "total_fulfillable_quantity should be int | Unset"),
    ],
)
def test_facade_raises_response_validation_error_naming_the_field(mode: str, vendor: str, body: Any, reason: str):
    with pytest.raises(ResponseValidationError) as caught:
        CALLERS[vendor](mode, answer(200, body))
    assert reason in caught.value.reason
    assert caught.value.status_code == 200
    assert reason in str(caught.value)
