"""The call path's bounds (issue 18): response-size cap, total deadline, redirect loops, closed clients, and the
shared checks (``same_origin``, one number check raising ``ConfigurationError``)."""

from __future__ import annotations

import asyncio
import gzip
from typing import Any

import pytest
from fourthwall_client.api.shop import get_current_shop

from facade import AsyncFourthwall, Fourthwall, RateLimit, RetryPolicy
from facade.config import ClientConfig, check_number, is_path, same_origin
from facade.errors import (
    APIConnectionError,
    APITimeoutError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ResponseTooLargeError,
)
from tests.support.local_http import LocalServer, Reply

FAST = RetryPolicy(max_retries=2, backoff_initial=0.001, backoff_max=0.002, backoff_jitter=0.0)


def call_once(mode: str, server: LocalServer, **options: Any) -> None:
    options = {"base_url": server.url, "rate_limit": None, "max_retries": 0, **options}
    if mode == "sync":
        with Fourthwall(auth="tok-limits-123456", **options) as fw:
            fw.call(get_current_shop.sync_detailed)
        return

    async def main() -> None:
        async with AsyncFourthwall(auth="tok-limits-123456", **options) as fw:
            await fw.call(get_current_shop.asyncio_detailed)

    asyncio.run(asyncio.wait_for(main(), 20))


MODES = pytest.mark.parametrize("mode", ["sync", "async"])


@MODES
def test_a_body_above_the_cap_is_a_typed_error(mode: str) -> None:
    """Old behaviour: any body was buffered whole (a 200 MB body took RSS from 29 to 649 MB); no cap existed."""
    with (
        LocalServer(lambda seen: Reply(200, b"x" * (2 << 20))) as server,
        pytest.raises(ResponseTooLargeError) as caught,
    ):
        call_once(mode, server, max_response_bytes=1 << 20)
    assert caught.value.limit == 1 << 20
    assert caught.value.operation == "get_current_shop"


@MODES
def test_a_gzip_bomb_stops_at_the_cap_of_decoded_bytes(mode: str) -> None:
    """Old behaviour: httpx inflated a gzip bomb whole in memory; the cap counts decoded bytes."""
    bomb = gzip.compress(b"\0" * (64 << 20))  # 64 MiB of zeros in about 64 KB
    assert len(bomb) < 1 << 20
    with (
        LocalServer(lambda seen: Reply(200, bomb, headers={"Content-Encoding": "gzip"})) as server,
        pytest.raises(ResponseTooLargeError),
    ):
        call_once(mode, server, max_response_bytes=1 << 20)


@MODES
def test_a_gzip_body_under_the_cap_is_decoded_as_before(mode: str) -> None:
    """The wrapper inflates gzip itself; the error mapping must still see the decoded vendor body."""
    body = gzip.compress(b'{"code": "SHOP_NOT_FOUND"}')
    with (
        LocalServer(lambda seen: Reply(400, body, headers={"Content-Encoding": "gzip"})) as server,
        pytest.raises(BadRequestError) as caught,
    ):
        call_once(mode, server)
    assert caught.value.code == "SHOP_NOT_FOUND"


@MODES
def test_a_slow_drip_is_cut_off_by_the_deadline(mode: str) -> None:
    """Old behaviour: timeout=2.0 is per read, so a body trickling 1 byte per 0.3 s was read to the end (no
    total bound existed); with deadline=1.0 the attempt fails with APITimeoutError."""
    with (
        LocalServer(lambda seen: Reply(400, b'{"code": "' + b"d" * 60 + b'"}', drip=0.3)) as server,
        pytest.raises(APITimeoutError),
    ):
        call_once(mode, server, timeout=2.0, deadline=1.0)


_STOCK_PAGE = {
    "results": [
        {
            "variantId": "6f1f7c2e-1b9a-4f3e-9d1c-2a3b4c5d6e7f",
            "quantity": 3,
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-02T00:00:00Z",
        }
    ],
    "total": 1,
    "page": 0,
    "size": 100,
    "totalPages": 1,
}


@MODES
def test_the_deadline_starts_when_the_rate_limit_grants_the_slot(mode: str) -> None:
    """Old behaviour: the budget sat inside the deadline, so a call that waited 2 s for its slot (budget 1 per
    2 s) was past deadline=1.0 before it was sent and failed APITimeoutError although the server answered at once."""
    options: dict[str, Any] = {"rate_limit": RateLimit(requests=1, per_seconds=2.0), "deadline": 1.0, "max_retries": 0}
    with LocalServer(lambda seen: Reply(200, _STOCK_PAGE)) as server:
        options["base_url"] = server.url
        if mode == "sync":
            with Fourthwall(auth="tok-limits-123456", **options) as fw:
                answers = [fw.inventory("p1"), fw.inventory("p2")]
        else:

            async def main() -> list[Any]:
                async with AsyncFourthwall(auth="tok-limits-123456", **options) as fw:
                    return [await fw.inventory("p1"), await fw.inventory("p2")]

            answers = asyncio.run(asyncio.wait_for(main(), 20))
    assert [[level.available for level in levels] for levels in answers] == [[3], [3]]
    assert len(server.requests) == 2


