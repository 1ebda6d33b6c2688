"""The pure core: matching by normalized SKU, the mapping, classification and the buffer (no HTTP)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from facade import UNLIMITED, CatalogItem, LocationStock, StockLevel
from facade.errors import ConfigurationError, InvalidArgumentError
from facade.reconcile import (
    SHIPBOB_KEY_PREFIX,
    AmbiguousRowError,
    Status,
    load_mapping,
    normalize_sku,
    reconcile_levels,
)
from facade.stock import Quantity


def fw(sku: str | None, quantity: Quantity | None, *, variant: str = "v", product: str = "p") -> StockLevel:
    return StockLevel(
        provider="fourthwall", product_id=product, item_id=f"{variant}-{sku}", sku=sku, available=quantity, raw=None
    )


def sb(
    sku: str | None, fulfillable: int | None, *, inventory: str | None = None, locations: tuple[LocationStock, ...] = ()
) -> StockLevel:
    return StockLevel(
        provider="shipbob",
        product_id=None,
        item_id=inventory or f"inv-{sku}",
        sku=sku,
        available=fulfillable,
        on_hand=fulfillable,
        committed=0,
        locations=locations,
        raw=None,
    )


def test_normalization_strips_surrounding_whitespace_and_folds_case_only() -> None:
    assert normalize_sku("  Tee-Blk-M \t") == normalize_sku("TEE-BLK-M")
    assert normalize_sku("TEE BLK M") != normalize_sku("TEE-BLK-M")
    report = reconcile_levels([fw("  tee-1", 4)], [sb("TEE-1 ", 4)])
    (row,) = report.rows
    assert row.status is Status.IN_SYNC and row.difference == 0 and report.in_sync


@pytest.mark.parametrize(
    ("quantity", "fulfillable", "buffer", "status", "difference"),
    [
        (5, 5, 0, Status.IN_SYNC, 0),
        (7, 5, 0, Status.OVERSELL, 2),
        (3, 5, 0, Status.LOST_SALES, -2),
        (5, 5, 2, Status.OVERSELL, 2),  # the buffer is held back from Fourthwall: the target is 3
        (3, 5, 2, Status.IN_SYNC, 0),
        (0, 1, 4, Status.IN_SYNC, 0),  # the target never goes below 0
    ],
)
def test_difference_is_fourthwall_minus_target_after_buffer(
    quantity: int, fulfillable: int, buffer: int, status: Status, difference: int
) -> None:
    (row,) = reconcile_levels([fw("A", quantity)], [sb("A", fulfillable)], buffer=buffer).rows
    assert (row.status, row.difference, row.target) == (status, difference, max(fulfillable - buffer, 0))
    assert row.ok is (status is Status.IN_SYNC)


def test_every_level_lands_in_exactly_one_row_with_its_status() -> None:
    fourthwall = [
        fw("only-fw", 3),
        fw("dup", 1, variant="a"),
        fw("DUP", 2, variant="b"),
        fw("unl", UNLIMITED),
        fw("dup-sb", 4),
        fw(None, 2),
        fw("unknown", None),
    ]
    shipbob = [
        sb("only-sb", 9),
        sb("dup", 5),
        sb("dup-sb", 1, inventory="1"),
        sb("dup-sb", 2, inventory="2"),
        sb("unl", 8),
        sb("unknown", 3),
        sb(None, 1, inventory="nosku"),
    ]
    report = reconcile_levels(fourthwall, shipbob)
    by_key = {row.key: row for row in report.rows if row.key is not None}
    assert by_key["only-fw"].status is Status.ONLY_FOURTHWALL
    assert by_key["only-sb"].status is Status.ONLY_SHIPBOB and by_key["only-sb"].shipbob_fulfillable == 9
    assert by_key["dup"].status is Status.DUPLICATE_SKU and len(by_key["dup"].fourthwall) == 2
    assert by_key["dup-sb"].status is Status.DUPLICATE_SKU and len(by_key["dup-sb"].shipbob) == 2
    assert by_key["dup"].difference is None and by_key["dup-sb"].difference is None
    assert by_key["unl"].status is Status.UNLIMITED and by_key["unl"].fourthwall_quantity is UNLIMITED
    assert by_key["unknown"].status is Status.UNKNOWN_QUANTITY
    loose = [row for row in report.rows if row.key is None]
    assert sorted(row.status for row in loose) == [Status.ONLY_FOURTHWALL, Status.ONLY_SHIPBOB]
    placed = [level for row in report.rows for level in (*row.fourthwall, *row.shipbob)]
    assert sorted(map(id, placed)) == sorted(map(id, fourthwall + shipbob))
    assert not report.in_sync
    assert sum(report.counts().values()) == len(report.rows)


def _center(center: str, available: int) -> LocationStock:
    return LocationStock(id=center, available=available)


def _variant(sku: str, *, variant: str, inventory: str | None, **more: Any) -> CatalogItem:
    """A ShipBob catalog variant (its product's id and name do not matter to reconciliation)."""
    return CatalogItem(
        provider="shipbob",
        product_id="p",
        product_name="P",
        variant_id=variant,
        inventory_id=inventory,
        sku=sku,
        raw=None,
        **more,
    )


def test_bundle_stock_is_derived_from_components_per_fulfillment_center() -> None:
    tee = sb("TEE", 5, inventory="10", locations=(_center("c1", 3), _center("c2", 2)))
    stickers = sb("STK", 6, inventory="20", locations=(_center("c1", 6), _center("c2", 1)))
    bundle_level = sb("BNDL", 99, inventory="30")
    catalog = [
        _variant("TEE", variant="100", inventory="10"),
        _variant("BNDL", variant="300", inventory="30", bundle=True, bundle_components=(("100", 1), ("STK", 2))),
    ]
    # c1: min(3 // 1, 6 // 2) = 3; c2: min(2 // 1, 1 // 2) = 0: three bundles, not min(5, 6 // 2) = 3 by luck.
    report = reconcile_levels(
        [fw("bndl", 4), fw("tee", 5), fw("stk", 6)], [tee, stickers, bundle_level], shipbob_catalog=catalog
    )
    row = report.row("BNDL")
    assert row.status is Status.BUNDLE and row.shipbob_fulfillable == 3 and row.difference == 1
    assert not row.ok and row.components == (("100", 1), ("STK", 2))
    assert report.row("tee").status is Status.IN_SYNC
    in_sync = reconcile_levels([fw("bndl", 3)], [tee, stickers, bundle_level], shipbob_catalog=catalog)
    assert in_sync.row("bndl").ok


def test_a_bundle_absent_from_the_inventory_listing_still_gets_its_row() -> None:
    catalog = [_variant("BNDL", variant="300", inventory=None, bundle=True, bundle_components=(("TEE", 2),))]
    report = reconcile_levels([fw("BNDL", 1)], [sb("TEE", 5)], shipbob_catalog=catalog)
    row = report.row("bndl")
    assert row.status is Status.BUNDLE and row.shipbob_fulfillable == 2 and row.difference == -1


def test_mapping_overrides_matching_and_reports_entries_that_point_at_nothing() -> None:
    fourthwall = [fw("FW-1", 4), fw("FW-2", 1), fw("FW-3", 2)]
    shipbob = [sb("WH-1", 4), sb("FW-1", 9), sb("WH-9", 1, inventory="555")]
    mapping = {"fw-1 ": "WH-1", "FW-2": "555", "FW-3": "nowhere", "GONE": "WH-1x"}
    report = reconcile_levels(fourthwall, shipbob, mapping=mapping)
    mapped = report.row("FW-1", side="fourthwall")
    assert mapped.status is Status.IN_SYNC and mapped.mapped_to == "WH-1" and mapped.key == "fw-1"
    assert report.row("WH-1") is mapped  # found by its ShipBob SKU too
    assert report.row("FW-2").shipbob[0].item_id == "555"  # by inventory id
    assert report.row("FW-3").status is Status.UNRESOLVED_MAPPING
    # The ShipBob item whose SKU equals a mapped Fourthwall SKU is not matched to it any more: a row of its own,
    # keyed so that it cannot collide with the Fourthwall row.
    leftover = report.row("FW-1", side="shipbob")
    assert leftover.status is Status.ONLY_SHIPBOB and leftover.key == SHIPBOB_KEY_PREFIX + "fw-1"
    assert report.row("ShipBob:FW-1") is leftover  # by its key
    assert len({row.key for row in report.rows}) == len(report.rows)
    assert {(entry.fourthwall_sku, entry.reason) for entry in report.unresolved_mappings} == {
        ("fw-3", "no_shipbob_item"),
        ("gone", "no_fourthwall_sku"),
    }
    assert not report.in_sync


def test_two_fourthwall_skus_mapped_to_one_shipbob_item_are_one_duplicate_row() -> None:
    report = reconcile_levels([fw("A", 1), fw("B", 1)], [sb("X", 1)], mapping={"A": "X", "B": "X"})
    (row,) = report.rows
    assert row.status is Status.DUPLICATE_SKU and len(row.fourthwall) == 2
    # Keyed by the first Fourthwall SKU, found by every SKU on it.
    assert row.key == "a" and report.row("B") is row and report.row("x") is row


def test_a_sku_on_two_rows_is_an_ambiguous_lookup_naming_both_keys() -> None:
    report = reconcile_levels([fw("FW-1", 4)], [sb("WH-1", 4), sb("FW-1", 9)], mapping={"FW-1": "WH-1"})
    with pytest.raises(AmbiguousRowError, match="side=") as caught:
        report.row(" fw-1")
    assert caught.value.keys == ("fw-1", "shipbob:fw-1") and isinstance(caught.value, KeyError)
    with pytest.raises(KeyError, match="'NOPE' on the shipbob side"):
        report.row("NOPE", side="shipbob")
    with pytest.raises(InvalidArgumentError, match="side"):
        report.row("FW-1", side="both")  # type: ignore[arg-type]


def test_keys_stay_unique_when_even_the_prefixed_key_is_a_fourthwall_sku() -> None:
    fourthwall = [fw("FW-1", 4), fw("shipbob:FW-1", 2)]
    report = reconcile_levels(fourthwall, [sb("WH-1", 4), sb("FW-1", 9)], mapping={"FW-1": "WH-1"})
    keys = [row.key for row in report.rows]
    assert keys == ["fw-1", "shipbob:fw-1", "shipbob:shipbob:fw-1"]
    assert report.row("shipbob:shipbob:fw-1").shipbob[0].sku == "FW-1"


def test_an_inventory_id_target_singles_out_that_item_of_a_sku_shipbob_has_twice() -> None:
    shipbob = [sb("TEE", 4, inventory="1"), sb("TEE", 7, inventory="2")]
    report = reconcile_levels([fw("OLD-TEE", 4), fw("TEE", 7)], shipbob, mapping={"OLD-TEE": "1"})
    old = report.row("OLD-TEE")
    assert [level.item_id for level in old.shipbob] == ["1"]
    assert old.status is Status.IN_SYNC and old.difference == 0 and old.mapped_to == "1"
    # The SKU's other item stays with the Fourthwall SKU that matches it: compared, no longer a duplicate.
    rest = report.row("TEE", side="fourthwall")
    assert [level.item_id for level in rest.shipbob] == ["2"] and rest.status is Status.IN_SYNC
    # Without that Fourthwall SKU, the other item is only on ShipBob, keyed by its SKU.
    alone = reconcile_levels([fw("OLD-TEE", 4)], shipbob, mapping={"OLD-TEE": "2"})
    assert [(row.key, row.status, [level.item_id for level in row.shipbob]) for row in alone.rows] == [
        ("old-tee", Status.LOST_SALES, ["2"]),
        ("tee", Status.ONLY_SHIPBOB, ["1"]),
    ]
    # An inventory id of a SKU ShipBob has once joins the SKU, as the SKU itself would.
    once = reconcile_levels([fw("A", 1), fw("B", 1)], [sb("X", 1, inventory="9")], mapping={"A": "9", "B": "X"})
    (row,) = once.rows
    assert row.status is Status.DUPLICATE_SKU and len(row.fourthwall) == 2


def test_mapping_files_json_and_csv(tmp_path: Path) -> None:
    as_json = tmp_path / "m.json"
    as_json.write_text(json.dumps({" Tee-1": "WH-1", "MUG": 42}))
    assert load_mapping(as_json) == {"tee-1": "WH-1", "mug": "42"}
    as_csv = tmp_path / "m.csv"
    as_csv.write_text("fourthwall_sku,shipbob\nTee-1,WH-1\n\nMUG, 42\n")
    assert load_mapping(str(as_csv)) == {"tee-1": "WH-1", "mug": "42"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("m.yaml", "a: b", "use a .json or .csv"),
        ("m.json", "[1]", "JSON object"),
        ("m.json", "{", "not valid JSON"),
        ("m.csv", "a,b\n", "header"),
        ("m.csv", "fourthwall_sku,shipbob\nA,B,C\n", "line 2"),
        ("m.json", '{"A": "X", "a ": "Y"}', "mapped twice"),
    ],
)
def test_bad_mapping_files_are_configuration_errors_naming_the_problem(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ConfigurationError, match=message):
        reconcile_levels([], [], mapping=path)
    with pytest.raises(ConfigurationError, match="cannot be read"):
        load_mapping(tmp_path / "missing.csv")


@pytest.mark.parametrize("buffer", [-1, True, 1.5])
def test_buffer_must_be_a_whole_number(buffer: object) -> None:
    with pytest.raises(InvalidArgumentError, match="buffer"):
        reconcile_levels([], [], buffer=buffer)  # type: ignore[arg-type]
