"""The reconciliation report: one frozen `Row` per SKU with a `Status`, inside a frozen `Reconciliation`.

Example::

    report = reconcile(fw, sb, buffer=2)
    for row in report.problems():
        print(row.key, row.status, row.difference)
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Final, Literal, TypeAlias

import attrs

from ..errors import InvalidArgumentError
from ..stock import Quantity, StockLevel
from ._mapping import normalize_sku

__all__ = ["SHIPBOB_KEY_PREFIX", "AmbiguousRowError", "Reconciliation", "Row", "Side", "Status", "UnresolvedMapping"]

SHIPBOB_KEY_PREFIX: Final = "shipbob:"
"""Starts the key of a ShipBob-only row whose SKU is already the key of a row with a Fourthwall side."""

Side: TypeAlias = Literal["fourthwall", "shipbob"]
"""Which vendor's SKUs `Reconciliation.row(sku, side=...)` looks at."""


class Status(enum.StrEnum):
    """How one SKU compares between Fourthwall and ShipBob (a closed set; the value is what JSON and CSV show).

    Precedence, first that applies: `ONLY_SHIPBOB`, `UNRESOLVED_MAPPING` (a mapping entry sent the Fourthwall
    SKU to a ShipBob SKU or inventory id that does not exist; the row still shows the ShipBob item of the same
    SKU, if any, and compares nothing), `ONLY_FOURTHWALL`, then
    `DUPLICATE_SKU` (two items with that SKU on one side: no single quantity to compare), `BUNDLE` (the
    ShipBob item is a bundle; `difference` is computed against the stock its components make), `UNLIMITED`
    (Fourthwall sells without limit while ShipBob's stock is finite), `UNKNOWN_QUANTITY` (a side did not report
    a number), then by `difference`: `OVERSELL` (> 0), `LOST_SALES` (< 0), `IN_SYNC` (0).
    """

    IN_SYNC = "in_sync"
    OVERSELL = "oversell"  # Fourthwall offers more than ShipBob can ship (after the buffer)
    LOST_SALES = "lost_sales"  # Fourthwall offers less than ShipBob could ship (after the buffer)
    ONLY_FOURTHWALL = "only_fourthwall"
    ONLY_SHIPBOB = "only_shipbob"
    DUPLICATE_SKU = "duplicate_sku"
    UNLIMITED = "unlimited"
    BUNDLE = "bundle"
    UNRESOLVED_MAPPING = "unresolved_mapping"
    UNKNOWN_QUANTITY = "unknown_quantity"


@attrs.frozen(kw_only=True)
class UnresolvedMapping:
    """A mapping entry that points at nothing: `reason` is `"no_fourthwall_sku"` (no Fourthwall variant has
    the entry's SKU) or `"no_shipbob_item"` (no ShipBob SKU or inventory id matches its target).

    Example::

        UnresolvedMapping(fourthwall_sku="TEE-1", target="WH-9", reason="no_shipbob_item")
    """

    fourthwall_sku: str
    target: str
    reason: str


