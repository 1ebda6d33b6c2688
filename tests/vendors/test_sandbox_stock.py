"""The vendor task methods against the sandbox, sync and async (the ``fourthwall``/``shipbob`` driver fixtures):
every item exactly once, quantities as the seeded shop holds them, and request counts at the server."""

from __future__ import annotations

import math
from typing import Any

import pytest

from facade import AsyncFourthwall, AsyncShipBob, Fourthwall, ShipBob
from facade.catalog import CatalogItem
from facade.defaults import FOURTHWALL_PAGE_SIZE, SHIPBOB_PAGE_SIZE
from facade.sandbox import Sandbox
from facade.stock import UNLIMITED, StockLevel
from tests.support.drivers import Driver, Mode, driven

SB = "/2026-01"


def test_fourthwall_stock_is_every_variant_once_with_sku_and_explicit_unlimited(
    fourthwall: Driver, sandbox: Any
) -> None:
    shop = sandbox.shop
    levels: list[StockLevel] = fourthwall.run("stock")
    expected = {(p.id, v.id): v for p, v in shop.iter_fourthwall_variants()}
    assert [(lv.product_id, lv.item_id) for lv in levels] == list(expected)
    for level in levels:
        variant = expected[(level.product_id, level.item_id)]
        assert level.sku == variant.sku
        if variant.in_stock is None:
            assert level.available is UNLIMITED and level.unlimited
        else:
            assert level.available == variant.in_stock and not level.unlimited
    assert any(lv.unlimited for lv in levels) and any(not lv.unlimited for lv in levels)


def test_fourthwall_inventory_of_one_product(fourthwall: Driver, sandbox: Any) -> None:
    product = next(p for p in sandbox.shop.fourthwall_products if any(v.in_stock is not None for v in p.variants))
    levels: list[StockLevel] = fourthwall.run("inventory", product.id)
    # The inventory endpoint counts LIMITED variants only (an UNLIMITED one has no quantity to report).
    limited = {v.id: v.in_stock for v in product.variants if v.in_stock is not None}
    assert {lv.item_id: lv.available for lv in levels} == limited
    assert len(levels) == len(limited) and all(lv.product_id == product.id for lv in levels)


def test_fourthwall_catalog_is_every_variant_once(fourthwall: Driver, sandbox: Any) -> None:
    items: list[CatalogItem] = fourthwall.run("catalog")
    assert [(i.product_id, i.variant_id, i.sku) for i in items] == [
        (p.id, v.id, v.sku) for p, v in sandbox.shop.iter_fourthwall_variants()
    ]
    assert all(i.provider == "fourthwall" and i.barcode is None and not i.bundle for i in items)


def test_shipbob_stock_matches_the_shop_item_by_item(shipbob: Driver, sandbox: Any) -> None:
    shop = sandbox.shop
    levels: list[StockLevel] = shipbob.collect("iter_stock", page_size=50)
    assert sorted(int(lv.item_id or 0) for lv in levels) == sorted(i.inventory_id for i in shop.shipbob_items)
    for level in levels:
        item = shop.shipbob_item(int(level.item_id or 0))
        assert level.sku == item.sku
        assert level.on_hand == shop.item_total(item, "on_hand")
        assert {int(loc.id or 0) for loc in level.locations} == {loc.location_id for loc in shop.item_locations(item)}
        assert sum(loc.on_hand or 0 for loc in level.locations) == level.on_hand
        assert [lot.lot_number for lot in level.lots] == [lot.number for lot in item.lots]
    assert any(level.lots for level in levels)


def test_shipbob_inventory_of_one_product(shipbob: Driver, sandbox: Any) -> None:
    product = next(p for p in sandbox.shop.shipbob_products if len(p.variants) > 1)
    sandbox.requests.clear()
    levels: list[StockLevel] = shipbob.run("inventory", product.id)
    assert [int(lv.item_id or 0) for lv in levels] == [v.inventory_id for v in product.variants]
    assert all(lv.product_id == str(product.id) for lv in levels)
    assert sandbox.requests.count(vendor="shipbob") == 4


def test_shipbob_catalog_is_every_variant_once_with_bundles(shipbob: Driver, sandbox: Any) -> None:
    items: list[CatalogItem] = shipbob.run("catalog")
    expected = [(p.id, v.id, v.sku) for p in sandbox.shop.shipbob_products for v in p.variants]
    assert sorted((int(i.product_id), int(i.variant_id or 0), i.sku) for i in items) == sorted(expected)
    bundles = [i for i in items if i.bundle]
    assert bundles and all(i.bundle_components for i in bundles)


def test_inventory_many_reports_missing_products_and_keeps_the_rest(shipbob: Driver, sandbox: Any) -> None:
    good = [p.id for p in sandbox.shop.shipbob_products[:3]]
    result = shipbob.run("inventory_many", [good[0], 999_999_999, *good[1:]], concurrency=2)
    assert [f.product_id for f in result.failures] == ["999999999"]
    assert {lv.product_id for lv in result.levels} == {str(p) for p in good}


@pytest.fixture(scope="module")
def big() -> Any:
    with Sandbox.start(seed=11, skus=2500) as running:
        yield running


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_request_count_for_stock_is_the_minimum_the_page_sizes_allow(big: Any, mode: Mode) -> None:
    def build_fw(which: Mode) -> Any:
        cls = Fourthwall if which == "sync" else AsyncFourthwall
        return cls.from_env(environ=big.environ(), rate_limit=None, max_retries=0)

    def build_sb(which: Mode) -> Any:
        cls = ShipBob if which == "sync" else AsyncShipBob
        return cls.from_env(environ=big.environ(), rate_limit=None, max_retries=0)

    products = len(big.shop.fourthwall_products)
    items = len(big.shop.shipbob_items)
    with driven(build_fw, mode) as fw:
        big.requests.clear()
        fw_levels = fw.run("stock")
        assert len(fw_levels) == 2500
        assert big.requests.count(vendor="fourthwall") == math.ceil(products / FOURTHWALL_PAGE_SIZE)
    with driven(build_sb, mode) as sb:
        big.requests.clear()
        sb_levels = sb.run("stock")
        assert len({lv.item_id for lv in sb_levels}) == len(sb_levels) == items
        pages = math.ceil(items / SHIPBOB_PAGE_SIZE)
        assert big.requests.count(vendor="shipbob", path=f"{SB}/inventory-level") == pages
        assert big.requests.count(vendor="shipbob", path=f"{SB}/inventory-level/locations") == pages
        assert big.requests.count(vendor="shipbob", path=f"{SB}/inventory-level/lots") == pages
        assert big.requests.count(vendor="shipbob") == 3 * pages
