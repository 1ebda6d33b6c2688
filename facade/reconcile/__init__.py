"""Stock reconciliation by SKU across Fourthwall and ShipBob: does what Fourthwall offers match what ShipBob
can ship? Read-only: it never writes to either vendor.

- `reconcile(fw, sb, *, mapping=None, buffer=0)` / `await areconcile(...)`: read the three listings (Fourthwall
  stock, ShipBob stock and catalog) and return a frozen `Reconciliation`, one `Row` per SKU with a `Status`;
  every row key is unique (`Row.key`), and `report.row(sku, side=None)` finds the one row a SKU names.
- `reconcile_levels(...)`: the same over lists you already have (no HTTP).
- `load_mapping`, `normalize_sku`: SKU matching (surrounding whitespace stripped, case folded) and its overrides.
- `write_jsonl`, `write_csv`, `summary_record`: the report as data with stable columns.

Example::

    from facade import Fourthwall, ShipBob
    from facade.reconcile import Status, reconcile

    with Fourthwall.from_env() as fw, ShipBob.from_env() as sb:
        report = reconcile(fw, sb, buffer=2)
    for row in report.problems():
        print(row.key, row.status.value, row.difference)
"""

from ._mapping import MappingLike, load_mapping, normalize_sku
from ._match import reconcile_levels
from ._model import SHIPBOB_KEY_PREFIX, AmbiguousRowError, Reconciliation, Row, Side, Status, UnresolvedMapping
from ._run import LISTINGS, Progress, areconcile, reconcile
from ._serialize import CSV_COLUMNS, csv_cells, row_record, summary_record, write_csv, write_jsonl
from ._text import spreadsheet_safe, terminal_safe

__all__ = [
    "CSV_COLUMNS",
    "LISTINGS",
    "SHIPBOB_KEY_PREFIX",
    "AmbiguousRowError",
    "MappingLike",
    "Progress",
    "Reconciliation",
    "Row",
    "Side",
    "Status",
    "UnresolvedMapping",
    "areconcile",
    "csv_cells",
    "load_mapping",
    "normalize_sku",
    "reconcile",
    "reconcile_levels",
    "row_record",
    "spreadsheet_safe",
    "summary_record",
    "terminal_safe",
    "write_csv",
    "write_jsonl",
]
