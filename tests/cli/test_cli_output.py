"""The CLI's output formats, as pure functions of `StockLevel`s and reconciliation rows (no HTTP), and the
neutralization of vendor text (issue 18: terminal escape sequences, spreadsheet formulas, rich markup)."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest

from facade import UNLIMITED, LocationStock, LotStock, StockLevel
from facade.cli._output import COLUMNS, FORMATS, level_record, locations_text, write_levels
from facade.cli._report import write_report
from facade.reconcile import reconcile_levels, spreadsheet_safe, terminal_safe, write_csv
from facade.stock import Quantity

_ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil\r\n"
_FORMULA = '=HYPERLINK("http://evil.invalid","click")'


def _fourthwall(product_id: str = "prod-1", available: Quantity | None = 3, name: str | None = None) -> StockLevel:
    return StockLevel(
        provider="fourthwall",
        product_id=product_id,
        item_id="v-1",
        sku="MUG-1",
        name=name,
        available=available,
        raw=None,
    )


def _shipbob(name: str = "Mug, black") -> StockLevel:
    cicero = LocationStock(id="8", name="Cicero (IL)", available=9, on_hand=11, committed=2, incoming=4)
    nameless = LocationStock(id="10", available=0)
    return StockLevel(
        provider="shipbob",
        product_id="101",
        item_id="5001",
        sku="MUG-1",
        name=name,
        available=9,
        on_hand=11,
        committed=2,
        incoming=4,
        locations=(cicero, nameless),
        lots=(LotStock(lot_number="L1", expires_at=datetime.datetime(2027, 1, 31, tzinfo=datetime.UTC), available=9),),
        updated_at=None,
        raw=None,
    )


def test_unknown_quantities_stay_empty_in_every_format_never_zero() -> None:
    level = _fourthwall()
    record = level_record(level)
    assert record["on_hand"] is None and record["committed"] is None and record["incoming"] is None
    assert record["available"] == 3

    out = io.StringIO()
    write_levels([level], "csv", out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["available"] == "3"
    assert row["on_hand"] == row["committed"] == row["incoming"] == ""

    out = io.StringIO()
    write_levels([level], "jsonl", out)
    assert json.loads(out.getvalue())["on_hand"] is None


def test_unlimited_stock_is_written_as_unlimited_never_a_number() -> None:
    level = _fourthwall(available=UNLIMITED)
    assert level_record(level)["available"] == "unlimited"
    for output_format in FORMATS:
        out = io.StringIO()
        write_levels([level], output_format, out)
        assert "unlimited" in out.getvalue()


def test_jsonl_carries_locations_and_lots_in_full() -> None:
    out = io.StringIO()
    write_levels([_shipbob(), _fourthwall()], "jsonl", out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["locations"][0] == {
        "id": "8",
        "name": "Cicero (IL)",
        "available": 9,
        "on_hand": 11,
        "committed": 2,
        "incoming": 4,
    }
    assert first["lots"][0]["lot_number"] == "L1"
    assert first["lots"][0]["expires_at"] == "2027-01-31T00:00:00+00:00"
    assert first["sku"] == "MUG-1"
    assert "raw" not in first


def test_csv_header_is_the_column_keys_and_locations_are_one_cell() -> None:
    out = io.StringIO()
    write_levels([_shipbob()], "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [key for key, _ in COLUMNS]
    assert rows[1][-1] == "Cicero (IL): 9; 10: 0"  # a location without a name is labelled by its id


def test_table_shows_every_column_header_and_value() -> None:
    out = io.StringIO()
    write_levels([_shipbob()], "table", out, title="ShipBob stock")
    text = out.getvalue()
    for _, header in COLUMNS:
        assert header in text
    for value in ("ShipBob stock", "Mug, black", "5001", "MUG-1", "Cicero (IL): 9"):
        assert value in text


def test_locations_text_is_empty_without_a_breakdown() -> None:
    assert locations_text(_fourthwall()) == ""


# -- issue 18: vendor text is inert in a terminal and in a spreadsheet ---------------------------------------------


def test_terminal_safe_escapes_every_control_and_bidi_character_visibly() -> None:
    safe = terminal_safe(_ESCAPES)
    assert safe == "\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202eevil\\x0d\\x0a"
    assert all(ch.isprintable() for ch in safe)
    plain = "Mug \u2013 11 oz, caf\u00e9"
    assert terminal_safe(plain) == plain  # ordinary text is untouched


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", _FORMULA])
def test_spreadsheet_safe_defuses_formulas(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Mug", "1-2", "a=b", ""])
def test_spreadsheet_safe_leaves_plain_text(text: str) -> None:
    assert spreadsheet_safe(text) == text


@pytest.mark.parametrize("name", [_ESCAPES, _FORMULA, "[link=http://evil.invalid]click[/link][bold]x"])
def test_stock_table_and_csv_neutralize_vendor_names(name: str) -> None:
    levels = [_shipbob(name=name)]
    table = io.StringIO()
    write_levels(levels, "table", table)
    text = table.getvalue()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\x9b" not in text
    if name.startswith("[link"):
        assert "[link=http://evil.invalid]" in text  # shown as text, not turned into markup
    as_csv = io.StringIO()
    write_levels(levels, "csv", as_csv)
    (row,) = csv.DictReader(io.StringIO(as_csv.getvalue()))
    assert row["name"] == spreadsheet_safe(terminal_safe(name))
    assert row["available"] == "9"
    as_jsonl = io.StringIO()
    write_levels(levels, "jsonl", as_jsonl)
    assert json.loads(as_jsonl.getvalue())["name"] == name  # JSON keeps the data, escaped by the encoder
    assert "\x1b" not in as_jsonl.getvalue() and "\u202e" not in as_jsonl.getvalue()


def test_reconciliation_csv_and_table_neutralize_vendor_text_but_keep_negative_numbers() -> None:
    report = reconcile_levels(
        [
            _fourthwall(available=2, name=_FORMULA),
            StockLevel(
                provider="fourthwall", product_id="p2", item_id="v2", sku="@EVIL", name=_ESCAPES, available=1, raw=None
            ),
        ],
        [_shipbob(name="-cmd|' /C calc'!A0")],
    )
    out = io.StringIO()
    write_csv(report.rows, out)
    rows = {row["fourthwall_sku"]: row for row in csv.DictReader(io.StringIO(out.getvalue()))}
    assert rows["MUG-1"]["difference"] == "-7"  # our numbers keep their sign
    assert rows["MUG-1"]["fourthwall_name"] == "'" + _FORMULA
    assert rows["MUG-1"]["shipbob_name"] == "'-cmd|' /C calc'!A0"
    assert rows["'@EVIL"]["fourthwall_name"] == terminal_safe(_ESCAPES)
    table = io.StringIO()
    write_report(report.rows, report, "table", table)
    assert "\x1b" not in table.getvalue() and "\\x1b]0;owned" in table.getvalue()
