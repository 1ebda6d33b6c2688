"""One stock model for every vendor: `StockLevel`, with per-location (`LocationStock`) and per-lot (`LotStock`) parts.

A `StockLevel` is one stockable item (a Fourthwall variant, a ShipBob inventory item) of one product. Quantities a
vendor does not report are `None`, never an invented `0`, so `None` means "unknown" and `0` means "none in stock".

The breakdowns are disjoint views of the same stock, so sums never double count:

- `locations`: one entry per fulfillment center (the item's totals split by place), each with the lots stored
  there (`LocationStock.lots`: that place's stock split by lot);
- `lots`: one entry per lot (the same totals split by lot), each with its own per-location split.

Fourthwall can sell a variant without limit (`UNLIMITED` stock): that is not a number, so `available` is then the
`UNLIMITED` marker, never 0 or a huge integer; `level.unlimited` says so, and code that adds quantities must handle
it (mypy makes it).

So per-location and per-lot stock are both reachable from `locations` (place first, then lot) and from `lots`
(lot first, then place); within each view the parts add up to their whole.

Implausible quantities (decided for issue 18): a negative count is passed through unchanged, because vendors do
report them (ShipBob's fulfillable quantity goes below zero when orders commit more than is on hand: an oversell
that reconciliation must see, not hide); a count outside the vendors' declared 32-bit range
(`-MAX_QUANTITY - 1 .. MAX_QUANTITY`) cannot be real stock, so the mappers reject it with a `ResponseValidationError`
naming the item, its SKU and the field, and `inventory_many` reports that product as failed while keeping the others.

Example::

    level = StockLevel(provider="fourthwall", product_id="p1", item_id="v1", available=3, raw=stock)
    in_stock = (level.available or 0) > 0
"""

from __future__ import annotations

import datetime
import enum
from typing import Any, Final, Literal, TypeAlias

import attrs

from .errors import ResponseValidationError

__all__ = [
    "MAX_QUANTITY",
    "UNLIMITED",
    "LocationStock",
    "LotStock",
    "Provider",
    "Quantity",
    "StockLevel",
    "Unlimited",
    "checked_quantity",
]

MAX_QUANTITY: Final = 2**31 - 1
"""The largest count a vendor can send: both specs declare quantities as 32-bit integers (``format: int32``)."""

Provider: TypeAlias = Literal["fourthwall", "shipbob"]
"""The vendor a `StockLevel` came from."""


class Unlimited(enum.Enum):
    """Stock without a limit (Fourthwall `UNLIMITED`, e.g. print on demand): not a number, so never `0` or `inf`.

    Example::

        if level.available is UNLIMITED:
            print("always in stock")
    """

    UNLIMITED = "unlimited"

    def __repr__(self) -> str:
        return "UNLIMITED"


UNLIMITED: Final = Unlimited.UNLIMITED

Quantity: TypeAlias = int | Unlimited
"""A sellable quantity: a count, or `UNLIMITED`."""


@attrs.frozen(kw_only=True, weakref_slot=False)
class LocationStock:
    """Stock of one item at one place (a ShipBob fulfillment center).

    `incoming` is stock on its way to this place and not yet on hand: for ShipBob, quantity awaiting a receiving
    order plus quantity in internal transfer towards this fulfillment center. `lots` splits this place's stock
    by lot (entries carry no `locations` of their own: they are all at this place).

    Example::

        LocationStock(id="10", name="Cicero (IL)", available=7, on_hand=9, committed=2, incoming=0)
    """

    id: str | None
    name: str | None = None
    available: int | None = None
    on_hand: int | None = None
    committed: int | None = None
    incoming: int | None = None
    lots: tuple[LotStock, ...] = ()


@attrs.frozen(kw_only=True, weakref_slot=False)
class LotStock:
    """Stock of one item in one lot (a batch with a number and, often, an expiry date), split by location.

    Example::

        LotStock(lot_number="L-42", expires_at=datetime.datetime(2027, 1, 31), available=5, locations=())
    """

    lot_number: str | None
    expires_at: datetime.datetime | None = None
    available: int | None = None
    on_hand: int | None = None
    committed: int | None = None
    incoming: int | None = None
    locations: tuple[LocationStock, ...] = ()


@attrs.frozen(kw_only=True, weakref_slot=False)
class StockLevel:
    """Stock of one item of one product at one vendor, normalized.

    - `sku`: the vendor's SKU for the item (Fourthwall variant SKU, ShipBob inventory item SKU), as the vendor
      wrote it; `None` where the vendor has none.
    - `available`: can be sold/fulfilled now (Fourthwall `quantity` / `inStock`, or `UNLIMITED`; ShipBob
      fulfillable quantity).
    - `on_hand`, `committed`, `incoming`: physical, reserved for orders, on its way; `None` where not reported.
    - Negative counts are the vendor's and kept (an oversell signal); counts beyond `MAX_QUANTITY` are rejected
      with a `ResponseValidationError` (see the module docstring).
    - `locations` / `lots`: empty when the vendor gives no such breakdown (Fourthwall gives neither).
    - `raw`: the generated model, for anything not normalized. It takes no part in `==` and `repr`.

    Example::

        level = StockLevel(provider="shipbob", product_id="7", item_id="11", name="Mug", available=4, raw=item)
        by_place = {loc.name: loc.available for loc in level.locations}
    """

    provider: Provider
    product_id: str | None
    item_id: str | None
    raw: Any = attrs.field(eq=False, repr=False)
    sku: str | None = None
    name: str | None = None
    available: Quantity | None = None
    on_hand: int | None = None
    committed: int | None = None
    incoming: int | None = None
    locations: tuple[LocationStock, ...] = ()
    lots: tuple[LotStock, ...] = ()
    updated_at: datetime.datetime | None = None

    @property
    def unlimited(self) -> bool:
        """True when the vendor sells this item without a stock limit (`available` is `UNLIMITED`)."""
        return self.available is UNLIMITED


