"""The seeded shop: deterministic, plausible, every status present, ground truth matching what is served."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from typing import Any

import httpx
import pytest

from facade.sandbox import FULFILLMENT_CENTERS, Sandbox, Shop, Status, normalize_sku
from tests.support.paths import REPO

from .conftest import SHIPBOB_PAGE_SIZE_LISTINGS

FW = "/open-api/v1.0"
SB = "/2026-01"


def _fetch_all(sb: Sandbox) -> dict[str, list[bytes]]:
    """The raw bytes of a fixed set of listings and by-id reads."""
    fw = httpx.Client(base_url=sb.fourthwall_url, auth=sb.fourthwall_credentials)
    shipbob = httpx.Client(base_url=sb.shipbob_url, headers={"Authorization": f"Bearer {sb.shipbob_token}"})
    out: dict[str, list[bytes]] = defaultdict(list)
    with fw, shipbob:
        for page in range(3):
            out["fw-products"].append(fw.get(f"{FW}/products", params={"page": page, "size": 10}).content)
            out["fw-orders"].append(fw.get(f"{FW}/order", params={"page": page, "size": 10}).content)
        product_id = fw.get(f"{FW}/products").json()["results"][0]["id"]
        out["fw-inventory"].append(fw.get(f"{FW}/products/{product_id}/inventory").content)
        for path in (
            *SHIPBOB_PAGE_SIZE_LISTINGS,
            "order",
            "channel",
            "webhook",
            "location",
            "fulfillment-center",
        ):
            out[path].append(shipbob.get(f"{SB}/{path}").content)
    return out


def test_same_seed_same_bytes_different_seed_different_shop() -> None:
    with Sandbox.start(seed=7, skus=60) as a, Sandbox.start(seed=7, skus=60) as b, Sandbox.start(seed=8, skus=60) as c:
        first, second, other = _fetch_all(a), _fetch_all(b), _fetch_all(c)
    assert first == second
    assert first["fw-products"] != other["fw-products"]
    assert first["inventory-level"] != other["inventory-level"]
    assert Shop.generate(seed=3, skus=500).expectations() == Shop.generate(seed=3, skus=500).expectations()


@pytest.mark.parametrize(("seed", "skus"), [(7, 40), (1, 40), (2, 41), (3, 57), (4, 100), (5, 400), (7, 2000)])
def test_every_status_at_any_size_from_40(seed: int, skus: int) -> None:
    shop = Shop.generate(seed=seed, skus=skus)
    counts = shop.statuses()
    assert all(counts[status] >= 1 for status in Status), counts
    quirks = {row.quirk for row in shop.expectations()}
    assert {"case", "whitespace", "mapping", "mapped_away"} <= quirks
    assert sum(len(p.variants) for p in shop.fourthwall_products) == skus
    ((fw_sku, sb_sku),) = shop.mapping.items()
    assert normalize_sku(fw_sku) != normalize_sku(sb_sku)
    # With the mapping, the ShipBob item still under the Fourthwall SKU is a row of its own, keyed apart.
    rows = {row.key: row for row in shop.expectations()}
    assert rows["SHIPBOB:" + normalize_sku(fw_sku)].shipbob_skus == (fw_sku,)
    assert rows["SHIPBOB:" + normalize_sku(fw_sku)].status is Status.ONLY_SHIPBOB
    assert rows[normalize_sku(fw_sku)].shipbob_skus == (sb_sku,)
    # Without it, the Fourthwall SKU matches that item, and the mapped ShipBob item is only on ShipBob.
    apart = {row.key: row for row in shop.expectations(mapping=False)}
    assert apart[normalize_sku(fw_sku)].shipbob_skus == (fw_sku,)
    assert apart[normalize_sku(sb_sku)].status is Status.ONLY_SHIPBOB
    assert "SHIPBOB:" + normalize_sku(fw_sku) not in apart


def test_plausible_shop() -> None:
    shop = Shop.generate(seed=7, skus=2000)
    names = [p.name for p in shop.fourthwall_products]
    assert any("Tee" in n for n in names) and any("Hoodie" in n for n in names) and any("Mug" in n for n in names)
    assert len(set(names)) == len(names)
    for _, variant in shop.iter_fourthwall_variants():
        assert variant.in_stock is None or variant.in_stock >= 0
        assert variant.sku.strip()
    centers_used = set()
    for item in shop.shipbob_items:
        for loc in shop.item_locations(item):
            assert min(loc.on_hand, loc.committed, loc.awaiting, loc.internal_transfer, loc.fulfillable) >= 0
            centers_used.add(loc.location_id)
        for lot in item.lots:
            assert lot.number and lot.expires
        if item.lots:  # the lots add up to the item's quantities at each center
            for loc in item.locations:
                parts = [x for lot in item.lots for x in lot.locations if x.location_id == loc.location_id]
                assert sum(x.on_hand for x in parts) == loc.on_hand
                assert sum(x.committed for x in parts) == loc.committed
    assert len(centers_used) == len(FULFILLMENT_CENTERS) >= 3
    assert any(item.lots for item in shop.shipbob_items)
    assert any(v.bundle for p in shop.shipbob_products for v in p.variants)
    assert len({item.inventory_id for item in shop.shipbob_items}) == len(shop.shipbob_items)
    assert shop.fourthwall_orders and shop.shipbob_orders


def _walk_fourthwall(client: httpx.Client) -> list[dict[str, Any]]:
    offers: list[dict[str, Any]] = []
    for page in range(1000):
        body = client.get(f"{FW}/products", params={"page": page, "size": 100}).raise_for_status().json()
        offers += body["results"]
        if page + 1 >= body["totalPages"]:
            return offers
    raise AssertionError("unbounded")


def _walk_shipbob(client: httpx.Client, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    url: str | None = f"{SB}/{path}?PageSize=250"
    for _ in range(1000):
        assert url is not None
        body = client.get(url).raise_for_status().json()
        items += body["items"]
        url = body["next"]
        if url is None:
            return items
    raise AssertionError("unbounded")


def _reconcile(
    offers: list[dict[str, Any]], levels: list[dict[str, Any]], products: list[dict[str, Any]], mapping: dict[str, str]
) -> dict[str, tuple[Status, int | None, int | None]]:
    """A deliberately naive reconciliation of what was served (independent of the facade)."""
    mapped = {normalize_sku(k): normalize_sku(v) for k, v in mapping.items()}
    reverse = {v: k for k, v in mapped.items()}
    fw: dict[str, list[int | None]] = defaultdict(list)
    for offer in offers:
        for variant in offer["variants"]:
            stock = variant["stock"]
            fw[normalize_sku(variant["sku"])].append(stock.get("inStock") if stock["type"] == "LIMITED" else None)
    bundles = {v["inventory"]["inventory_id"] for p in products for v in p["variants"] if v["bundle_definition"]}
    sb: dict[str, list[tuple[int, bool]]] = defaultdict(list)
    for level in levels:
        key = normalize_sku(level["sku"])
        if key in mapped and key not in reverse:  # a Fourthwall SKU mapped elsewhere: this item is a row of its own
            key = "SHIPBOB:" + key
        sb[reverse.get(key, key)].append((level["total_fulfillable_quantity"], level["inventory_id"] in bundles))
    rows = {}
    for key in fw.keys() | sb.keys():
        fws, sbs = fw.get(key, []), sb.get(key, [])
        quantity = fws[0] if fws else None
        fulfillable = sbs[0][0] if sbs else None
        if len(fws) > 1 or len(sbs) > 1:
            status = Status.DUPLICATE_SKU
        elif not sbs:
            status = Status.ONLY_FOURTHWALL
        elif not fws:
            status = Status.ONLY_SHIPBOB
        elif sbs[0][1]:
            status = Status.BUNDLE
        elif quantity is None:
            status = Status.UNLIMITED
        else:
            assert fulfillable is not None
            status = (
                Status.OVERSELL
                if quantity > fulfillable
                else Status.LOST_SALES
                if quantity < fulfillable
                else Status.IN_SYNC
            )
        rows[key] = (status, quantity, fulfillable)
    return rows


@pytest.mark.parametrize(("skus", "in_sync"), [(40, False), (300, False), (300, True)])
def test_ground_truth_matches_what_is_served(skus: int, in_sync: bool) -> None:
    with Sandbox.start(shop=Shop.generate(seed=11, skus=skus, in_sync=in_sync)) as sb:
        fw = httpx.Client(base_url=sb.fourthwall_url, auth=sb.fourthwall_credentials)
        shipbob = httpx.Client(base_url=sb.shipbob_url, headers={"Authorization": f"Bearer {sb.shipbob_token}"})
        with fw, shipbob:
            offers = _walk_fourthwall(fw)
            levels = _walk_shipbob(shipbob, "inventory-level")
            products = _walk_shipbob(shipbob, "product")
        served = _reconcile(offers, levels, products, sb.shop.mapping)
        truth = {row.key: row for row in sb.shop.expectations()}
    assert served.keys() == truth.keys()
    for key, row in truth.items():
        assert served[key] == (row.status, row.fourthwall_quantity, row.shipbob_fulfillable), key
    # Without the mapping the naive join sees the pair apart, as expectations(mapping=False) says.
    apart = _reconcile(offers, levels, products, {})
    assert {k: v[0] for k, v in apart.items()} == {r.key: r.status for r in sb.shop.expectations(mapping=False)}
    if in_sync:  # nothing to reconcile, though some SKUs match only after normalization
        assert {row.status for row in truth.values()} == {Status.IN_SYNC} and sb.shop.mapping == {}
        assert {row.quirk for row in truth.values()} == {None, "case", "whitespace"}
        assert sum(len(p.variants) for p in sb.shop.fourthwall_products) == skus


def test_bundle_stock_is_derived_from_components() -> None:
    shop = Shop.generate(seed=7, skus=40)
    (bundle,) = [v for p in shop.shipbob_products for v in p.variants if v.bundle]
    item = shop.shipbob_item(bundle.inventory_id)
    assert item is not None and item.is_bundle
    totals = []
    for variant_id, quantity in bundle.bundle:
        component = shop.shipbob_variant(variant_id)
        assert component is not None
        part = shop.shipbob_item(component.inventory_id)
        assert part is not None and not part.is_bundle
        totals.append(shop.item_total(part, "fulfillable") // quantity)
    assert 0 < shop.item_total(item, "fulfillable") <= min(totals)


def test_large_shops_are_feasible() -> None:
    shop = Shop.generate(seed=1, skus=10_000)
    assert sum(len(p.variants) for p in shop.fourthwall_products) == 10_000
    assert all(shop.statuses()[s] for s in Status)


@pytest.mark.slow
def test_100k_skus_in_bounded_time_and_memory() -> None:
    code = (
        "import resource, time; t = time.monotonic()\n"
        "from facade.sandbox import Shop\n"
        "shop = Shop.generate(seed=1, skus=100_000)\n"
        "print(time.monotonic() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
    )
    from .conftest import _BARE_PACKAGE

    out = subprocess.run(
        [sys.executable, "-c", _BARE_PACKAGE + code], cwd=REPO, capture_output=True, text=True, check=True, timeout=120
    )
    seconds, megabytes = out.stdout.split()
    assert float(seconds) < 60 and int(megabytes) < 400, out.stdout


def test_every_status_across_a_sweep_of_sizes_and_seeds() -> None:
    for seed in range(6):
        for skus in range(40, 301, 5):
            shop = Shop.generate(seed=seed, skus=skus)
            counts = shop.statuses()
            assert all(counts.values()), (seed, skus, counts)
            rows = shop.expectations()
            assert len({row.key for row in rows}) == len(rows), (seed, skus)  # one row per SKU
            served = {normalize_sku(v.sku) for _, v in shop.iter_fourthwall_variants()}
            assert served <= {row.key for row in rows}
