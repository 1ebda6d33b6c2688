"""The CLI's output formats, as pure functions of `StockLevel`s (no HTTP)."""

from __future__ import annotations

import csv
import datetime
import io
import json

from fourthwall_client.models.stock import Stock

from facade._cli_output import COLUMNS, level_record, locations_text, write_levels
from facade._stock import LocationStock, LotStock, StockLevel

_RAW = Stock.from_dict(
    {
        "variantId": "00000000-0000-4000-8000-000000000001",
        "quantity": 3,
        "createdAt": "2026-01-01T00:00:00Z",
        "updatedAt": "2026-01-02T00:00:00Z",
    }
)


def _fourthwall(product_id: str = "prod-1", available: int | None = 3) -> StockLevel:
    return StockLevel(provider="fourthwall", product_id=product_id, item_id="v-1", available=available, raw=_RAW)


def _shipbob() -> StockLevel:
    cicero = LocationStock(id="8", name="Cicero (IL)", available=9, on_hand=11, committed=2, incoming=4)
    nameless = LocationStock(id="10", available=0)
    return StockLevel(
        provider="shipbob",
        product_id="101",
        item_id="5001",
        name="Mug, black",
        available=9,
        on_hand=11,
        committed=2,
        incoming=4,
        locations=(cicero, nameless),
        lots=(LotStock(lot_number="L1", expires_at=datetime.datetime(2027, 1, 31, tzinfo=datetime.UTC), available=9),),
        updated_at=None,
        raw=_RAW,
    )


def test_unknown_quantities_stay_empty_in_every_format_never_zero():
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


def test_jsonl_carries_locations_and_lots_in_full():
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
    assert "raw" not in first


def test_csv_header_is_the_column_keys_and_locations_are_one_cell():
    out = io.StringIO()
    write_levels([_shipbob()], "csv", out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [key for key, _ in COLUMNS]
    assert rows[1][-1] == "Cicero (IL): 9; 10: 0"  # a location without a name is labelled by its id


def test_table_shows_every_column_header_and_value():
    out = io.StringIO()
    write_levels([_shipbob()], "table", out, title="ShipBob stock")
    text = out.getvalue()
    for _, header in COLUMNS:
        assert header in text
    for value in ("ShipBob stock", "Mug, black", "5001", "Cicero (IL): 9"):
        assert value in text


def test_locations_text_is_empty_without_a_breakdown():
    assert locations_text(_fourthwall()) == ""
