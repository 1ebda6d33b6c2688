"""Paginators over real generated operations (httpx.MockTransport): every page once, in order, lazily, guarded."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import httpx
import pytest
from fourthwall_client import AuthenticatedClient as FourthwallClient
from fourthwall_client.api.products_offers import get_product_inventory
from fourthwall_client.models.stock import Stock
from fourthwall_client.models.stock_page import StockPage
from shipbob_client.models.inventory_view_model import InventoryViewModel
from shipbob_client.types import UNSET, Unset

from facade._errors import FacadeError
from facade._page_schemes import (
    apaginate_fourthwall,
    apaginate_shipbob_cursor,
    apaginate_shipbob_pages,
    paginate_fourthwall,
    paginate_shipbob_cursor,
    paginate_shipbob_pages,
    shipbob_header_page,
)
from facade._pagination import Page, PageInfo, PaginationError, Paginator
from tests.fixtures.inventory import FourthwallInventoryServer, shipbob_item, variant_id

BASE = "http://127.0.0.1:9"


def _fourthwall(server: FourthwallInventoryServer) -> FourthwallClient:
    return FourthwallClient(base_url=BASE, token="t", httpx_args={"transport": httpx.MockTransport(server)})


def _async_fourthwall(server: FourthwallInventoryServer) -> FourthwallClient:
    client = _fourthwall(server)
    client.set_async_httpx_client(httpx.AsyncClient(base_url=BASE, transport=httpx.MockTransport(server)))
    return client


def _stocks(client: FourthwallClient, product_id: str, **options: Any) -> Any:
    def fetch(page: int, size: int) -> StockPage:
        body = get_product_inventory.sync(product_id, client=client, page=page, size=size)
        assert isinstance(body, StockPage)
        return body

    return paginate_fourthwall(fetch, **options)


def test_fourthwall_three_pages_yield_45_in_order_fetching_each_page_once() -> None:
    server = FourthwallInventoryServer({"p": 45})

    stocks = list(_stocks(_fourthwall(server), "p", size=20))

    assert [str(s.variant_id) for s in stocks] == [variant_id(i) for i in range(45)]
    assert server.requests == [("p", 0, 20), ("p", 1, 20), ("p", 2, 20)]


def test_fourthwall_async_twin_yields_the_same() -> None:
    server = FourthwallInventoryServer({"p": 45})
    client = _async_fourthwall(server)

    async def fetch(page: int, size: int) -> StockPage:
        body = await get_product_inventory.asyncio("p", client=client, page=page, size=size)
        assert isinstance(body, StockPage)
        return body

    async def collect() -> list[Stock]:
        return [stock async for stock in apaginate_fourthwall(fetch, size=20)]

    stocks = asyncio.run(collect())

    assert [str(s.variant_id) for s in stocks] == [variant_id(i) for i in range(45)]
    assert server.pages_of("p") == [0, 1, 2]


def test_fourthwall_pages_are_fetched_only_when_reached() -> None:
    server = FourthwallInventoryServer({"p": 45})
    items = iter(_stocks(_fourthwall(server), "p", size=20))

    for _ in range(20):
        next(items)
    assert server.pages_of("p") == [0]
    next(items)
    assert server.pages_of("p") == [0, 1]


def test_fourthwall_page_level_iteration_reports_server_metadata() -> None:
    server = FourthwallInventoryServer({"p": 45})

    pages = list(_stocks(_fourthwall(server), "p", size=20).pages())

    assert [(p.number, p.total_pages, p.total, len(p.items)) for p in pages] == [
        (0, 3, 45, 20),
        (1, 3, 45, 20),
        (2, 3, 45, 5),
    ]
    assert [p.next for p in pages] == [PageInfo(number=1, size=20), PageInfo(number=2, size=20), None]


@pytest.mark.parametrize(("total", "requests"), [(0, 1), (20, 1), (21, 2)])
def test_fourthwall_edges_stop_exactly(total: int, requests: int) -> None:
    server = FourthwallInventoryServer({"p": total})

    assert len(list(_stocks(_fourthwall(server), "p", size=20))) == total
    assert len(server.requests) == requests


def test_server_ignoring_the_page_parameter_is_an_error_not_a_loop() -> None:
    server = FourthwallInventoryServer({"p": 45}, ignore_page=True)
    seen: list[Stock] = []

    with pytest.raises(PaginationError, match="asked for page 1, the server returned page 0") as caught:
        seen.extend(
            _stocks(_fourthwall(server), "p", size=20, label="fourthwall inventory of 'p'", ids={"product_id": "p"})
        )

    assert caught.value.reason == "wrong_page"
    assert isinstance(caught.value, FacadeError)
    assert caught.value.ids == {"product_id": "p"}
    assert "fourthwall inventory of 'p'" in str(caught.value)
    assert len(seen) == 20  # the first page once, nothing duplicated
    assert server.pages_of("p") == [0, 1]


def test_same_page_again_without_page_numbers_is_caught_by_content() -> None:
    # A body that does not say which page it is: the repeat is recognised by its items.
    same = Page(items=[1, 2], info=PageInfo(number=0, size=2), next=None)

    def fetch(info: PageInfo) -> Page[int]:
        return attrs.evolve(same, info=info, next=PageInfo(number=(info.number or 0) + 1, size=2))

    with pytest.raises(PaginationError) as caught:
        list(Paginator(fetch, first=PageInfo(number=0, size=2)))

    assert caught.value.reason == "repeated_page"
    assert caught.value.pages == 2


def test_total_pages_changing_midway_is_an_error() -> None:
    server = FourthwallInventoryServer({"p": 45}, total_pages={1: 4})
    seen: list[Stock] = []

    with pytest.raises(PaginationError, match="page count changed from 3 to 4") as caught:
        seen.extend(_stocks(_fourthwall(server), "p", size=20))

    assert caught.value.reason == "page_count_changed"
    assert len(seen) == 20


def test_max_pages_bounds_the_walk_but_allows_exactly_that_many() -> None:
    server = FourthwallInventoryServer({"p": 45})

    assert len(list(_stocks(_fourthwall(server), "p", size=20, max_pages=3))) == 45
    with pytest.raises(PaginationError, match="more than max_pages=2") as caught:
        list(_stocks(_fourthwall(server), "p", size=20, max_pages=2))
    assert caught.value.reason == "too_many_pages"
    assert server.requests[-2:] == [("p", 0, 20), ("p", 1, 20)]


def test_max_pages_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_pages"):
        list(_stocks(_fourthwall(FourthwallInventoryServer({})), "p", max_pages=0))


# ShipBob 1.0: Page/Limit query, one-based, Page-Number/Total-Pages/Next-Page headers.


def _header_server(total: int, *, headers: str = "all", ignore_page: bool = False) -> tuple[list[int], Any]:
    requested: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["Page"])
        limit = int(request.url.params["Limit"])
        requested.append(page)
        served = 1 if ignore_page else page
        pages = -(-total // limit)
        ids = range((served - 1) * limit, min(served * limit, total))
        meta = {"Page-Number": str(served), "Page-Size": str(limit), "Total-Count": str(total)}
        if headers == "all":
            meta["Total-Pages"] = str(pages)
        if served < pages and headers in {"all", "next"}:
            meta["Next-Page"] = f"/1.0/inventory?Page={served + 1}&Limit={limit}"
        if headers == "none":
            meta = {}
        return httpx.Response(200, json=[shipbob_item(i + 1) for i in ids], headers=meta)

    return requested, handle


def _items_and_headers(client: httpx.Client) -> Any:
    def fetch(page: int, limit: int) -> tuple[Sequence[InventoryViewModel], Mapping[str, str]]:
        response = client.get("/1.0/inventory", params={"Page": page, "Limit": limit})
        return [InventoryViewModel.from_dict(item) for item in response.json()], response.headers

    return fetch


@pytest.mark.parametrize("headers", ["all", "next", "none"])
def test_shipbob_page_limit_follows_headers_one_based(headers: str) -> None:
    requested, handle = _header_server(7, headers=headers)
    client = httpx.Client(base_url=BASE, transport=httpx.MockTransport(handle))

    items = list(paginate_shipbob_pages(_items_and_headers(client), limit=3))

    assert [item.id for item in items] == [1, 2, 3, 4, 5, 6, 7]
    assert requested == [1, 2, 3]


def test_shipbob_page_limit_server_ignoring_page_is_an_error() -> None:
    requested, handle = _header_server(7, ignore_page=True)
    client = httpx.Client(base_url=BASE, transport=httpx.MockTransport(handle))

    with pytest.raises(PaginationError) as caught:
        list(paginate_shipbob_pages(_items_and_headers(client), limit=3))

    assert caught.value.reason == "wrong_page"
    assert requested == [1, 2]


def test_shipbob_page_limit_async_twin() -> None:
    requested, handle = _header_server(7)
    client = httpx.AsyncClient(base_url=BASE, transport=httpx.MockTransport(handle))

    async def fetch(page: int, limit: int) -> tuple[Sequence[InventoryViewModel], Mapping[str, str]]:
        response = await client.get("/1.0/inventory", params={"Page": page, "Limit": limit})
        return [InventoryViewModel.from_dict(item) for item in response.json()], response.headers

    async def collect() -> list[InventoryViewModel]:
        return [item async for item in apaginate_shipbob_pages(fetch, limit=3)]

    assert [item.id for item in asyncio.run(collect())] == [1, 2, 3, 4, 5, 6, 7]
    assert requested == [1, 2, 3]


# ShipBob dated versions: body {items, next, prev, first, last}, `next` a URL to follow.


@attrs.define
class InventoryCursorPage:
    """Shaped like the model openapi-python-client generates for ShipBob's cursor body."""

    items: list[InventoryViewModel] | Unset = UNSET
    next: str | Unset | None = UNSET
    prev: str | Unset | None = UNSET

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InventoryCursorPage:
        return cls(
            items=[InventoryViewModel.from_dict(i) for i in data["items"]], next=data.get("next"), prev=data.get("prev")
        )


