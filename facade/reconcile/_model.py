"""The reconciliation report: one frozen `Row` per SKU with a `Status`, inside a frozen `Reconciliation`.

Example::

    report = reconcile(fw, sb, buffer=2)
    for row in report.problems():
        print(row.key, row.status, row.difference)
"""

from __future__ import annotations

import enum
from collections.abc import Iterator

import attrs

from ..stock import Quantity, StockLevel

__all__ = ["Reconciliation", "Row", "Status", "UnresolvedMapping"]


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

    - `key`: the SKU after normalization (`normalize_sku`; the Fourthwall side's for a mapped pair), `None` for
      an item that has no SKU at all (it then has a row of its own).
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

    def row(self, sku: str) -> Row:
        """The row of `sku` (normalized first); `KeyError` naming the SKU if there is none."""
        from ._mapping import normalize_sku

        key = normalize_sku(sku)
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"no reconciliation row for SKU {sku!r}")
