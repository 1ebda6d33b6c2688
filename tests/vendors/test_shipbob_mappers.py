"""ShipBob mappers as pure functions on generated 2026-01 models: totals, per-center and per-lot views, catalog."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from shipbob_client.models.inventory_quantity_fc_response import InventoryQuantityFcResponse
from shipbob_client.models.inventory_quantity_lot_response import InventoryQuantityLotResponse
from shipbob_client.models.inventory_quantity_response import InventoryQuantityResponse
from shipbob_client.models.product_view_model_v5 import ProductViewModelV5

from facade.catalog import CatalogItem
from facade.errors import ResponseValidationError
from facade.shipbob import catalog_items_from_shipbob, stock_level_from_shipbob, stock_levels_from_shipbob
from facade.shipbob._catalog import inventory_ids_of  # a private helper of the join, tested on its own
from facade.shipbob._stock import stock_levels_taking_views  # the client's join, which consumes its indexes
from facade.stock import MAX_QUANTITY, LocationStock, LotStock

TOTALS: dict[str, Any] = {
    "inventory_id": 11,
    "name": "Coffee 250g",
    "sku": "COF-250",
    "total_fulfillable_quantity": 30,
    "total_on_hand_quantity": 34,
    "total_committed_quantity": 4,
    "total_awaiting_quantity": 10,
    "total_internal_transfer_quantity": 2,
    "total_backordered_quantity": 0,
}
CENTER = {
    "location_id": 10,
    "name": "Cicero (IL)",
    "fulfillable_quantity": 30,
    "on_hand_quantity": 34,
    "committed_quantity": 4,
    "awaiting_quantity": 10,
    "internal_transfer_quantity": 2,
}
LOCATIONS = {"inventory_id": 11, "name": "Coffee 250g", "sku": "COF-250", "locations": [CENTER]}
LOTS: dict[str, Any] = {
    "inventory_id": 11,
    "lots": [
        {
            "lot_number": "L-1",
            "lot_date": "2027-01-31T00:00:00Z",
            "fulfillable_quantity": 20,
            "on_hand_quantity": 22,
            "committed_quantity": 2,
            "awaiting_quantity": 0,
            "internal_transfer_quantity": 0,
            "locations": [
                {
                    **CENTER,
                    "fulfillable_quantity": 20,
                    "on_hand_quantity": 22,
                    "committed_quantity": 2,
                    "awaiting_quantity": 0,
                    "internal_transfer_quantity": 0,
                }
            ],
        },
        {
            "lot_number": "L-2",
            "fulfillable_quantity": 10,
            "on_hand_quantity": 12,
            "committed_quantity": 2,
            "locations": [
                {
                    **CENTER,
                    "fulfillable_quantity": 10,
                    "on_hand_quantity": 12,
                    "committed_quantity": 2,
                    "awaiting_quantity": 10,
                    "internal_transfer_quantity": 2,
                }
            ],
        },
    ],
}


def _level(totals: dict[str, Any] = TOTALS, **views: Any) -> Any:
    return stock_level_from_shipbob(
        InventoryQuantityResponse.from_dict(totals),
        locations=InventoryQuantityFcResponse.from_dict(views["locations"]) if "locations" in views else None,
        lots=InventoryQuantityLotResponse.from_dict(views["lots"]) if "lots" in views else None,
        product_id=7,
    )


def test_totals_map_to_normalized_quantities_with_incoming_as_awaiting_plus_transfer() -> None:
    level = _level()
    assert (level.provider, level.product_id, level.item_id, level.sku, level.name) == (
        "shipbob",
        "7",
        "11",
        "COF-250",
        "Coffee 250g",
    )
    assert (level.available, level.on_hand, level.committed, level.incoming) == (30, 34, 4, 12)
    assert level.locations == () and level.lots == ()
    assert isinstance(level.raw, InventoryQuantityResponse)


def test_absent_quantities_are_none_not_zero() -> None:
    level = _level({"inventory_id": 11, "sku": "X"})
    assert (level.available, level.on_hand, level.committed, level.incoming) == (None, None, None, None)
    only_awaiting = _level({"inventory_id": 11, "total_awaiting_quantity": 3})
    assert only_awaiting.incoming == 3


def test_locations_carry_their_lots_and_lots_carry_their_locations() -> None:
    level = _level(locations=LOCATIONS, lots=LOTS)
    (center,) = level.locations
    assert (center.id, center.name, center.available, center.on_hand, center.committed, center.incoming) == (
        "10",
        "Cicero (IL)",
        30,
        34,
        4,
        12,
    )
    assert [lot.lot_number for lot in center.lots] == ["L-1", "L-2"]
    assert sum(lot.available or 0 for lot in center.lots) == center.available
    first, second = level.lots
    assert first.expires_at == datetime.datetime(2027, 1, 31, tzinfo=datetime.UTC)
    assert second.expires_at is None and second.incoming is None
    assert first.locations == (
        LocationStock(id="10", name="Cicero (IL)", available=20, on_hand=22, committed=2, incoming=0),
    )
    assert center.lots[1] == LotStock(lot_number="L-2", available=10, on_hand=12, committed=2, incoming=12)


def test_join_by_inventory_id_keeps_order_and_tolerates_missing_views() -> None:
    totals = [InventoryQuantityResponse.from_dict({**TOTALS, "inventory_id": i, "sku": f"S{i}"}) for i in (3, 1, 2)]
    levels = stock_levels_from_shipbob(
        totals,
        locations={1: InventoryQuantityFcResponse.from_dict({**LOCATIONS, "inventory_id": 1})},
        lots={},
        product_ids={1: 70},
    )
    assert [level.sku for level in levels] == ["S3", "S1", "S2"]
    assert [len(level.locations) for level in levels] == [0, 1, 0]
    assert [level.product_id for level in levels] == [None, "70", None]


def test_negative_quantities_pass_through() -> None:
    level = _level({**TOTALS, "total_fulfillable_quantity": -3})
    assert level.available == -3


@pytest.mark.parametrize("field", ["total_on_hand_quantity", "total_awaiting_quantity"])
def test_quantity_beyond_int32_is_a_validation_error_naming_item_sku_and_field(field: str) -> None:
    with pytest.raises(ResponseValidationError) as caught:
        _level({**TOTALS, field: MAX_QUANTITY + 1})
    message = str(caught.value)
    assert "11" in message and "COF-250" in message and field in message


# Around the fast path's bound (2**30 - 1, facade.shipbob._stock) and at the int32 bounds: kept, whichever path.
_IN_RANGE = [2**30 - 1, 2**30, MAX_QUANTITY, -(2**30) + 1, -(2**30), -MAX_QUANTITY - 1]


@pytest.mark.parametrize("count", _IN_RANGE)
def test_counts_up_to_the_int32_bounds_are_kept_at_every_level(count: int) -> None:
    center = {**CENTER, "on_hand_quantity": count, "internal_transfer_quantity": count}
    lot = {**LOTS["lots"][0], "committed_quantity": count}
    level = _level(
        {**TOTALS, "total_fulfillable_quantity": count},
        locations={**LOCATIONS, "locations": [center]},
        lots={**LOTS, "lots": [lot]},
    )
    assert level.available == count
    (place,) = level.locations
    assert (place.available, place.on_hand, place.incoming) == (30, count, 10 + count)
    assert level.lots[0].committed == count and place.lots[0].committed == 2  # the lot's share of the center


@pytest.mark.parametrize("count", [MAX_QUANTITY + 1, -MAX_QUANTITY - 2])
@pytest.mark.parametrize("field", ["fulfillable_quantity", "internal_transfer_quantity"])
def test_center_count_beyond_int32_names_item_sku_center_and_field(field: str, count: int) -> None:
    with pytest.raises(ResponseValidationError) as caught:
        _level(locations={**LOCATIONS, "locations": [{**CENTER, field: count}]})
    message = str(caught.value)
    assert "item 11" in message and "COF-250" in message and "fulfillment center 10" in message
    assert f"{field}={count}" in message


@pytest.mark.parametrize("in_share", [False, True])
def test_lot_count_beyond_int32_names_item_sku_lot_and_field(in_share: bool) -> None:
    lot = LOTS["lots"][0]
    if in_share:
        lot = {**lot, "locations": [{**lot["locations"][0], "on_hand_quantity": MAX_QUANTITY + 1}]}
    else:
        lot = {**lot, "on_hand_quantity": MAX_QUANTITY + 1}
    with pytest.raises(ResponseValidationError) as caught:
        _level(lots={**LOTS, "lots": [lot]})
    message = str(caught.value)
    assert "item 11" in message and "COF-250" in message and "lot 'L-1'" in message
    assert f"on_hand_quantity={MAX_QUANTITY + 1}" in message


def _views(*ids: int) -> tuple[list[Any], dict[int, Any], dict[int, Any]]:
    totals = [InventoryQuantityResponse.from_dict({**TOTALS, "inventory_id": i}) for i in ids]
    centers = {i: InventoryQuantityFcResponse.from_dict({**LOCATIONS, "inventory_id": i}) for i in set(ids)}
    lots = {i: InventoryQuantityLotResponse.from_dict({**LOTS, "inventory_id": i}) for i in set(ids)}
    return totals, centers, lots


def test_taking_views_maps_like_the_join_and_empties_the_indexes() -> None:
    totals, centers, lots = _views(1, 2, 3)
    joined = stock_levels_from_shipbob(totals, locations=centers, lots=lots, product_ids={2: 7})
    assert len(centers) == len(lots) == 3  # the public join leaves its arguments alone
    taken = stock_levels_taking_views(totals, centers, lots, {2: 7})
    assert taken == joined and all(level.locations and level.lots for level in taken)
    assert centers == {} and lots == {}


def test_taking_views_gives_an_item_listed_twice_its_views_both_times() -> None:
    totals, centers, lots = _views(1, 2, 1)
    levels = stock_levels_taking_views(totals, centers, lots, {})
    assert [level.item_id for level in levels] == ["1", "2", "1"]
    assert levels[0] == levels[2] and levels[2].locations and levels[2].lots


PRODUCT: dict[str, Any] = {
    "id": 7,
    "name": "Coffee",
    "variants": [
        {
            "id": 70,
            "name": "250g",
            "sku": "COF-250",
            "status": "Active",
            "is_digital": False,
            "inventory": {"inventory_id": 11, "on_hand_qty": 34},
            "barcodes": [{"value": "0123456789012"}],
        },
        {
            "id": 71,
            "name": "Gift box",
            "sku": "COF-BOX",
            "status": "Inactive",
            "upc": "999",
            "inventory": {"inventory_id": 12},
            "bundle_definition": [
                {"variant_id": 70, "variant_sku": "COF-250", "quantity": 2},
                {"variant_id": 72, "quantity": 1},
            ],
        },
    ],
}


def test_catalog_one_item_per_variant_with_inventory_barcode_and_bundle() -> None:
    product = ProductViewModelV5.from_dict(PRODUCT)
    plain, box = catalog_items_from_shipbob(product)
    assert plain == CatalogItem(
        provider="shipbob",
        product_id="7",
        product_name="Coffee",
        variant_id="70",
        inventory_id="11",
        sku="COF-250",
        name="250g",
        barcode="0123456789012",
        active=True,
        digital=False,
        raw=None,
    )
    assert (box.active, box.barcode, box.bundle, box.digital) == (False, "999", True, None)
    assert box.bundle_components == (("COF-250", 2), ("72", 1))
    assert inventory_ids_of(product) == [11, 12]


def test_catalog_item_is_frozen() -> None:
    (item, _) = catalog_items_from_shipbob(ProductViewModelV5.from_dict(PRODUCT))
    with pytest.raises(AttributeError):
        item.sku = "other"  # type: ignore[misc]
