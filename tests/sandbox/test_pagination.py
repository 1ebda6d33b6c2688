"""Pagination as each vendor does it: every item exactly once across pages, at several page sizes; links same-origin."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest

from facade.sandbox import FOURTHWALL_MAX_PAGE_SIZE, SHIPBOB_MAX_PAGE_SIZE, Sandbox

FW = "/open-api/v1.0"
SB = "/2026-01"


@pytest.fixture(scope="module")
def clients(sandbox: Sandbox) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    fw = httpx.Client(base_url=sandbox.fourthwall_url, auth=sandbox.fourthwall_credentials)
    shipbob = httpx.Client(base_url=sandbox.shipbob_url, headers={"Authorization": f"Bearer {sandbox.shipbob_token}"})
    with fw, shipbob:
        yield fw, shipbob


def _fw_pages(client: httpx.Client, path: str, size: int, **params: Any) -> list[dict[str, Any]]:
    pages = []
    for page in range(1000):
        body = client.get(path, params={"page": page, "size": size, **params}).raise_for_status().json()
        pages.append(body)
        if page + 1 >= body["totalPages"]:
            return pages
    raise AssertionError("unbounded")


def _sb_pages(client: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    pages = []
    body = client.get(path, params=params).raise_for_status().json()
    for _ in range(1000):
        pages.append(body)
        if body["next"] is None:
            return pages
        link = urljoin(str(client.base_url), body["next"])
        assert urlsplit(link).netloc == urlsplit(str(client.base_url)).netloc, link  # same origin
        body = client.get(link).raise_for_status().json()
    raise AssertionError("unbounded")


@pytest.mark.parametrize("size", [1, 3, 20, 100])
def test_fourthwall_products_each_once(clients: tuple[httpx.Client, httpx.Client], sandbox: Sandbox, size: int) -> None:
    fw, _ = clients
    pages = _fw_pages(fw, f"{FW}/products", size)
    ids = [offer["id"] for page in pages for offer in page["results"]]
    assert ids == [p.id for p in sandbox.shop.fourthwall_products]
    total = len(sandbox.shop.fourthwall_products)
    assert all(p["total"] == total and p["size"] == size and p["totalPages"] == math.ceil(total / size) for p in pages)
    assert [p["page"] for p in pages] == list(range(len(pages)))


def test_fourthwall_page_size_is_capped_and_beyond_the_end_is_empty(
    clients: tuple[httpx.Client, httpx.Client], sandbox: Sandbox
) -> None:
    fw, _ = clients
    body = fw.get(f"{FW}/products", params={"size": 10_000}).json()
    assert body["size"] == FOURTHWALL_MAX_PAGE_SIZE
    assert fw.get(f"{FW}/products").json()["size"] == 20  # the spec's default
    past = fw.get(f"{FW}/products", params={"page": 99, "size": 5}).json()
    assert past["results"] == [] and past["page"] == 99


@pytest.mark.parametrize("size", [1, 4, 100])
def test_fourthwall_orders_each_once_newest_first(
    clients: tuple[httpx.Client, httpx.Client], sandbox: Sandbox, size: int
) -> None:
    fw, _ = clients
    orders = [o for page in _fw_pages(fw, f"{FW}/order", size) for o in page["results"]]
    assert [o["id"] for o in orders] == [o.id for o in sandbox.shop.fourthwall_orders]
    created = [o["createdAt"] for o in orders]
    assert created == sorted(created, reverse=True)


def test_fourthwall_order_filters(clients: tuple[httpx.Client, httpx.Client], sandbox: Sandbox) -> None:
    fw, _ = clients
    everything = [o for page in _fw_pages(fw, f"{FW}/order", 100) for o in page["results"]]
    cut = sorted(o["createdAt"] for o in everything)[len(everything) // 2]
    later = [o for page in _fw_pages(fw, f"{FW}/order", 100, **{"createdAt[gt]": cut}) for o in page["results"]]
    assert later and all(o["createdAt"] > cut for o in later)
    assert len(later) == sum(o["createdAt"] > cut for o in everything)
    shipped = [
        o for page in _fw_pages(fw, f"{FW}/order", 100, status=["SHIPPED", "DELIVERED"]) for o in page["results"]
    ]
    assert {o["status"] for o in shipped} <= {"SHIPPED", "DELIVERED"}
    assert len(shipped) == sum(o["status"] in ("SHIPPED", "DELIVERED") for o in everything)
    assert fw.get(f"{FW}/order", params={"status": "LOST_IN_SPACE"}).status_code == 400


def test_fourthwall_inventory_pages(clients: tuple[httpx.Client, httpx.Client], sandbox: Sandbox) -> None:
    fw, _ = clients
    product = max(sandbox.shop.fourthwall_products, key=lambda p: len(p.variants))
    rows = [r for page in _fw_pages(fw, f"{FW}/products/{product.id}/inventory", 2) for r in page["results"]]
    assert [(r["variantId"], r["quantity"]) for r in rows] == [
        (v.id, v.in_stock) for v in product.variants if v.in_stock is not None
    ]


@pytest.mark.parametrize("path", ["inventory-level", "inventory-level/locations", "inventory-level/lots", "inventory"])
@pytest.mark.parametrize("size", [1, 7, 250])
def test_shipbob_inventory_each_once(
    clients: tuple[httpx.Client, httpx.Client], sandbox: Sandbox, path: str, size: int
) -> None:
    _, shipbob = clients
    pages = _sb_pages(shipbob, f"{SB}/{path}", PageSize=size)
    ids = [item["inventory_id"] for page in pages for item in page["items"]]
    assert ids == [item.inventory_id for item in sandbox.shop.shipbob_items]
    assert all(len(page["items"]) <= size for page in pages)
    # first/last/prev are consistent links too
    assert pages[0]["prev"] is None and pages[-1]["next"] is None
    assert shipbob.get(pages[-1]["last"]).json()["items"] == pages[-1]["items"]
    assert shipbob.get(pages[-1]["first"]).json()["items"] == pages[0]["items"]
    if len(pages) > 1:
        assert shipbob.get(pages[1]["prev"]).json()["items"] == pages[0]["items"]


def test_shipbob_links_keep_the_filters(clients: tuple[httpx.Client, httpx.Client], sandbox: Sandbox) -> None:
    _, shipbob = clients
    pages = _sb_pages(shipbob, f"{SB}/inventory-level", PageSize=2, SearchBy="tee")
    found = [(item["sku"] + " " + item["name"]).lower() for page in pages for item in page["items"]]
    assert found and all("tee" in text for text in found)
    assert len(found) == sum("tee" in i.sku.lower() or "tee" in i.name.lower() for i in sandbox.shop.shipbob_items)
    next_link = pages[0]["next"]
    assert next_link.startswith(f"{SB}/inventory-level?")
    assert parse_qs(urlsplit(next_link).query)["SearchBy"] == ["tee"]


@pytest.mark.parametrize("size", [1, 5, 250])
def test_shipbob_products_each_once(clients: tuple[httpx.Client, httpx.Client], sandbox: Sandbox, size: int) -> None:
    _, shipbob = clients
    products = [p for page in _sb_pages(shipbob, f"{SB}/product", PageSize=size) for p in page["items"]]
    assert [p["id"] for p in products] == [p.id for p in sandbox.shop.shipbob_products]
    variants = [v for p in products for v in p["variants"]]
    assert sorted(v["inventory"]["inventory_id"] for v in variants) == sorted(
        i.inventory_id for i in sandbox.shop.shipbob_items
    )


@pytest.mark.parametrize("limit", [1, 3, 250])
def test_shipbob_orders_page_limit_and_headers(
    clients: tuple[httpx.Client, httpx.Client], sandbox: Sandbox, limit: int
) -> None:
    _, shipbob = clients
    seen: list[int] = []
    url: str | None = f"{SB}/order?Limit={limit}"
    for page in range(1, 1000):
        assert url is not None
        response = shipbob.get(url).raise_for_status()
        assert response.headers["Page-Number"] == str(page)
        assert response.headers["Page-Size"] == str(limit)
        assert response.headers["Total-Count"] == str(len(sandbox.shop.shipbob_orders))
        seen += [o["id"] for o in response.json()]
        url = response.headers.get("Next-Page")
        if url is None:
            break
        assert url.startswith(f"{SB}/order?")
    assert sorted(seen) == sorted(o.id for o in sandbox.shop.shipbob_orders)
    assert len(seen) == len(set(seen))
    assert shipbob.get(f"{SB}/order", params={"Limit": SHIPBOB_MAX_PAGE_SIZE + 1}).status_code == 400


def test_shipbob_order_filters(clients: tuple[httpx.Client, httpx.Client], sandbox: Sandbox) -> None:
    _, shipbob = clients
    orders = sandbox.shop.shipbob_orders
    some = [orders[0].id, orders[-1].id]
    by_id = shipbob.get(f"{SB}/order", params={"IDs": ",".join(map(str, some))}).json()
    assert sorted(o["id"] for o in by_id) == sorted(some)
    by_ref = shipbob.get(f"{SB}/order", params={"ReferenceIds": orders[1].reference_id}).json()
    assert [o["id"] for o in by_ref] == [orders[1].id]
    oldest = shipbob.get(f"{SB}/order", params={"SortOrder": "Oldest", "Limit": 250}).json()
    assert [o["id"] for o in oldest] == [o.id for o in orders]


@pytest.mark.parametrize(("path", "count"), [("channel", 3), ("webhook", 5)])
@pytest.mark.parametrize("size", [1, 2, 250])
def test_shipbob_cursor_lists(clients: tuple[httpx.Client, httpx.Client], path: str, count: int, size: int) -> None:
    _, shipbob = clients
    pages = _sb_pages(shipbob, f"{SB}/{path}", RecordsPerPage=size)
    ids = [item["id"] for page in pages for item in page["items"]]
    assert len(ids) == len(set(ids)) == count
    assert all("Cursor=" in page["next"] for page in pages[:-1])


def test_requests_needed_at_the_largest_page_sizes() -> None:
    """What a reconciliation of a 2,000-SKU shop costs, counted at the servers."""
    with Sandbox.start(seed=7, skus=2000) as sb:
        fw = httpx.Client(base_url=sb.fourthwall_url, auth=sb.fourthwall_credentials)
        shipbob = httpx.Client(base_url=sb.shipbob_url, headers={"Authorization": f"Bearer {sb.shipbob_token}"})
        with fw, shipbob:
            _fw_pages(fw, f"{FW}/products", FOURTHWALL_MAX_PAGE_SIZE)
            _sb_pages(shipbob, f"{SB}/inventory-level", PageSize=SHIPBOB_MAX_PAGE_SIZE)
        products, items = len(sb.shop.fourthwall_products), len(sb.shop.shipbob_items)
        assert sb.requests.count(vendor="fourthwall", path=f"{FW}/products") == math.ceil(products / 100)
        assert sb.requests.count(vendor="shipbob", path=f"{SB}/inventory-level") == math.ceil(items / 250)
        assert sb.requests.count(status=200) == len(sb.requests)


def test_fourthwall_page_size_cap_is_a_setting() -> None:
    with (
        Sandbox.start(seed=7, skus=300, fourthwall_max_page_size=250) as sb,
        httpx.Client(base_url=sb.fourthwall_url, auth=sb.fourthwall_credentials) as fw,
    ):
        assert fw.get(f"{FW}/products", params={"size": 1000}).json()["size"] == 250
