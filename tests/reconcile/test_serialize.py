"""The report's output formats are fixed: the CSV columns, the JSON record's keys, the summary's counts."""

from __future__ import annotations

import csv
import io
import json
from typing import Literal

from facade import StockLevel
from facade.reconcile import (
    CSV_COLUMNS,
    Status,
    reconcile_levels,
    row_record,
    summary_record,
    write_csv,
    write_jsonl,
)


def _level(provider: Literal["fourthwall", "shipbob"], sku: str, available: int) -> StockLevel:
    return StockLevel(
        provider=provider, product_id="p", item_id=f"{provider}-{sku}", sku=sku, available=available, raw=None
    )


def test_csv_columns_are_exactly_these_in_this_order() -> None:
    assert CSV_COLUMNS == (
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
    report = reconcile_levels([_level("fourthwall", "A", 3)], [_level("shipbob", "A", 2)])
    out = io.StringIO()
    write_csv(report, out)
    (header, line) = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(header) == CSV_COLUMNS and line[:4] == ["a", "oversell", "1", "2"]


def test_json_record_keys_are_exactly_these_in_this_order() -> None:
    report = reconcile_levels([_level("fourthwall", "A", 3)], [_level("shipbob", "A", 2)])
    (row,) = report.rows
    assert list(row_record(row)) == [
        "key",
        "status",
        "ok",
        "difference",
        "target",
        "fourthwall_quantity",
        "shipbob_fulfillable",
        "mapped_to",
        "fourthwall",
        "shipbob",
        "components",
    ]
    record = row_record(row)
    assert list(record["fourthwall"][0]) == ["product_id", "variant_id", "sku", "name", "quantity"]  # type: ignore[index]
    assert list(record["shipbob"][0]) == [  # type: ignore[index]
        "inventory_id",
        "sku",
        "name",
        "fulfillable",
        "on_hand",
        "committed",
        "incoming",
        "locations",
    ]
    out = io.StringIO()
    write_jsonl(report, out)
    assert json.loads(out.getvalue()) == record


def test_summary_counts_every_status_zeros_included_in_status_order() -> None:
    report = reconcile_levels(
        [_level("fourthwall", "A", 3), _level("fourthwall", "B", 2), _level("fourthwall", "C", 1)],
        [_level("shipbob", "A", 2), _level("shipbob", "B", 2)],
        mapping={"GONE": "A"},
        buffer=0,
    )
    summary = summary_record(report)
    assert list(summary) == ["rows", "problems", "in_sync", "buffer", "counts", "unresolved_mappings"]
    assert list(summary["counts"]) == [status.value for status in Status]  # type: ignore[call-overload]
    assert summary["counts"] == {
        **dict.fromkeys((status.value for status in Status), 0),
        "in_sync": 1,
        "oversell": 1,
        "only_fourthwall": 1,
    }
    assert (summary["rows"], summary["problems"], summary["in_sync"], summary["buffer"]) == (3, 2, False, 0)
    assert summary["unresolved_mappings"] == [{"fourthwall_sku": "gone", "target": "A", "reason": "no_fourthwall_sku"}]
    json.dumps(summary)  # JSON-ready as it is


def test_summary_records_the_buffer_and_an_empty_report_counts_zero_everywhere() -> None:
    summary = summary_record(reconcile_levels([_level("fourthwall", "A", 2)], [_level("shipbob", "A", 2)], buffer=1))
    # Buffer 1: the target is 1, Fourthwall offers 2: oversell; the summary records the buffer it was built with.
    assert summary["buffer"] == 1 and summary["counts"]["oversell"] == 1  # type: ignore[index]
    empty = summary_record(reconcile_levels([], []))
    assert empty["counts"] == dict.fromkeys((status.value for status in Status), 0)
    assert (empty["rows"], empty["problems"], empty["in_sync"], empty["unresolved_mappings"]) == (0, 0, True, [])
