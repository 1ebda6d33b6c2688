"""Pure mappers from ShipBob's inventory-level views to `StockLevel`: explicit, field by field, no I/O.

ShipBob serves one inventory item's stock as three views, each a generated model keyed by ``inventory_id``:

- totals (``InventoryQuantityResponse``, ``GET /inventory-level``): ``available`` = total fulfillable, ``on_hand``,
  ``committed``, and ``incoming`` = awaiting ("expected to arrive from receiving or transfers") + internal
  transfer ("in transit between fulfillment centers"): stock that is not on hand yet and will be. Only the parts
  ShipBob reports are added; ``None`` if it reports neither;
- per fulfillment center (``InventoryQuantityFcResponse``, ``/inventory-level/locations``): ``locations``;
- per lot (``InventoryQuantityLotResponse``, ``/inventory-level/lots``): ``lots``, each with its own split by
  fulfillment center, and the same split attached to each location (``LocationStock.lots``).

The totals are ShipBob's own (never re-added from the locations), and ``raw`` is the totals model.

Example::

    level = stock_level_from_shipbob(totals, locations=by_center, lots=by_lot, product_id=7)
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..stock import (
    LocationStock,
    LotStock,
    OpenLocationStock,
    StockLevel,
    checked_quantity,
    location_stock,
    lot_stock,
    stock_level,
)

if TYPE_CHECKING:
    # Annotations only: the mappers read attributes, so importing them does not import the generated package.
    from shipbob_client.models.fulfillment_center_response import FulfillmentCenterResponse
    from shipbob_client.models.inventory_quantity_fc_response import InventoryQuantityFcResponse
    from shipbob_client.models.inventory_quantity_lot_response import InventoryQuantityLotResponse
    from shipbob_client.models.inventory_quantity_response import InventoryQuantityResponse
    from shipbob_client.types import Unset

__all__ = ["stock_level_from_shipbob", "stock_levels_from_shipbob"]

_T = TypeVar("_T")
# The fast path takes counts in 0 .. _FAST_MAX. Five non-negative ints are all in that range exactly when their
# bitwise or is: one test instead of five, on ints CPython compares on its specialized path (one internal digit;
# the int32 bounds take two). Any other count (a negative one, as in an oversell, or one up to int32) takes the
# checked path (``checked_quantity``), which keeps it up to ``facade.stock.MAX_QUANTITY``: only the cost differs.
_FAST_MAX = 2**30 - 1
_NO_SHARES: Mapping[str, tuple[LotStock, ...]] = MappingProxyType({})


class _Counted(Protocol):
    # A lot, a center (FulfillmentCenterResponse) or a lot's share of a center
    # (FulfillableQuantityByFulfillmentCenter): the counts ShipBob gives each of them.
    @property
    def fulfillable_quantity(self) -> object: ...
    @property
    def on_hand_quantity(self) -> object: ...
    @property
    def committed_quantity(self) -> object: ...
    @property
    def awaiting_quantity(self) -> object: ...
    @property
    def internal_transfer_quantity(self) -> object: ...


def stock_level_from_shipbob(
    totals: InventoryQuantityResponse,
    *,
    locations: InventoryQuantityFcResponse | None = None,
    lots: InventoryQuantityLotResponse | None = None,
    product_id: int | str | None = None,
) -> StockLevel:
    """Map one inventory item: its totals, plus its per-center and per-lot views when given.

    Example::

        level = stock_level_from_shipbob(totals, locations=by_center, lots=by_lot, product_id=7)
    """
    return _level(totals, locations, lots, product_id, {})


def _level(
    totals: InventoryQuantityResponse,
    locations: InventoryQuantityFcResponse | None,
    lots: InventoryQuantityLotResponse | None,
    product_id: int | str | None,
    center_ids: dict[int, str],
) -> StockLevel:
    raw_id = totals.inventory_id
    item_id = str(raw_id) if type(raw_id) is int else _text(raw_id)
    sku = _text(totals.sku)
    listed_lots = lots.lots if lots is not None else None
    if type(listed_lots) is list and listed_lots:
        lot_stocks, shares_by_center = _lot_views(listed_lots, item_id, sku)
    else:  # most items are not lot-tracked: no call, no new dict
        lot_stocks, shares_by_center = (), _NO_SHARES
    listed = locations.locations if locations is not None else None
    centers = _centers(listed, shares_by_center, item_id, sku, center_ids) if type(listed) is list and listed else ()
    fast = _fast_counts(
        totals.total_fulfillable_quantity,
        totals.total_on_hand_quantity,
        totals.total_committed_quantity,
        totals.total_awaiting_quantity,
        totals.total_internal_transfer_quantity,
    )
    if fast is None:
        where = _where(item_id, sku)
        fast = (
            checked_quantity(totals.total_fulfillable_quantity, "total_fulfillable_quantity", where),
            checked_quantity(totals.total_on_hand_quantity, "total_on_hand_quantity", where),
            checked_quantity(totals.total_committed_quantity, "total_committed_quantity", where),
            _incoming(totals.total_awaiting_quantity, totals.total_internal_transfer_quantity, where, "total_"),
        )
    name = totals.name
    return stock_level(
        "shipbob",
        None if product_id is None else str(product_id),
        item_id,
        totals,
        sku,
        name if type(name) is str else _text(name),
        fast[0],
        fast[1],
        fast[2],
        fast[3],
        centers,
        lot_stocks,
        None,
    )


def _centers(
    listed: list[FulfillmentCenterResponse],
    shares_by_center: Mapping[str, tuple[LotStock, ...]],
    item_id: str | None,
    sku: str | None,
    center_ids: dict[int, str],
) -> tuple[LocationStock, ...]:
    """One item's per-center stock, each center with its lots (``shares_by_center``, from ``_lot_views``).
    ``center_ids`` holds the text of each center id already seen in this batch: one ``str`` per center, reused.

    The hottest loop of a listing (a value per center per item), so it inlines two calls: the test of
    ``_fast_counts`` and the builder ``location_stock`` (``OpenLocationStock``, then ``__class__``: see
    ``facade.stock``). Anything unusual takes the checked path, which decides and names the field."""
    built = []
    for center in listed:
        raw_id = center.location_id
        if type(raw_id) is int:
            center_id = center_ids.get(raw_id)
            if center_id is None:
                center_id = center_ids[raw_id] = str(raw_id)
        else:
            center_id = _text(raw_id)
        name = center.name
        if type(name) is not str:
            name = _text(name)
        available: object = center.fulfillable_quantity
        on_hand: object = center.on_hand_quantity
        committed: object = center.committed_quantity
        awaiting, moving = center.awaiting_quantity, center.internal_transfer_quantity
        if (
            type(available) is int
            and type(on_hand) is int
            and type(committed) is int
            and type(awaiting) is int
            and type(moving) is int
            and 0 <= available | on_hand | committed | awaiting | moving <= _FAST_MAX
        ):
            incoming: int | None = awaiting + moving
        else:
            where = f"{_where(item_id, sku)}, fulfillment center {center_id}"
            available, on_hand, committed, incoming = _checked_counts(center, where)
        made = OpenLocationStock()
        made.id = center_id
        made.name = name
        made.available = available
        made.on_hand = on_hand
        made.committed = committed
        made.incoming = incoming
        made.lots = shares_by_center.get(center_id, ()) if shares_by_center and center_id is not None else ()
        made.__class__ = LocationStock
        built.append(made)
    return tuple(built)


def _lot_views(
    listed: list[Any], item_id: str | None, sku: str | None
) -> tuple[tuple[LotStock, ...], Mapping[str, tuple[LotStock, ...]]]:
    """The lot-first view (each lot with its split by center) and, per center id, that center's lots."""
    lot_stocks: list[LotStock] = []
    shares_by_center: dict[str, list[LotStock]] = {}
    for lot in listed:
        number = _text(lot.lot_number)
        expires_at = lot.lot_date if isinstance(lot.lot_date, datetime.datetime) else None
        places = []
        for share in _listed(lot.locations):
            center_id = _text(share.location_id)
            a, o, c, i = _place_counts(share) or _checked_counts(share, _lot_where(item_id, sku, number))
            places.append(location_stock(center_id, _text(share.name), a, o, c, i, ()))
            if center_id is not None:
                shares_by_center.setdefault(center_id, []).append(lot_stock(number, expires_at, a, o, c, i, ()))
        a, o, c, i = _place_counts(lot) or _checked_counts(lot, _lot_where(item_id, sku, number))
        lot_stocks.append(lot_stock(number, expires_at, a, o, c, i, tuple(places)))
    return tuple(lot_stocks), {center: tuple(shares) for center, shares in shares_by_center.items()}


