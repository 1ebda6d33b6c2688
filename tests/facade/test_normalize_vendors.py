"""The per-vendor mappers: pure functions from generated models to `StockLevel`, nothing invented."""

from __future__ import annotations

import datetime

import attrs
from fourthwall_client.models.stock import Stock
from shipbob_client.models.inventory_view_model import InventoryViewModel

from facade._normalize import (
    stock_level_from_fourthwall,
    stock_level_from_shipbob,
    stock_levels_from_fourthwall,
    stock_levels_from_shipbob,
)
from facade._stock import LocationStock, LotStock
from tests.fixtures.inventory import fourthwall_stock, shipbob_item, variant_id


def test_fourthwall_quantity_is_available_and_unreported_fields_are_none() -> None:
    stock = Stock.from_dict(fourthwall_stock(3))

    level = stock_level_from_fourthwall(stock, product_id="prod_1")

    assert level.provider == "fourthwall"
    assert level.product_id == "prod_1"
    assert level.item_id == variant_id(3)
    assert level.available == 3
    assert (level.on_hand, level.committed, level.incoming, level.name) == (None, None, None, None)
    assert level.locations == () and level.lots == ()
    assert level.updated_at == datetime.datetime(2026, 11, 20, 10, 15, tzinfo=datetime.UTC)
    assert level.raw is stock


def test_fourthwall_zero_stays_zero() -> None:
    level = stock_level_from_fourthwall(Stock.from_dict(fourthwall_stock(7)), product_id="p")

    assert level.available == 0


def test_fourthwall_list_keeps_order() -> None:
    stocks = [Stock.from_dict(fourthwall_stock(i)) for i in range(5)]

    levels = stock_levels_from_fourthwall(stocks, product_id="p")

    assert [level.item_id for level in levels] == [variant_id(i) for i in range(5)]


def test_shipbob_totals_map_and_incoming_is_awaiting_plus_internal_transfer() -> None:
    item = InventoryViewModel.from_dict(shipbob_item(11))

    level = stock_level_from_shipbob(item, product_id=7)

    assert level.provider == "shipbob"
    assert (level.product_id, level.item_id, level.name) == ("7", "11", "Mug")
    assert (level.available, level.on_hand, level.committed) == (30, 34, 4)
    assert level.incoming == 10 + 2
    assert level.updated_at is None
    assert level.raw is item


def test_shipbob_per_location_breakdown_is_preserved() -> None:
    level = stock_level_from_shipbob(InventoryViewModel.from_dict(shipbob_item(11)), product_id=7)

    cicero, moreno = level.locations
    assert attrs.evolve(cicero, lots=()) == LocationStock(
        id="10", name="Cicero (IL)", available=12, on_hand=14, committed=2, incoming=6
    )
    assert attrs.evolve(moreno, lots=()) == LocationStock(
        id="20", name="Moreno Valley (CA)", available=18, on_hand=20, committed=2, incoming=6
    )
    # Locations are a split of the totals, so they add up.
    assert sum(location.available or 0 for location in level.locations) == level.available


def test_shipbob_per_lot_breakdown_is_preserved_in_each_location() -> None:
    level = stock_level_from_shipbob(InventoryViewModel.from_dict(shipbob_item(11)), product_id=7)

    cicero, moreno = level.locations
    # Each location holds the lots stored there, with that location's share (not the lot's total).
    assert cicero.lots == (
        LotStock(
            lot_number="L-1",
            expires_at=datetime.datetime(2027, 1, 31),
            available=12,
            on_hand=14,
            committed=2,
            incoming=6,
        ),
    )
    assert [(lot.lot_number, lot.expires_at, lot.available) for lot in moreno.lots] == [
        ("L-2", datetime.datetime(2027, 6, 30), 18)
    ]
    for location in level.locations:
        assert all(lot.locations == () for lot in location.lots)
        assert sum(lot.available or 0 for lot in location.lots) == location.available


def test_shipbob_lot_split_over_two_locations_appears_in_both() -> None:
    raw = shipbob_item(11)
    lot = raw["fulfillable_quantity_by_lot"][1]
    lot["fulfillable_quantity_by_fulfillment_center"] = [
        {"id": 10, "name": "Cicero (IL)", "fulfillable_quantity": 5},
        {"id": 20, "name": "Moreno Valley (CA)", "fulfillable_quantity": 13},
    ]
    level = stock_level_from_shipbob(InventoryViewModel.from_dict(raw), product_id=7)

    cicero, moreno = level.locations
    assert [(lot.lot_number, lot.available) for lot in cicero.lots] == [("L-1", 12), ("L-2", 5)]
    assert [(lot.lot_number, lot.available) for lot in moreno.lots] == [("L-2", 13)]
    assert moreno.lots[0].on_hand is None  # not reported for that share: unknown, not zero


def test_shipbob_per_lot_breakdown_keeps_expiry_and_its_own_locations() -> None:
    level = stock_level_from_shipbob(InventoryViewModel.from_dict(shipbob_item(11)), product_id=7)

    first, second = level.lots
    assert first == LotStock(
        lot_number="L-1",
        expires_at=datetime.datetime(2027, 1, 31),
        available=12,
        on_hand=13,
        committed=1,
        incoming=0,
        locations=(LocationStock(id="10", name="Cicero (IL)", available=12, on_hand=14, committed=2, incoming=6),),
    )
    assert (second.lot_number, second.available, second.incoming) == ("L-2", 18, 12)
    assert [location.id for location in second.locations] == ["20"]
    assert sum(lot.available or 0 for lot in level.lots) == level.available


def test_shipbob_missing_quantities_are_none_never_zero() -> None:
    item = InventoryViewModel.from_dict({"id": 5, "total_awaiting_quantity": 4})

    level = stock_level_from_shipbob(item, product_id="9")

    assert (level.name, level.available, level.on_hand, level.committed) == (None, None, None, None)
    assert level.incoming == 4  # only the part ShipBob reported
    assert level.locations == () and level.lots == ()
    bare = stock_level_from_shipbob(InventoryViewModel.from_dict({}), product_id="9")
    assert (bare.item_id, bare.incoming) == (None, None)


def test_shipbob_list_keeps_order() -> None:
    items = [InventoryViewModel.from_dict(shipbob_item(i, name=f"item {i}")) for i in (3, 1, 2)]

    assert [level.item_id for level in stock_levels_from_shipbob(items, product_id=1)] == ["3", "1", "2"]