def _cursor_client(next_of: dict[str, str | None], sizes: dict[str, int]) -> tuple[list[str], httpx.Client]:
    requested: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        key = request.url.params.get("cursor", "start")
        requested.append(key)
        first = sum(size for cursor, size in sizes.items() if list(sizes).index(cursor) < list(sizes).index(key))
        items = [shipbob_item(first + i + 1) for i in range(sizes[key])]
        return httpx.Response(200, json={"items": items, "next": next_of[key], "prev": None})

    return requested, httpx.Client(base_url=BASE, transport=httpx.MockTransport(handle))


def _follow(client: httpx.Client) -> Any:
    def fetch(url: str | None) -> InventoryCursorPage:
        response = client.get(url if url is not None else "/2025-07/inventory")
        return InventoryCursorPage.from_dict(response.json())

    return fetch


def test_shipbob_cursor_follows_next_until_it_is_empty() -> None:
    chain: dict[str, str | None] = {
        "start": "/2025-07/inventory?cursor=b",
        "b": "/2025-07/inventory?cursor=c",
        "c": None,
    }
    requested, client = _cursor_client(chain, {"start": 2, "b": 2, "c": 1})

    items = list(paginate_shipbob_cursor(_follow(client), origin=BASE))

    assert [item.id for item in items] == [1, 2, 3, 4, 5]
    assert requested == ["start", "b", "c"]