def _lot_where(item_id: str | None, sku: str | None, number: str | None) -> str:
    return f"{_where(item_id, sku)}, lot {number!r}"


def stock_levels_from_shipbob(
    totals: Iterable[InventoryQuantityResponse],
    *,
    locations: Mapping[int, InventoryQuantityFcResponse],
    lots: Mapping[int, InventoryQuantityLotResponse],
    product_ids: Mapping[int, int | str] | None = None,
) -> list[StockLevel]:
    """Join the three views by inventory id and map each item, in the order of ``totals``.

    Example::

        levels = stock_levels_from_shipbob(page, locations={11: fc}, lots={}, product_ids={11: 7})
    """
    return _joined(totals, locations.get, lots.get, product_ids or {})


def stock_levels_taking_views(
    totals: Sequence[InventoryQuantityResponse],
    locations: dict[int, InventoryQuantityFcResponse],
    lots: dict[int, InventoryQuantityLotResponse],
    product_ids: Mapping[int, int | str],
) -> list[StockLevel]:
    """``stock_levels_from_shipbob`` for a caller that owns the two indexes: it takes each item's views out of them
    as it maps the item, so a batch's view models are freed one item at a time instead of all at its end (less
    memory, and less work for the garbage collector while the values are built). A batch that lists an item twice
    keeps its views, so both get them.

    Example::

        levels = stock_levels_taking_views(batch, index_views(by_center), index_views(by_lot), {})
    """
    if len({item.inventory_id for item in totals}) < len(totals):
        return _joined(totals, locations.get, lots.get, product_ids)
    return _joined(totals, locations.pop, lots.pop, product_ids)