# -- cheap construction for the mappers ------------------------------------------------------------------------
# attrs' frozen ``__init__`` writes each field through ``object.__setattr__`` (about 1 us for a ``LocationStock``).
# The mappers build several values per listed item (thousands per listing: ``nox -s bench``, "calls" rows), so
# they use the three builders below: each fills a plain twin of the class (same slots, in the same order, and no
# frozen ``__setattr__``: plain attribute stores), then turns it into the frozen class by assigning ``__class__``,
# which Python allows between classes of one slot layout (the classes have no ``__weakref__`` slot for that
# reason). The result is the same instance as ``__init__`` makes, in about a third of the time. None of these
# fields has a factory, validator or converter, and the builders take every field in the classes' order:
# ``tests/vendors/test_stock_model.py`` checks both, the layouts and the equality; everything else uses
# ``__init__``. The one loop hotter than a call per value, ShipBob's per-center one (``shipbob._stock._centers``,
# a value per center per item), does what ``location_stock`` does in place, with ``OpenLocationStock``.


def _twin(cls: type) -> Any:
    return type(f"Open{cls.__name__}", (), {"__slots__": tuple(field.name for field in attrs.fields(cls))})


OpenLocationStock: Any = _twin(LocationStock)
"""``LocationStock``'s plain twin: fill every field, then assign ``__class__ = LocationStock`` (see above)."""
_OPEN_LOT, _OPEN_LEVEL = _twin(LotStock), _twin(StockLevel)


def location_stock(  # noqa: PLR0917 (positional: every field, in order, for the mappers' hot loop)
    id: str | None,
    name: str | None,
    available: int | None,
    on_hand: int | None,
    committed: int | None,
    incoming: int | None,
    lots: tuple[LotStock, ...],
    /,
) -> LocationStock:
    """``LocationStock(id=..., ...)`` with every field given, in field order, built cheaply (see above)."""
    made = OpenLocationStock()
    made.id = id
    made.name = name
    made.available = available
    made.on_hand = on_hand
    made.committed = committed
    made.incoming = incoming
    made.lots = lots
    made.__class__ = LocationStock
    return made  # type: ignore[no-any-return]


def lot_stock(  # noqa: PLR0917 (positional: every field, in order, for the mappers' hot loop)
    lot_number: str | None,
    expires_at: datetime.datetime | None,
    available: int | None,
    on_hand: int | None,
    committed: int | None,
    incoming: int | None,
    locations: tuple[LocationStock, ...],
    /,
) -> LotStock:
    """``LotStock(lot_number=..., ...)`` with every field given, in field order, built cheaply (see above)."""
    made = _OPEN_LOT()
    made.lot_number = lot_number
    made.expires_at = expires_at
    made.available = available
    made.on_hand = on_hand
    made.committed = committed
    made.incoming = incoming
    made.locations = locations
    made.__class__ = LotStock
    return made  # type: ignore[no-any-return]


def stock_level(  # noqa: PLR0917 (positional: every field, in order, for the mappers' hot loop)
    provider: Provider,
    product_id: str | None,
    item_id: str | None,
    raw: Any,
    sku: str | None,
    name: str | None,
    available: Quantity | None,
    on_hand: int | None,
    committed: int | None,
    incoming: int | None,
    locations: tuple[LocationStock, ...],
    lots: tuple[LotStock, ...],
    updated_at: datetime.datetime | None,
    /,
) -> StockLevel:
    """``StockLevel(provider=..., ...)`` with every field given, in field order, built cheaply (see above)."""
    made = _OPEN_LEVEL()
    made.provider = provider
    made.product_id = product_id
    made.item_id = item_id
    made.raw = raw
    made.sku = sku
    made.name = name
    made.available = available
    made.on_hand = on_hand
    made.committed = committed
    made.incoming = incoming
    made.locations = locations
    made.lots = lots
    made.updated_at = updated_at
    made.__class__ = StockLevel
    return made  # type: ignore[no-any-return]


def checked_quantity(value: object, field: str, where: str) -> int | None:
    """A vendor count as an ``int`` (negatives kept), ``None`` when absent, or a ``ResponseValidationError``
    naming ``where`` (the item and its SKU) and ``field`` when it is beyond ``MAX_QUANTITY``.

    Example::

        checked_quantity(-2, "fulfillable_quantity", "ShipBob item 11 (SKU 'MUG')")  # -2
    """
    # Exactly int: `bool` is an `int` subclass but never a quantity (the call path rejects it earlier).
    if type(value) is not int:
        return None
    if not -MAX_QUANTITY - 1 <= value <= MAX_QUANTITY:
        reason = f"{where}: {field}={value} is beyond any real stock (outside the int32 range)"
        raise ResponseValidationError(f"Response does not match the spec: {reason}", reason=reason)
    return value
