"""A listing cut short makes reconcile raise the listing's typed error: never a report built from partial data.

The clients talk to the sandbox through an `httpx.MockTransport` that forwards every request and spoils one:
a 5xx that outlasts the retries, a page served again in place of the next one, a page count that changes.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from facade import AsyncFourthwall, AsyncShipBob, Fourthwall, ShipBob
from facade.errors import FacadeError, PaginationError, ServerError
from facade.reconcile import Reconciliation, areconcile, reconcile
from facade.sandbox import Sandbox

Spoil = Callable[[httpx.Request, Callable[[httpx.Request], httpx.Response]], httpx.Response | None]


@pytest.fixture(scope="module")
def shop() -> Iterator[Sandbox]:
    # Big enough for two Fourthwall pages (100 offers each) and three ShipBob inventory pages (250 items each).
    with Sandbox.start(seed=5, skus=700) as running:
        assert len(running.shop.fourthwall_products) > 100 and len(running.shop.shipbob_items) > 500
        yield running


def _transport(spoil: Spoil) -> httpx.MockTransport:
    upstream = httpx.Client(transport=httpx.HTTPTransport())

    def forward(request: httpx.Request) -> httpx.Response:
        sent = upstream.send(httpx.Request(request.method, request.url, headers=request.headers))
        return httpx.Response(sent.status_code, headers=sent.headers, content=sent.read())

    def handle(request: httpx.Request) -> httpx.Response:
        return spoil(request, forward) or forward(request)

    return httpx.MockTransport(handle)


def _page(request: httpx.Request) -> int:
    return int(request.url.params.get("page", "0"))


def fw_server_error(request: httpx.Request, forward: Any) -> httpx.Response | None:
    if request.url.path.endswith("/products") and _page(request) == 1:
        return httpx.Response(503, json={"code": "UNAVAILABLE"})
    return None


def fw_repeated_page(request: httpx.Request, forward: Any) -> httpx.Response | None:
    if request.url.path.endswith("/products") and _page(request) == 1:
        first = httpx.Request(request.method, request.url.copy_set_param("page", "0"), headers=request.headers)
        return forward(first)  # type: ignore[no-any-return]
    return None


def fw_page_count_changed(request: httpx.Request, forward: Any) -> httpx.Response | None:
    if request.url.path.endswith("/products") and _page(request) == 1:
        body = json.loads(forward(request).content)
        body["totalPages"] += 1
        body["total"] += 100
        return httpx.Response(200, json=body)
    return None


class SecondInventoryPageFails:
    """ShipBob's inventory totals: the first page is served, the second answers 500 (after the first items)."""

    def __init__(self) -> None:
        self.seen = 0

    def __call__(self, request: httpx.Request, forward: Any) -> httpx.Response | None:
        if request.url.path == "/2026-01/inventory-level" and "InventoryIds" not in request.url.params:
            self.seen += 1
            if self.seen >= 2:
                return httpx.Response(500, json={"title": "Internal Server Error", "status": 500})
        return None


def sb_catalog_server_error(request: httpx.Request, forward: Any) -> httpx.Response | None:
    if request.url.path == "/2026-01/product":
        return httpx.Response(502, text="bad gateway")
    return None


CASES = [
    pytest.param(lambda: fw_server_error, "fourthwall", ServerError, None, id="fourthwall-5xx-after-retries"),
    pytest.param(
        lambda: fw_repeated_page, "fourthwall", PaginationError, ("repeated_page", "wrong_page"), id="repeated"
    ),
    pytest.param(
        lambda: fw_page_count_changed, "fourthwall", PaginationError, ("page_count_changed",), id="count-changed"
    ),
    pytest.param(SecondInventoryPageFails, "shipbob", ServerError, None, id="shipbob-5xx-mid-listing"),
    pytest.param(lambda: sb_catalog_server_error, "shipbob", ServerError, None, id="shipbob-catalog-5xx"),
]


def _clients(sandbox: Sandbox, vendor: str, spoil: Spoil, *, sync: bool) -> tuple[Any, Any]:
    env = sandbox.environ()
    options: dict[str, Any] = {"environ": env, "rate_limit": None, "max_retries": 1}
    fw_cls, sb_cls = (Fourthwall, ShipBob) if sync else (AsyncFourthwall, AsyncShipBob)
    fw_extra: dict[str, Any] = {"transport": _transport(spoil)} if vendor == "fourthwall" else {}
    sb_extra: dict[str, Any] = {"transport": _transport(spoil)} if vendor == "shipbob" else {}
    return fw_cls.from_env(**options, **fw_extra), sb_cls.from_env(**options, **sb_extra)


@pytest.mark.parametrize(("spoil", "vendor", "error", "reasons"), CASES)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_listing_cut_short_raises_its_typed_error_and_no_report(
    shop: Sandbox,
    mode: str,
    spoil: Callable[[], Spoil],
    vendor: str,
    error: type[FacadeError],
    reasons: tuple[str, ...] | None,
) -> None:
    spoiler = spoil()
    fw, sb = _clients(shop, vendor, spoiler, sync=mode == "sync")
    report: Reconciliation | None = None
    with pytest.raises(error) as caught:
        if mode == "sync":
            with fw, sb:
                report = reconcile(fw, sb)
        else:

            async def run() -> Reconciliation:
                async with fw, sb:
                    return await areconcile(fw, sb)

            report = asyncio.run(run())
    assert report is None
    if reasons is not None:
        assert isinstance(caught.value, PaginationError) and caught.value.reason in reasons
    notes = " ".join(getattr(caught.value, "__notes__", []))
    assert f"while reading the {vendor}" in notes  # the error says which listing was cut
    if isinstance(spoiler, SecondInventoryPageFails):
        assert spoiler.seen == 3  # the first page was served; the second failed twice (max_retries=1)
