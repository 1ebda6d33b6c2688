"""Write a reconciliation for the CLI: a table for people, JSON lines or CSV (the library's stable formats).

The table shows one line per SKU and a summary of counts per status under it; vendor text goes through
`table_cell` (control characters escaped, never rich markup). JSON lines and CSV are `facade.reconcile`'s own
writers; their summary goes to stderr, so stdout stays one record per line.

Example::

    write_report(report.rows, report, "table", sys.stdout)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..reconcile import Reconciliation, Row, Status, csv_cells, write_csv, write_jsonl
from ._output import PIPED_TABLE_WIDTH, OutputFormat, table_cell

__all__ = ["TABLE_COLUMNS", "summary_line", "write_report"]

# (csv_cells key, table header)
TABLE_COLUMNS: Final = (
    ("key", "sku"),
    ("status", "status"),
    ("difference", "difference"),
    ("fourthwall_quantity", "fourthwall"),
    ("target", "target"),
    ("shipbob_fulfillable", "shipbob fulfillable"),
    ("shipbob_on_hand", "on hand"),
    ("shipbob_committed", "committed"),
    ("shipbob_incoming", "incoming"),
    ("shipbob_locations", "per center"),
    ("fourthwall_variant", "fourthwall variant"),
    ("shipbob_inventory_id", "shipbob item"),
    ("fourthwall_name", "name"),
)
_NUMERIC: Final = frozenset(
    {
        "difference",
        "fourthwall_quantity",
        "target",
        "shipbob_fulfillable",
        "shipbob_on_hand",
        "shipbob_committed",
        "shipbob_incoming",
    }
)
_STYLE: Final = {Status.IN_SYNC: "green", Status.OVERSELL: "red", Status.LOST_SALES: "yellow"}


def summary_line(report: Reconciliation, *, shown: int) -> str:
    """`"2000 SKUs: 1500 in_sync, 210 oversell, ...; 490 problems"` (statuses with no rows left out)."""
    counts = ", ".join(f"{count} {status.value}" for status, count in report.counts().items() if count)
    problems = len(report.problems())
    line = f"{len(report.rows)} SKUs: {counts or 'none'}; {problems} not in sync"
    if shown != len(report.rows):
        line += f" ({shown} shown)"
    return line


def _write_table(rows: Sequence[Row], report: Reconciliation, stream: TextIO) -> None:
    console = Console(file=stream, width=None if stream.isatty() else PIPED_TABLE_WIDTH)
    title = "Fourthwall vs ShipBob stock" + (f" (buffer {report.buffer})" if report.buffer else "")
    table = Table(title=title)
    for key, header in TABLE_COLUMNS:
        table.add_column(header, justify="right" if key in _NUMERIC else "left", overflow="fold")
    for row in rows:
        cells = csv_cells(row)
        # People read the SKU as the vendors wrote it; the normalized key is in the machine formats.
        cells["key"] = cells["fourthwall_sku"] or cells["shipbob_sku"]
        rendered = [table_cell(cells[key]) for key, _ in TABLE_COLUMNS]
        rendered[1] = Text(row.status.value, style=_STYLE.get(row.status, "magenta"))
        table.add_row(*rendered)
    console.print(table)
    console.print(Text(summary_line(report, shown=len(rows))))


def write_report(rows: Sequence[Row], report: Reconciliation, output_format: OutputFormat, stream: TextIO) -> None:
    """Write `rows` (all of `report`'s, or only its problems) as a table, JSON lines or CSV."""
    if output_format == "table":
        _write_table(rows, report, stream)
    elif output_format == "jsonl":
        write_jsonl(rows, stream)
    else:
        write_csv(rows, stream)