@MODES
def test_a_redirect_loop_is_not_retried(mode: str) -> None:
    """Old behaviour: TooManyRedirects counted as a connection error and was retried (63 requests at
    max_retries=2); it is deterministic, so one attempt (21 requests, httpx's max_redirects=20) is made."""
    with (
        LocalServer(lambda seen: Reply(302, None, headers={"Location": seen.path})) as server,
        pytest.raises(APIConnectionError),
    ):
        call_once(mode, server, retry_policy=FAST, max_retries=2)
    assert len(server.requests) == 21


def test_calls_after_the_with_block_raise_client_closed_error_sync() -> None:
    """Old behaviour (API 1.0 clients): a raw RuntimeError from httpx; now ClientClosedError, nothing sent."""
    with LocalServer(lambda seen: Reply(204)) as server:
        with Fourthwall(auth="tok-closed-123456", base_url=server.url) as fw:
            fw.call(get_current_shop.sync_detailed)
        with pytest.raises(ClientClosedError, match="get_current_shop"):
            fw.call(get_current_shop.sync_detailed)
        assert len(server.requests) == 1


def test_calls_after_the_with_block_raise_client_closed_error_async() -> None:
    """Old behaviour: a raw RuntimeError; now ClientClosedError for the async twin too, nothing sent."""
    with LocalServer(lambda seen: Reply(204)) as server:

        async def main() -> None:
            async with AsyncFourthwall(auth="tok-closed-123456", base_url=server.url) as fw:
                await fw.call(get_current_shop.asyncio_detailed)
            with pytest.raises(ClientClosedError):
                await fw.call(get_current_shop.asyncio_detailed)

        asyncio.run(asyncio.wait_for(main(), 20))
        assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("base", "url", "same"),
    [
        ("https://api.shipbob.com/2.0", "/2.0/order?page=2", True),
        ("https://api.shipbob.com", "https://API.shipbob.com:443/x", True),
        ("https://api.shipbob.com", "http://api.shipbob.com/x", False),
        ("https://api.shipbob.com", "https://api.shipbob.com:8443/x", False),
        ("https://api.shipbob.com", "https://api.shipbob.com.evil.example/x", False),
        ("https://api.shipbob.com", "//evil.example/x", False),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8081/", False),
    ],
)
def test_same_origin_is_scheme_host_and_port(base: str, url: str, same: bool) -> None:
    """The one same-origin rule (it existed twice, comparing netloc strings in one copy: ':443' differed)."""
    assert same_origin(base, url) is same


@pytest.mark.parametrize(
    ("url", "path", "same"),
    [
        ("/2026-01/inventory-level?PageSize=250&cursor=eyJ9", True, True),
        ("//evil.example/x", False, False),
        ("/\\evil.example/x", False, True),  # parsed: httpx keeps the backslash in the path
        ("https://api.shipbob.com/x", False, True),
        ("https://evil.example/x", False, False),
        ("cursor/with/slashes", False, True),
    ],
)
def test_only_path_references_skip_the_origin_parse(url: str, path: bool, same: bool) -> None:
    """``same_origin`` answers a path without parsing (a next link per page); anything else is parsed and compared."""
    assert is_path(url) is path
    assert same_origin("https://api.shipbob.com", url) is same


@pytest.mark.parametrize(
    "build",
    [
        lambda: ClientConfig(base_url="https://x", max_retries=-1),
        lambda: ClientConfig(base_url="https://x", max_response_bytes=0),
        lambda: ClientConfig(base_url="https://x", deadline=0.0),
        lambda: RetryPolicy(backoff_max=-1.0),
        lambda: RetryPolicy(max_retries=True),
        lambda: Fourthwall(auth="t", max_response_bytes=-5),
    ],
)
def test_bad_numbers_are_configuration_errors(build: Any) -> None:
    """Old behaviour: RetryPolicy raised attrs' ValueError, ClientConfig ConfigurationError: one check now."""
    with pytest.raises(ConfigurationError, match="must be a"):
        build()


def test_check_number_names_the_setting() -> None:
    with pytest.raises(ConfigurationError, match=r"page_size must be a whole number > 0, got 0"):
        check_number("page_size", 0, positive=True, integer=True)
    check_number("deadline", 0.5, positive=True)


def test_listing_methods_after_close_raise_client_closed_error() -> None:
    """Listings (``iter_stock``, ``stock``) go through the same call path: closed is a ClientClosedError at the
    first page, sync and async, and nothing is sent."""
    with LocalServer(lambda seen: Reply(204)) as server:
        fw = Fourthwall(auth="tok-closed-123456", base_url=server.url)
        fw.close()
        with pytest.raises(ClientClosedError):
            next(iter(fw.iter_stock()))
        with pytest.raises(ClientClosedError):
            fw.stock()

        async def main() -> None:
            afw = AsyncFourthwall(auth="tok-closed-123456", base_url=server.url)
            await afw.aclose()
            with pytest.raises(ClientClosedError):
                async for _ in afw.iter_stock():
                    pass

        asyncio.run(asyncio.wait_for(main(), 20))
        assert server.requests == []