def _joined(
    totals: Iterable[InventoryQuantityResponse],
    location_of: Callable[[int, None], InventoryQuantityFcResponse | None],
    lots_of: Callable[[int, None], InventoryQuantityLotResponse | None],
    product_ids: Mapping[int, int | str],
) -> list[StockLevel]:
    levels = []
    center_ids: dict[int, str] = {}
    for item in totals:
        key = item.inventory_id
        if type(key) is int:
            levels.append(_level(item, location_of(key, None), lots_of(key, None), product_ids.get(key), center_ids))
        else:  # no id: nothing to join
            levels.append(_level(item, None, None, None, center_ids))
    return levels


_Counts = tuple[int | None, int | None, int | None, int | None]  # available, on_hand, committed, incoming


def _fast_counts(
    available: object, on_hand: object, committed: object, awaiting: object, moving: object
) -> _Counts | None:
    """The four counts when all five values are ints within the fast range (the common case), else None: then the
    checked path (``_checked_counts``, ``checked_quantity``) decides, and names the field, in the usual order."""
    if (
        type(available) is int
        and type(on_hand) is int
        and type(committed) is int
        and type(awaiting) is int
        and type(moving) is int
        and 0 <= available | on_hand | committed | awaiting | moving <= _FAST_MAX
    ):
        return available, on_hand, committed, awaiting + moving
    return None


def _place_counts(place: _Counted) -> _Counts | None:
    """A place's four counts on the fast path (``_fast_counts``), else None: then ``_checked_counts`` decides."""
    return _fast_counts(
        place.fulfillable_quantity,
        place.on_hand_quantity,
        place.committed_quantity,
        place.awaiting_quantity,
        place.internal_transfer_quantity,
    )


def _checked_counts(place: _Counted, where: str) -> _Counts:
    """A place's four counts, checked one by one: a count beyond int32 is a ``ResponseValidationError`` naming
    ``where`` and the field (``checked_quantity``)."""
    return (
        checked_quantity(place.fulfillable_quantity, "fulfillable_quantity", where),
        checked_quantity(place.on_hand_quantity, "on_hand_quantity", where),
        checked_quantity(place.committed_quantity, "committed_quantity", where),
        _incoming(place.awaiting_quantity, place.internal_transfer_quantity, where),
    )


def _where(item_id: str | None, sku: str | None) -> str:
    return f"ShipBob inventory item {item_id} (SKU {sku!r})"


def _listed(value: list[_T] | Unset | None) -> list[_T]:
    # The generated models mark absent fields with an `Unset` sentinel; an absent list is an empty breakdown.
    return value if isinstance(value, list) else []


def _text(value: object) -> str | None:
    if type(value) is str:  # the common cases first
        return value
    if type(value) is int:
        return str(value)
    return None if isinstance(value, bool) or not isinstance(value, str | int) else str(value)


def _incoming(awaiting: object, in_transfer: object, where: str, prefix: str = "") -> int | None:
    first = checked_quantity(awaiting, f"{prefix}awaiting_quantity", where)
    second = checked_quantity(in_transfer, f"{prefix}internal_transfer_quantity", where)
    if first is None:
        return second
    return first if second is None else first + second
