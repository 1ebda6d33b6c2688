"""Reconciliation against the sandbox's 2,000-SKU shop: every SKU in exactly one row with the status and the
difference the shop was seeded with, sync and async alike, mappings applied, and exactly the listings' requests."""

from __future__ import annotations

import asyncio
import json
import math
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from facade import AsyncFourthwall, AsyncShipBob, Fourthwall, ShipBob
from facade.defaults import FOURTHWALL_PAGE_SIZE, SHIPBOB_PAGE_SIZE
from facade.reconcile import (
    SHIPBOB_KEY_PREFIX,
    AmbiguousRowError,
    Reconciliation,
    Status,
    areconcile,
    normalize_sku,
    reconcile,
    row_record,
)
from facade.sandbox import Expectation, Sandbox
from facade.sandbox import Status as Seeded

SKUS = 2000


@pytest.fixture(scope="module")
def big() -> Iterator[Sandbox]:
    with Sandbox.start(seed=11, skus=SKUS) as running:
        yield running


def _sync(sandbox: Sandbox, **kwargs: Any) -> Reconciliation:
    env = sandbox.environ()
    with (
        Fourthwall.from_env(environ=env, rate_limit=None, max_retries=0) as fw,
        ShipBob.from_env(environ=env, rate_limit=None, max_retries=0) as sb,
    ):
        return reconcile(fw, sb, **kwargs)


def _async(sandbox: Sandbox, **kwargs: Any) -> Reconciliation:
    env = sandbox.environ()

    async def run() -> Reconciliation:
        async with (
            AsyncFourthwall.from_env(environ=env, rate_limit=None, max_retries=0) as fw,
            AsyncShipBob.from_env(environ=env, rate_limit=None, max_retries=0) as sb,
        ):
            return await areconcile(fw, sb, **kwargs)

    return asyncio.run(run())


def _check_against_truth(report: Reconciliation, truth: tuple[Expectation, ...]) -> None:
    expected = {normalize_sku(row.key): row for row in truth}
    keys = [row.key for row in report.rows]
    assert len(set(keys)) == len(keys)  # every row key is unique, the mapped-away ShipBob item's too
    assert len(report.rows) == len(expected)
    wrong = []
    for row in report.rows:
        assert row.key is not None  # every item of the shop has a SKU
        want = expected[row.key]
        difference = None if want.status in (Seeded.DUPLICATE_SKU, Seeded.UNLIMITED) else want.difference
        got_skus = sorted(level.sku or "" for level in row.fourthwall), sorted(level.sku or "" for level in row.shipbob)
        if (row.status.value, row.difference, got_skus) != (
            want.status.value,
            difference,
            (sorted(want.fourthwall_skus), sorted(want.shipbob_skus)),
        ):
            wrong.append((row.key, row.status.value, row.difference, want))
    assert wrong == []
    assert {status.value: n for status, n in report.counts().items() if n} == {
        status.value: n for status, n in Counter(row.status for row in truth).items()
    }


def test_every_sku_lands_in_one_row_with_the_seeded_status_and_difference(big: Sandbox) -> None:
    report = _sync(big, mapping=big.shop.mapping)
    truth = big.shop.expectations(mapping=True)
    assert {row.status for row in truth} == set(Seeded)  # every seeded status is present
    assert {status.value for status in Seeded} <= {status.value for status in Status}
    _check_against_truth(report, truth)
    # The SKUs that only match after normalization (case, surrounding blanks) or through the mapping are in sync.
    quirks = {row.quirk: row for row in truth if row.quirk}
    assert set(quirks) == {"case", "whitespace", "mapping", "mapped_away"}
    for quirk in ("case", "whitespace", "mapping"):
        assert report.row(quirks[quirk].fourthwall_skus[0], side="fourthwall").status is Status.IN_SYNC
    (fourthwall_sku,) = quirks["mapping"].fourthwall_skus
    mapped = report.row(fourthwall_sku, side="fourthwall")
    assert mapped.mapped_to == big.shop.mapping[fourthwall_sku] and mapped.key == normalize_sku(fourthwall_sku)
    # A ShipBob item still carries the mapped Fourthwall SKU: a row of its own, under a key that cannot collide.
    away = report.row(fourthwall_sku, side="shipbob")
    assert away.status is Status.ONLY_SHIPBOB and away.key == SHIPBOB_KEY_PREFIX + normalize_sku(fourthwall_sku)
    assert report.row(away.key) is away
    with pytest.raises(AmbiguousRowError) as ambiguous:
        report.row(fourthwall_sku)
    assert set(ambiguous.value.keys) == {mapped.key, away.key}
    assert report.unresolved_mappings == ()


