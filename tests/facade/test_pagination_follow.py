"""Following ShipBob `next` URLs through the client's call path: auth sent, errors typed, other origins refused."""

from __future__ import annotations

import asyncio
from typing import Any

import attrs
import httpx
import pytest
from shipbob_client.models.inventory_view_model import InventoryViewModel

from facade import AsyncShipBob, NotFoundError, PaginationError, ResponseValidationError, ShipBob
from facade._follow import afollow_next, follow_next
from facade._page_schemes import apaginate_shipbob_cursor, paginate_shipbob_cursor
from tests.fixtures.inventory import shipbob_item

BASE = "http://127.0.0.1:9"
FIRST = "/2025-07/inventory"


@attrs.define
class InventoryPage:
    """Shaped like the generated model of ShipBob's `{items, next, prev}` body."""

    items: list[InventoryViewModel]
    next: str | None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InventoryPage:
        return cls(items=[InventoryViewModel.from_dict(item) for item in data["items"]], next=data.get("next"))


class CursorServer:
    """Three pages chained by `next`; records (cursor, Authorization) per request."""

    def __init__(self, *, broken_cursor: str | None = None, missing_cursor: str | None = None) -> None:
        self.seen: list[tuple[str, str | None]] = []
        self.broken_cursor = broken_cursor
        self.missing_cursor = missing_cursor

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url.path == FIRST
        cursor = request.url.params.get("cursor", "1")
        self.seen.append((cursor, request.headers.get("authorization")))
        if cursor == self.broken_cursor:
            return httpx.Response(200, content=b'{"items": [', headers={"content-type": "application/json"})
        if cursor == self.missing_cursor:
            return httpx.Response(404, json={"title": "Not Found", "status": 404})
        n = int(cursor)
        following = f"{FIRST}?cursor={n + 1}" if n < 3 else None
        return httpx.Response(200, json={"items": [shipbob_item(n * 10 + i) for i in range(2)], "next": following})


def _shipbob(server: CursorServer) -> ShipBob:
    return ShipBob(token="pat-1", base_url=BASE, transport=httpx.MockTransport(server), max_retries=0, rate_limit=None)


def _items(sb: ShipBob) -> list[InventoryViewModel]:
    follow = follow_next(InventoryPage.from_dict)

    def fetch(url: str | None) -> InventoryPage:
        page = sb._call("list_inventory", follow, url or FIRST, ids={}).parsed
        assert page is not None
        return page

    return list(paginate_shipbob_cursor(fetch, origin=sb.config.base_url))


def test_follows_every_next_url_with_the_clients_auth() -> None:
    server = CursorServer()

    with _shipbob(server) as sb:
        items = _items(sb)

    assert [item.id for item in items] == [10, 11, 20, 21, 30, 31]
    assert server.seen == [("1", "Bearer pat-1"), ("2", "Bearer pat-1"), ("3", "Bearer pat-1")]


@pytest.mark.parametrize(
    ("server", "error"),
    [(CursorServer(missing_cursor="2"), NotFoundError), (CursorServer(broken_cursor="3"), ResponseValidationError)],
)
def test_a_failing_followed_page_is_a_typed_error(server: CursorServer, error: type[Exception]) -> None:
    with _shipbob(server) as sb, pytest.raises(error):
        _items(sb)


def test_a_url_on_another_origin_is_refused_before_any_request() -> None:
    server = CursorServer()

    with _shipbob(server) as sb, pytest.raises(PaginationError) as caught:
        follow_next(InventoryPage.from_dict)("https://elsewhere.invalid/2025-07/inventory", client=sb.generated)

    assert caught.value.reason == "foreign_next"
    assert server.seen == []


def test_async_twin_follows_the_same_chain() -> None:
    server = CursorServer()
    follow = afollow_next(InventoryPage.from_dict)

    async def run() -> list[InventoryViewModel]:
        async with AsyncShipBob(
            token="pat-1", base_url=BASE, transport=httpx.MockTransport(server), max_retries=0, rate_limit=None
        ) as sb:

            async def fetch(url: str | None) -> InventoryPage:
                page = (await sb._acall("list_inventory", follow, url or FIRST, ids={})).parsed
                assert page is not None
                return page

            return [item async for item in apaginate_shipbob_cursor(fetch, origin=sb.config.base_url)]

    assert [item.id for item in asyncio.run(run())] == [10, 11, 20, 21, 30, 31]
    assert [cursor for cursor, _ in server.seen] == ["1", "2", "3"]
