"""Write normalized stock levels for the CLI: a table for people, JSON lines or CSV for programs.

Every format shows the same columns, in the same order (`COLUMNS`); a quantity a vendor does not report stays
empty (`null` in JSON), never a made-up `0`; unlimited stock is `unlimited`. JSON lines also carry the
per-location and per-lot breakdowns in full.

Vendor-supplied text is neutralized (issue 18): in the table, control and bidi-override characters are shown as
visible escapes and never read as rich markup; in CSV, the same, and cells a spreadsheet would evaluate
(`=`, `+`, `-`, `@`, tab, CR first) get a leading `'`; JSON lines are written with `ensure_ascii`.

Example::

    write_levels(levels, "csv", sys.stdout)
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Iterable, Sequence
from typing import Final, Literal, TextIO, TypeAlias

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..reconcile import spreadsheet_safe, terminal_safe
from ..reconcile._serialize import location_record, locations_text, quantities_record
from ..stock import LotStock, StockLevel

__all__ = [
    "COLUMNS",
    "FORMATS",
    "PIPED_TABLE_WIDTH",
    "OutputFormat",
    "csv_cell",
    "level_record",
    "locations_text",
    "table_cell",
    "write_levels",
]

OutputFormat: TypeAlias = Literal["table", "jsonl", "csv"]
FORMATS: Final[tuple[OutputFormat, ...]] = ("table", "jsonl", "csv")

# (record key, table header). The table uses words, the machine formats use the keys.
COLUMNS: Final = (
    ("provider", "provider"),
    ("product_id", "product"),
    ("item_id", "item"),
    ("sku", "sku"),
    ("name", "name"),
    ("available", "available"),
    ("on_hand", "on hand"),
    ("committed", "committed"),
    ("incoming", "incoming"),
    ("locations", "locations"),
)
_NUMERIC: Final = frozenset({"available", "on_hand", "committed", "incoming"})

# A piped table is read in a pager or a file, not wrapped at 80 columns: let it take its natural width.
PIPED_TABLE_WIDTH: Final = 1000


def table_cell(text: str) -> Text:
    """A table cell from vendor text: control characters escaped, never parsed as rich markup."""
    return Text(terminal_safe(text))


def csv_cell(text: str) -> str:
    """A CSV cell from vendor text: control characters escaped, formulas defused with a leading `'`."""
    return spreadsheet_safe(terminal_safe(text))


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _lot_record(lot: LotStock) -> dict[str, object]:
    return {
        "lot_number": lot.lot_number,
        "expires_at": _iso(lot.expires_at),
        **quantities_record(lot, available="available"),
        "locations": [location_record(location, available="available") for location in lot.locations],
    }


def level_record(level: StockLevel) -> dict[str, object]:
    """One `StockLevel` as plain JSON-ready data (field by field; `raw` is left out, it is vendor wire data).

    Example::

        json.dumps(level_record(level))
    """
    return {
        "provider": level.provider,
        "product_id": level.product_id,
        "item_id": level.item_id,
        "sku": level.sku,
        "name": level.name,
        **quantities_record(level, available="available"),
        "updated_at": _iso(level.updated_at),
        "locations": [location_record(location, available="available") for location in level.locations],
        "lots": [_lot_record(lot) for lot in level.lots],
    }


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _flat_row(level: StockLevel) -> list[str]:
    record = level_record(level)
    return [locations_text(level) if key == "locations" else _cell(record[key]) for key, _ in COLUMNS]


def _write_table(levels: Sequence[StockLevel], stream: TextIO, *, title: str | None) -> None:
    console = Console(file=stream, width=None if stream.isatty() else PIPED_TABLE_WIDTH)
    table = Table(title=title)
    for key, header in COLUMNS:
        table.add_column(header, justify="right" if key in _NUMERIC else "left", overflow="fold")
    for level in levels:
        # One location per line inside the cell keeps wide ShipBob breakdowns readable.
        row = _flat_row(level)
        cells = [table_cell(text) for text in row[:-1]]
        cells.append(Text("\n").join(table_cell(part) for part in locations_text(level).split("; ")))
        table.add_row(*cells)
    console.print(table)


def _write_jsonl(levels: Iterable[StockLevel], stream: TextIO) -> None:
    for level in levels:
        stream.write(json.dumps(level_record(level), ensure_ascii=True) + "\n")


def _write_csv(levels: Iterable[StockLevel], stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow([key for key, _ in COLUMNS])
    for level in levels:
        writer.writerow(
            text if key in _NUMERIC else csv_cell(text)
            for (key, _), text in zip(COLUMNS, _flat_row(level), strict=True)
        )


def write_levels(
    levels: Sequence[StockLevel], output_format: OutputFormat, stream: TextIO, *, title: str | None = None
) -> None:
    """Write `levels` to `stream` as a table, JSON lines or CSV (`title` is shown above a table only).

    Example::

        write_levels(levels, "table", sys.stdout, title="Fourthwall")
    """
    if output_format == "table":
        _write_table(levels, stream, title=title)
    elif output_format == "jsonl":
        _write_jsonl(levels, stream)
    else:
        _write_csv(levels, stream)