def test_shipbob_cursor_next_chain_that_loops_is_an_error() -> None:
    chain: dict[str, str | None] = {
        "start": "/2025-07/inventory?cursor=b",
        "b": "/2025-07/inventory?cursor=c",
        "c": "/2025-07/inventory?cursor=b",
    }
    requested, client = _cursor_client(chain, {"start": 1, "b": 1, "c": 1})

    with pytest.raises(PaginationError, match="already followed") as caught:
        list(paginate_shipbob_cursor(_follow(client)))

    assert caught.value.reason == "next_loop"
    assert requested == ["start", "b", "c"]


def test_shipbob_cursor_endless_fresh_next_urls_stop_at_max_pages() -> None:
    requested: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("n", "0"))
        requested.append(str(n))
        return httpx.Response(200, json={"items": [shipbob_item(n + 1)], "next": f"/2025-07/inventory?n={n + 1}"})

    client = httpx.Client(base_url=BASE, transport=httpx.MockTransport(handle))

    with pytest.raises(PaginationError) as caught:
        list(paginate_shipbob_cursor(_follow(client), max_pages=50))

    assert caught.value.reason == "too_many_pages"
    assert len(requested) == 50


def test_shipbob_cursor_refuses_a_next_url_on_another_origin() -> None:
    chain: dict[str, str | None] = {"start": "https://elsewhere.invalid/2025-07/inventory?cursor=b"}
    requested, client = _cursor_client(chain, {"start": 1})

    with pytest.raises(PaginationError, match="leaves") as caught:
        list(paginate_shipbob_cursor(_follow(client), origin=BASE))

    assert caught.value.reason == "foreign_next"
    assert requested == ["start"]


def test_shipbob_cursor_async_twin() -> None:
    chain: dict[str, str | None] = {"start": "/2025-07/inventory?cursor=b", "b": None}
    requested, sync_client = _cursor_client(chain, {"start": 2, "b": 1})
    client = httpx.AsyncClient(base_url=BASE, transport=httpx.MockTransport(sync_client._transport.handle_request))

    async def fetch(url: str | None) -> InventoryCursorPage:
        response = await client.get(url if url is not None else "/2025-07/inventory")
        return InventoryCursorPage.from_dict(response.json())

    async def collect() -> list[InventoryViewModel]:
        return [item async for item in apaginate_shipbob_cursor(fetch, origin=BASE)]

    assert [item.id for item in asyncio.run(collect())] == [1, 2, 3]
    assert requested == ["start", "b"]


@pytest.mark.parametrize("size", [0, -5])
def test_page_size_must_be_positive(size: int) -> None:
    with pytest.raises(ValueError, match="page size must be at least 1"):
        paginate_fourthwall(lambda page, size: StockPage(results=[]), size=size)
    with pytest.raises(ValueError, match="page size must be at least 1"):
        paginate_shipbob_pages(lambda page, limit: ([], {}), limit=size)


def test_shipbob_header_names_match_in_any_case() -> None:
    page = shipbob_header_page(
        [1, 2], {"page-number": "2", "total-pages": "3", "total-count": "6"}, PageInfo(number=2, size=2)
    )

    assert (page.number, page.total_pages, page.total) == (2, 3, 6)
    assert page.next == PageInfo(number=3, size=2)