def test_without_the_mapping_the_mapped_pair_splits_in_two_rows(big: Sandbox) -> None:
    _check_against_truth(_sync(big), big.shop.expectations(mapping=False))


def test_sync_and_async_agree_row_for_row(big: Sandbox) -> None:
    sync = _sync(big, mapping=big.shop.mapping, buffer=3)
    asynchronous = _async(big, mapping=big.shop.mapping, buffer=3)
    assert [row_record(row) for row in sync.rows] == [row_record(row) for row in asynchronous.rows]
    assert sync.counts() == asynchronous.counts()


def test_the_buffer_moves_the_target_and_the_difference(big: Sandbox) -> None:
    plain, buffered = _sync(big), _sync(big, buffer=5)
    for before, after in zip(plain.rows, buffered.rows, strict=True):
        if before.status in (Status.IN_SYNC, Status.OVERSELL, Status.LOST_SALES) and before.target is not None:
            assert after.target == max(before.target - 5, 0)
            assert after.difference == before.fourthwall_quantity - after.target  # type: ignore[operator]
    assert buffered.counts()[Status.OVERSELL] > plain.counts()[Status.OVERSELL]


def test_a_mapping_file_overrides_matching_and_entries_pointing_at_nothing_are_reported(
    big: Sandbox, tmp_path: Path
) -> None:
    ((fourthwall_sku, shipbob_sku),) = big.shop.mapping.items()
    in_sync = next(row for row in big.shop.expectations() if row.status is Seeded.IN_SYNC and not row.quirk)
    path = tmp_path / "mapping.json"
    path.write_text(
        json.dumps(
            {fourthwall_sku: shipbob_sku, in_sync.fourthwall_skus[0]: "NO-SUCH-SKU", "NOT-SOLD-HERE": shipbob_sku}
        )
    )
    report = _sync(big, mapping=path)
    assert report.row(fourthwall_sku, side="fourthwall").status is Status.IN_SYNC
    assert report.row(in_sync.key).status is Status.UNRESOLVED_MAPPING
    assert {(entry.fourthwall_sku, entry.reason) for entry in report.unresolved_mappings} == {
        (normalize_sku(in_sync.fourthwall_skus[0]), "no_shipbob_item"),
        ("not-sold-here", "no_fourthwall_sku"),
    }
    # The ShipBob item of that SKU stays on the row (one row per SKU), shown for context, compared with nothing.
    broken = report.row(in_sync.key)
    assert [level.sku for level in broken.shipbob] == list(in_sync.shipbob_skus) and broken.difference is None
    assert len({row.key for row in report.rows}) == len(report.rows)
    assert not report.in_sync


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_requests_are_exactly_the_listings_pages_at_the_largest_page_sizes(big: Sandbox, mode: str) -> None:
    big.requests.clear()
    (_sync if mode == "sync" else _async)(big)
    shop = big.shop
    shipbob_pages = math.ceil(len(shop.shipbob_items) / SHIPBOB_PAGE_SIZE)
    expected = {
        ("fourthwall", "/open-api/v1.0/products"): math.ceil(len(shop.fourthwall_products) / FOURTHWALL_PAGE_SIZE),
        # ShipBob stock: totals, then per center and per lot for each batch of totals (facade.shipbob).
        ("shipbob", "/2026-01/inventory-level"): shipbob_pages,
        ("shipbob", "/2026-01/inventory-level/locations"): shipbob_pages,
        ("shipbob", "/2026-01/inventory-level/lots"): shipbob_pages,
        ("shipbob", "/2026-01/product"): math.ceil(len(shop.shipbob_products) / SHIPBOB_PAGE_SIZE),
    }
    served = Counter((record.vendor, record.path) for record in big.requests)
    assert dict(served) == expected
    assert all(record.status == 200 for record in big.requests)
    assert {record.method for record in big.requests} == {"GET"}  # read-only: nothing is written
    assert sum(expected.values()) < 40  # 2,000 SKUs: a few dozen requests, never one per product