@attrs.frozen(kw_only=True)
class Row:
    """One SKU: both sides, its `status` and the `difference` after the safety buffer.

    - `key`: unique within a report, the SKU after normalization (`normalize_sku`). A row with a Fourthwall side
      is keyed by its Fourthwall SKU (for a mapped pair too; when several Fourthwall SKUs share one ShipBob item,
      by the first in Fourthwall's listing order: `Reconciliation.row` finds the row by any of them). A row of
      ShipBob items alone is keyed by their SKU, or by `"shipbob:"` + that SKU when a row with a Fourthwall side
      already has it (the mapping sent that Fourthwall SKU to another ShipBob item). `None` for an item that has
      no SKU at all (each such item has a row of its own, found through `rows`, not `row()`).
    - `fourthwall` / `shipbob`: the `StockLevel` s of each side (empty: absent; two or more: duplicated). Fourthwall:
      product, variant (`item_id`), SKU, `available` (a count or `UNLIMITED`). ShipBob: inventory item, SKU,
      fulfillable (`available`), `on_hand`, `committed`, `incoming`, `locations` (per fulfillment center).
    - `fourthwall_quantity`: what Fourthwall offers (count, `UNLIMITED`, or `None`); `shipbob_fulfillable`: what
      ShipBob can ship (for a bundle: derived from its components, per fulfillment center).
    - `target`: `max(shipbob_fulfillable - buffer, 0)`, what Fourthwall should offer; `difference`:
      `fourthwall_quantity - target` (positive: oversell risk; negative: lost sales); `None` when not comparable
      (one side absent, duplicated, unlimited, or unknown).
    - `mapped_to`: the mapping target that joined this row, when a mapping entry applied.
    - `components`: for a ShipBob bundle, its (component, quantity) pairs as the catalog gives them.

    Example::

        if row.status is Status.OVERSELL:
            print(f"{row.key}: Fourthwall offers {row.difference} more than ShipBob can ship")
    """

    key: str | None
    status: Status
    fourthwall: tuple[StockLevel, ...] = ()
    shipbob: tuple[StockLevel, ...] = ()
    fourthwall_quantity: Quantity | None = None
    shipbob_fulfillable: int | None = None
    target: int | None = None
    difference: int | None = None
    mapped_to: str | None = None
    components: tuple[tuple[str, int], ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing needs doing: in sync, or a bundle whose derived stock matches."""
        return self.status is Status.IN_SYNC or (self.status is Status.BUNDLE and self.difference == 0)


@attrs.frozen(kw_only=True)
class Reconciliation:
    """The whole report: `rows` (one per SKU, sorted by key), the `buffer` applied, the mapping entries that
    pointed at nothing, and `requests` (HTTP requests the listings took, when known).

    Example::

        report.counts()[Status.OVERSELL]
        report.in_sync  # False if any row is not ok or a mapping entry points at nothing
    """

    rows: tuple[Row, ...]
    buffer: int = 0
    unresolved_mappings: tuple[UnresolvedMapping, ...] = ()
    # `row()`'s lookup tables, one per `side`, built on first use (a report is frozen: they never go stale).
    _by_sku: dict[Side | None, dict[str, list[Row]]] = attrs.field(init=False, factory=dict, eq=False, repr=False)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def in_sync(self) -> bool:
        """True when every row is ok and every mapping entry resolved (the CLI's exit status 0)."""
        return not self.unresolved_mappings and all(row.ok for row in self.rows)

    def counts(self) -> dict[Status, int]:
        """Rows per status, every status present (zero when none), in `Status` order."""
        counts = dict.fromkeys(Status, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def problems(self) -> tuple[Row, ...]:
        """The rows that are not ok (what `--only-problems` prints)."""
        return tuple(row for row in self.rows if not row.ok)

    def row(self, sku: str, *, side: Side | None = None) -> Row:
        """The one row that `sku` (normalized first) names: the row with that key, or whose Fourthwall or ShipBob
        items carry that SKU (every Fourthwall SKU of a row, not only the one in its key; the ShipBob SKU of a
        mapped pair). `side="fourthwall"` or `"shipbob"` looks at that vendor's SKUs only.

        `KeyError` naming the SKU if no row matches; `AmbiguousRowError` (a `KeyError` too) naming the rows' keys
        when several do, e.g. a Fourthwall SKU mapped to another ShipBob item while a ShipBob item still carries
        it: pass `side=`, or the row's key.

        Example::

            report.row("TEE-1", side="fourthwall").status
        """
        if side not in (None, "fourthwall", "shipbob"):
            raise InvalidArgumentError(
                f"Reconciliation.row: side must be 'fourthwall', 'shipbob' or None, got {side!r}", ids={"side": side}
            )
        index = self._by_sku.get(side)
        if index is None:
            index = {}
            for row in self.rows:
                for known in _skus_of(row, side):
                    index.setdefault(known, []).append(row)
            self._by_sku[side] = index
        found = index.get(normalize_sku(sku), [])
        if not found:
            where = f" on the {side} side" if side else ""
            raise KeyError(f"no reconciliation row for SKU {sku!r}{where}")
        if len(found) > 1:
            raise AmbiguousRowError(sku, tuple(row.key for row in found))
        return found[0]


def _skus_of(row: Row, side: Side | None) -> set[str]:
    """The normalized SKUs a lookup on `side` (None: the key and both sides) finds `row` by."""
    levels = (
        row.fourthwall if side == "fourthwall" else row.shipbob if side == "shipbob" else row.fourthwall + row.shipbob
    )
    skus = {normalize_sku(level.sku) for level in levels if level.sku is not None}
    if side is None and row.key is not None:
        skus.add(row.key)
    return skus


class AmbiguousRowError(InvalidArgumentError, KeyError):
    """`Reconciliation.row(sku)` matched several rows; `keys` holds their keys (look one up by key, or narrow
    the lookup with `side=`).

    Example::

        try:
            report.row("FW-1")
        except AmbiguousRowError as error:
            print(error.keys)  # ('fw-1', 'shipbob:fw-1')
    """

    def __init__(self, sku: str, keys: tuple[str | None, ...]) -> None:
        super().__init__(
            f"SKU {sku!r} is on {len(keys)} reconciliation rows (keys {', '.join(map(repr, keys))}): "
            "pass side='fourthwall' or side='shipbob', or look the row up by its key",
            ids={"sku": sku},
        )
        self.keys = keys
