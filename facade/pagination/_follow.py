"""Follow a `next` page URL through a client's own call path (auth, retries, rate limit, typed errors).

Generated operations build their own URL, so they cannot fetch the `next` URL of ShipBob's `{items, next, ...}`
bodies. `follow_next` and `afollow_next` make an operation-shaped function that GETs a URL with the generated
client's httpx client and parses the body with a generated model's `from_dict`; hand it to the facade's
`_call`/`_acall` like any generated `*_detailed` function. URLs are resolved against the client's base URL; one
that leaves it (another scheme, host or port) is refused before any request, as it would receive our credentials.

Example::

    follow = follow_next(InventoryPage.from_dict)

    def fetch(url: str | None) -> InventoryPage:
        if url is None:
            return sb._call("list_inventory", list_inventory.sync_detailed).parsed
        return sb._call("list_inventory", follow, url).parsed

    for item in paginate_shipbob_cursor(fetch, origin=sb.config.base_url): ...
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, Generic, Protocol, TypeVar

import attrs
import httpx

from ..errors import PaginationError

__all__ = ["FollowedPage", "afollow_next", "follow_next"]

B = TypeVar("B")


class _SyncGenerated(Protocol):
    def get_httpx_client(self) -> httpx.Client: ...


class _AsyncGenerated(Protocol):
    def get_async_httpx_client(self) -> httpx.AsyncClient: ...


@attrs.frozen(kw_only=True)
class FollowedPage(Generic[B]):
    """One followed page, shaped like a generated `Response` (status, content, headers, parsed body).

    Example::

        page = follow_next(Model.from_dict)("/2025-07/inventory?cursor=abc", client=sb.generated)
    """

    status_code: HTTPStatus
    content: bytes = attrs.field(repr=False)
    headers: httpx.Headers
    parsed: B | None


def follow_next(parse: Callable[[Any], B]) -> Callable[..., FollowedPage[B]]:
    """A `sync_detailed`-shaped function `(url, *, client)` that GETs `url` and parses 2xx JSON with `parse`.

    Example::

        result = sb._call("list_inventory", follow_next(InventoryPage.from_dict), next_url)
    """

    def sync_detailed(url: str, *, client: _SyncGenerated) -> FollowedPage[B]:
        http = client.get_httpx_client()
        return _parsed(http.get(_same_origin(http.base_url, url)), parse)

    return sync_detailed


def afollow_next(parse: Callable[[Any], B]) -> Callable[..., Awaitable[FollowedPage[B]]]:
    """The async twin of `follow_next`: an `asyncio_detailed`-shaped function.

    Example::

        result = await sb._acall("list_inventory", afollow_next(InventoryPage.from_dict), next_url)
    """

    async def asyncio_detailed(url: str, *, client: _AsyncGenerated) -> FollowedPage[B]:
        http = client.get_async_httpx_client()
        return _parsed(await http.get(_same_origin(http.base_url, url)), parse)

    return asyncio_detailed


def _same_origin(base: httpx.URL, url: str) -> str:
    target = base.join(url)
    if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
        raise PaginationError(
            f"next page URL {url!r} leaves {str(base)!r}", reason="foreign_next", label="follow next page", pages=0
        )
    return str(target)


def _parsed(response: httpx.Response, parse: Callable[[Any], B]) -> FollowedPage[B]:
    # Like the generated parsers: only a success is parsed; the call path turns other statuses into errors,
    # and a non-standard status (520) into a ValueError here that it maps the same way.
    return FollowedPage(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parse(response.json()) if response.is_success else None,
    )
