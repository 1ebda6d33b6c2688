"""The httpx clients a vendor client owns (facade/core/_http.py): a response that has been read holds no reference
cycle, so it and its body are freed when the last reference goes, without waiting for the cyclic collector.

Each test runs with the collector off: on plain httpx clients the responses stay alive (httpx binds each response
to a stream that points back at it), so these tests fail there."""

from __future__ import annotations

import gc
import json
import weakref
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fourthwall_client.api.products_offers import get_product_inventory

from facade.core._http import AsyncVendorHttpClient, VendorHttpClient
from tests.support.drivers import FOURTHWALL_PROBE_PAGE, Mode, client_driven

MODES: list[Mode] = ["sync", "async"]
BODY = b"x" * 100_000  # a page-sized body: what a cycle would keep alive


@pytest.fixture
def no_collector() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _redirecting(request: httpx.Request) -> httpx.Response:
    # Bodies as streams, as a network transport hands them over (a `content=` body would count as read already).
    if request.url.path == "/a":
        return httpx.Response(302, headers={"Location": "/b"}, stream=httpx.ByteStream(b""))
    return httpx.Response(200, stream=httpx.ByteStream(BODY))


@pytest.mark.usefixtures("no_collector")
def test_a_read_response_and_its_redirect_are_freed_by_reference_counting() -> None:
    with VendorHttpClient(base_url="http://vendor.test", transport=httpx.MockTransport(_redirecting)) as http:
        response = http.get("/a", follow_redirects=True)
        assert response.content == BODY
        assert response.elapsed.total_seconds() >= 0 and [r.status_code for r in response.history] == [302]
        assert list(response.iter_bytes()) == [BODY]  # the body is still there to read again
        final, hop = weakref.ref(response), weakref.ref(response.history[0])
        del response
        assert final() is None and hop() is None


@pytest.mark.usefixtures("no_collector")
def test_an_async_read_response_is_freed_by_reference_counting() -> None:
    import anyio

    async def main() -> weakref.ref[httpx.Response]:
        transport = httpx.MockTransport(_redirecting)
        async with AsyncVendorHttpClient(base_url="http://vendor.test", transport=transport) as http:
            response = await http.get("/a", follow_redirects=True)
            assert response.content == BODY and len(response.history) == 1
            return weakref.ref(response)

    assert anyio.run(main)() is None


@pytest.mark.usefixtures("no_collector")
def test_a_streamed_response_keeps_its_stream_until_read() -> None:
    with (
        VendorHttpClient(base_url="http://vendor.test", transport=httpx.MockTransport(_redirecting)) as http,
        http.stream("GET", "/b") as response,
    ):
        assert not response.is_closed
        assert b"".join(response.iter_raw()) == BODY  # the stream is the response's own until it is read
    assert response.is_closed and response.elapsed.total_seconds() >= 0


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.usefixtures("no_collector")
def test_a_facade_call_leaves_no_response_alive(mode: Mode, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[weakref.ref[httpx.Response]] = []  # every response httpx's own `send` made for the facade's client

    def recording(send: Any, asynchronous: bool) -> Any:
        def sync_send(self: Any, *args: Any, **kwargs: Any) -> httpx.Response:
            response: httpx.Response = send(self, *args, **kwargs)
            sent.append(weakref.ref(response))
            return response

        async def async_send(self: Any, *args: Any, **kwargs: Any) -> httpx.Response:
            response: httpx.Response = await send(self, *args, **kwargs)
            sent.append(weakref.ref(response))
            return response

        return async_send if asynchronous else sync_send

    monkeypatch.setattr(httpx.Client, "send", recording(httpx.Client.send, asynchronous=False))
    monkeypatch.setattr(httpx.AsyncClient, "send", recording(httpx.AsyncClient.send, asynchronous=True))

    def vendor(request: httpx.Request) -> httpx.Response:
        body = json.dumps(FOURTHWALL_PROBE_PAGE).encode()
        return httpx.Response(200, headers={"Content-Type": "application/json"}, stream=httpx.ByteStream(body))

    options: dict[str, Any] = {"auth": "t", "max_retries": 0, "transport": httpx.MockTransport(vendor)}
    with client_driven("fourthwall", mode, base_url="https://vendor.test", **options) as fourthwall:
        page = fourthwall.call(get_product_inventory, "prod-1")
        assert page.total == 1 and len(sent) == 1
        assert sent[0]() is None  # the call returned: nothing keeps the response or its body
