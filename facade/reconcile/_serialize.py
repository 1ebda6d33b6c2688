"""The report as data: JSON lines and CSV with stable columns, and a summary of counts per status.

- JSON lines (`write_jsonl`): one object per row (`row_record`), both sides in full (every level, every
  fulfillment center); quantities are numbers, `"unlimited"` or `null` (unknown), never a made-up 0. Written with
  `ensure_ascii`, so no raw control character from a vendor reaches the output.
- CSV (`write_csv`): the columns of `CSV_COLUMNS`, in that order, always; a side with several levels (a duplicate)
  joins its values with `" | "`; `shipbob_locations` is `"center: fulfillable; ..."`. Vendor text is neutralized
  (`terminal_safe`, then `spreadsheet_safe`).
- `summary_record`: rows, counts per status (every status, zeros included), in sync or not, unresolved mappings.

Example::

    write_csv(report, sys.stdout)
    print(summary_record(report)["counts"])
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Final, TextIO

from ..stock import UNLIMITED, LocationStock, LotStock, Quantity, StockLevel
from ._model import Reconciliation, Row
from ._text import spreadsheet_safe, terminal_safe

__all__ = [
    "CSV_COLUMNS",
    "csv_cells",
    "location_record",
    "locations_text",
    "quantities_record",
    "quantity_value",
    "row_record",
    "summary_record",
    "write_csv",
    "write_jsonl",
]

CSV_COLUMNS: Final = (
    "key",
    "status",
    "difference",
    "target",
    "fourthwall_quantity",
    "shipbob_fulfillable",
    "fourthwall_product",
    "fourthwall_variant",
    "fourthwall_sku",
    "fourthwall_name",
    "shipbob_inventory_id",
    "shipbob_sku",
    "shipbob_name",
    "shipbob_on_hand",
    "shipbob_committed",
    "shipbob_incoming",
    "shipbob_locations",
    "mapped_to",
)
# Columns we compute (numbers, statuses): never vendor text, so a negative difference keeps its sign.
_OURS: Final = frozenset(
    {
        "status",
        "difference",
        "target",
        "fourthwall_quantity",
        "shipbob_fulfillable",
        "shipbob_on_hand",
        "shipbob_committed",
        "shipbob_incoming",
    }
)
_JOIN: Final = " | "


def quantity_value(quantity: Quantity | None) -> int | str | None:
    """A quantity as JSON: the count, `"unlimited"`, or `None` (unknown)."""
    return "unlimited" if quantity is UNLIMITED else quantity


def quantities_record(counted: LocationStock | LotStock | StockLevel, *, available: str) -> dict[str, object]:
    """The four quantities as JSON, the available one under the key ``available`` (the report says
    ``"fulfillable"``, the CLI's stock levels ``"available"``)."""
    return {
        available: quantity_value(counted.available),
        "on_hand": counted.on_hand,
        "committed": counted.committed,
        "incoming": counted.incoming,
    }


def location_record(location: LocationStock, *, available: str) -> dict[str, object]:
    """One location: its id and name, then its quantities (``quantities_record``)."""
    return {"id": location.id, "name": location.name, **quantities_record(location, available=available)}


def _fourthwall(level: StockLevel) -> dict[str, object]:
    return {
        "product_id": level.product_id,
        "variant_id": level.item_id,
        "sku": level.sku,
        "name": level.name,
        "quantity": quantity_value(level.available),
    }


def _shipbob(level: StockLevel) -> dict[str, object]:
    return {
        "inventory_id": level.item_id,
        "sku": level.sku,
        "name": level.name,
        **quantities_record(level, available="fulfillable"),
        "locations": [location_record(location, available="fulfillable") for location in level.locations],
    }


def row_record(row: Row) -> dict[str, object]:
    """One row as JSON-ready data (keys always present, in a fixed order).

    Example::

        json.dumps(row_record(report.rows[0]))
    """
    return {
        "key": row.key,
        "status": row.status.value,
        "ok": row.ok,
        "difference": row.difference,
        "target": row.target,
        "fourthwall_quantity": quantity_value(row.fourthwall_quantity),
        "shipbob_fulfillable": row.shipbob_fulfillable,
        "mapped_to": row.mapped_to,
        "fourthwall": [_fourthwall(level) for level in row.fourthwall],
        "shipbob": [_shipbob(level) for level in row.shipbob],
        "components": [[ref, quantity] for ref, quantity in row.components],
    }


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _joined(levels: Iterable[StockLevel], pick: str) -> str:
    return _JOIN.join(_text(quantity_value(getattr(level, pick))) for level in levels)


def locations_text(level: StockLevel) -> str:
    """The per-location available quantities in one short string, `"name: available"` joined by `"; "`.

    Example::

        locations_text(level)  # 'Cicero (IL): 7; Moreno Valley (CA): 0'
    """
    return "; ".join(f"{loc.name or loc.id or '?'}: {_text(loc.available)}" for loc in level.locations)


def csv_cells(row: Row) -> dict[str, str]:
    """One row as raw text cells, keyed by `CSV_COLUMNS` (not yet neutralized: `write_csv` and the CLI table do
    that for their medium)."""
    fw, sb = row.fourthwall, row.shipbob
    return {
        "key": _text(row.key),
        "status": row.status.value,
        "difference": _text(row.difference),
        "target": _text(row.target),
        "fourthwall_quantity": _text(quantity_value(row.fourthwall_quantity)),
        "shipbob_fulfillable": _text(row.shipbob_fulfillable),
        "fourthwall_product": _joined(fw, "product_id"),
        "fourthwall_variant": _joined(fw, "item_id"),
        "fourthwall_sku": _joined(fw, "sku"),
        "fourthwall_name": _joined(fw, "name"),
        "shipbob_inventory_id": _joined(sb, "item_id"),
        "shipbob_sku": _joined(sb, "sku"),
        "shipbob_name": _joined(sb, "name"),
        "shipbob_on_hand": _joined(sb, "on_hand"),
        "shipbob_committed": _joined(sb, "committed"),
        "shipbob_incoming": _joined(sb, "incoming"),
        "shipbob_locations": _JOIN.join(locations_text(level) for level in sb),
        "mapped_to": _text(row.mapped_to),
    }


def write_jsonl(rows: Iterable[Row], stream: TextIO) -> None:
    """One JSON object per row, one per line."""
    for row in rows:
        stream.write(json.dumps(row_record(row), ensure_ascii=True) + "\n")


def write_csv(rows: Iterable[Row], stream: TextIO) -> None:
    """A header of `CSV_COLUMNS`, then one line per row; vendor text neutralized for terminals and spreadsheets."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = csv_cells(row)
        writer.writerow(
            cells[name] if name in _OURS else spreadsheet_safe(terminal_safe(cells[name])) for name in CSV_COLUMNS
        )


def summary_record(report: Reconciliation) -> dict[str, object]:
    """Counts per status (every status, in `Status` order), rows, problems, and the unresolved mapping entries."""
    return {
        "rows": len(report.rows),
        "problems": len(report.problems()),
        "in_sync": report.in_sync,
        "buffer": report.buffer,
        "counts": {status.value: count for status, count in report.counts().items()},
        "unresolved_mappings": [
            {"fourthwall_sku": entry.fourthwall_sku, "target": entry.target, "reason": entry.reason}
            for entry in report.unresolved_mappings
        ],
    }
