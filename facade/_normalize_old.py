"""Pure mappers from the generated vendor models to `StockLevel`: explicit, field by field, no I/O.

Fourthwall (`Stock`: variantId, quantity, createdAt, updatedAt): `quantity` is what can be sold, so it becomes
`available`; Fourthwall reports no on-hand, committed, incoming, name or location, so those are `None`/empty.

ShipBob (`InventoryViewModel`, 1.0 `GET /product/{id}/inventory`), following the field descriptions in the spec:

- `available` = fulfillable quantity, `on_hand` = onhand quantity, `committed` = committed quantity;
- `incoming` = awaiting quantity ("in unreceived receiving orders") + internal transfer quantity ("in internal
  transit between ShipBob fulfillment centers ... not pickable or fulfillable until received"): both are stock
  that is not on hand yet and will be. Only the parts ShipBob reports are added; `None` if it reports neither;
- `locations` from `fulfillable_quantity_by_fulfillment_center`, each with the lots stored there (taken from the
  lots' own per-fulfillment-center split, matched by fulfillment center id); `lots` from
  `fulfillable_quantity_by_lot` (each lot keeps its own per-fulfillment-center split and its expiration date).

Example::

    levels = stock_levels_from_shipbob(items, product_id=7)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict, TypeVar

from ._stock import LocationStock, LotStock, StockLevel

if TYPE_CHECKING:
    # Annotations only: the mappers read attributes, so importing them does not import the generated packages.
    from fourthwall_client.models.stock import Stock
    from shipbob_client.models.fulfillment_center_quantity_view_model import FulfillmentCenterQuantityViewModel
    from shipbob_client.models.inventory_view_model import InventoryViewModel
    from shipbob_client.types import Unset

__all__ = [
    "stock_level_from_fourthwall",
    "stock_level_from_shipbob",
    "stock_levels_from_fourthwall",
    "stock_levels_from_shipbob",
]

_T = TypeVar("_T")


def stock_level_from_fourthwall(stock: Stock, *, product_id: str) -> StockLevel:
    """Map one Fourthwall variant's stock; `product_id` is the product it was fetched for.

    Example::

        level = stock_level_from_fourthwall(page.results[0], product_id="prod_1")
    """
    return StockLevel(
        provider="fourthwall",
        product_id=str(product_id),
        item_id=str(stock.variant_id),
        available=stock.quantity,
        updated_at=stock.updated_at,
        raw=stock,
    )


def stock_levels_from_fourthwall(stocks: Iterable[Stock], *, product_id: str) -> list[StockLevel]:
    """Map a page of Fourthwall stock (`StockPage.results`), keeping the order.

    Example::

        levels = stock_levels_from_fourthwall(page.results, product_id="prod_1")
    """
    return [stock_level_from_fourthwall(stock, product_id=product_id) for stock in stocks]


def stock_level_from_shipbob(item: InventoryViewModel, *, product_id: int | str) -> StockLevel:
    """Map one ShipBob inventory item with its per-fulfillment-center and per-lot breakdowns.

    Example::

        level = stock_level_from_shipbob(items[0], product_id=7)
    """
    lots: list[LotStock] = []
    # Each lot's share of a center, in lot order, keyed by center id: the lots of `LocationStock.lots`.
    shares_by_center: dict[str, list[LotStock]] = {}
    for lot in _listed(item.fulfillable_quantity_by_lot):
        lot_number = _text(lot.lot_number)
        expires_at = lot.expiration_date if isinstance(lot.expiration_date, datetime.datetime) else None
        places = []
        for share in _listed(lot.fulfillable_quantity_by_fulfillment_center):
            center_id, quantities = _text(share.id), _quantities(share)
            places.append(LocationStock(id=center_id, name=_text(share.name), **quantities))
            if center_id is not None:
                shares_by_center.setdefault(center_id, []).append(
                    LotStock(lot_number=lot_number, expires_at=expires_at, **quantities)
                )
        lots.append(
            LotStock(
                lot_number=lot_number,
                expires_at=expires_at,
                available=_count(lot.fulfillable_quantity),
                on_hand=_count(lot.onhand_quantity),
                committed=_count(lot.committed_quantity),
                incoming=_incoming(lot.awaiting_quantity, lot.internal_transfer_quantity),
                locations=tuple(places),
            )
        )
    locations = []
    for center in _listed(item.fulfillable_quantity_by_fulfillment_center):
        center_id = _text(center.id)
        at_center = shares_by_center.get(center_id, ()) if center_id is not None else ()
        locations.append(
            LocationStock(id=center_id, name=_text(center.name), **_quantities(center), lots=tuple(at_center))
        )
    return StockLevel(
        provider="shipbob",
        product_id=str(product_id),
        item_id=_text(item.id),
        name=_text(item.name),
        available=_count(item.total_fulfillable_quantity),
        on_hand=_count(item.total_onhand_quantity),
        committed=_count(item.total_committed_quantity),
        incoming=_incoming(item.total_awaiting_quantity, item.total_internal_transfer_quantity),
        locations=tuple(locations),
        lots=tuple(lots),
        raw=item,
    )


def stock_levels_from_shipbob(items: Iterable[InventoryViewModel], *, product_id: int | str) -> list[StockLevel]:
    """Map the inventory items ShipBob returns for one product, keeping the order.

    Example::

        levels = stock_levels_from_shipbob(response.parsed, product_id=7)
    """
    return [stock_level_from_shipbob(item, product_id=product_id) for item in items]


class _Quantities(TypedDict):
    available: int | None
    on_hand: int | None
    committed: int | None
    incoming: int | None


def _quantities(center: FulfillmentCenterQuantityViewModel) -> _Quantities:
    return {
        "available": _count(center.fulfillable_quantity),
        "on_hand": _count(center.onhand_quantity),
        "committed": _count(center.committed_quantity),
        "incoming": _incoming(center.awaiting_quantity, center.internal_transfer_quantity),
    }


def _listed(value: list[_T] | Unset) -> list[_T]:
    # The generated models use an `Unset` sentinel for absent fields; an absent list is an empty breakdown.
    return value if isinstance(value, list) else []


def _count(value: object) -> int | None:
    # Exactly int: `bool` is an `int` subclass but never a quantity.
    return value if type(value) is int else None


def _text(value: object) -> str | None:
    return None if value is None or not isinstance(value, str | int) else str(value)


def _incoming(awaiting: object, in_transfer: object) -> int | None:
    first, second = _count(awaiting), _count(in_transfer)
    if first is None:
        return second
    return first if second is None else first + second
