"""Follow a `next` page URL through a client's own call path, parsed exactly as the operation parses its answer.

Generated operations build their own URL, so they cannot fetch the `next` URL of ShipBob's `{items, next, ...}`
bodies. `follow_next(module)` / `afollow_next(module)` make `sync_detailed`/`asyncio_detailed`-shaped functions
`(url, *, client)` that GET the URL with the generated client's httpx client (our auth, timeouts, rate limit) and
parse the answer with that operation module's own `_build_response`; the facade runs them through
`_call`/`_acall` like any generated operation (typed errors, retries).

A `next` URL is followed only on the client's origin, by the one rule `facade.config.same_origin` (it would
receive our credentials): the loop's `foreign_next` guard refuses a foreign URL before any request, and the
followers check again at the last moment.

Example::

    follow = follow_next(get_2026_01_inventory_level)  # the module of the listing's operation
    result = sb._call("get_2026_01_inventory_level", follow, "/2026-01/inventory-level?cursor=abc")
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any, Protocol
from urllib.parse import urljoin

import httpx

from ..config import is_path, same_origin
from ..errors import PaginationError

__all__ = ["afollow_next", "follow_next", "is_link"]


class _SyncGenerated(Protocol):
    def get_httpx_client(self) -> httpx.Client: ...


class _AsyncGenerated(Protocol):
    def get_async_httpx_client(self) -> httpx.AsyncClient: ...


def is_link(value: str) -> bool:
    """Whether a `next` value is a link to follow (an absolute URL or a path starting with `/`), not a cursor token.

    ShipBob's cursor tokens are base64 and may hold `/`, so "has a slash" is not the rule.

    Example::

        assert is_link("/2026-01/product?cursor=2") and not is_link("m8cUk/xJkbeYp2")
    """
    if value.startswith("/"):
        return True
    if "://" not in value:
        return False
    try:
        url = httpx.URL(value)
    except httpx.InvalidURL:
        return False
    return bool(url.scheme and url.host)


def follow_next(module: ModuleType) -> Callable[..., Any]:
    """A `sync_detailed`-shaped function `(url, *, client)` that GETs `url`, parsed as `module`'s operation.

    Example::

        result = sb._call("get_2026_01_inventory_level", follow_next(get_2026_01_inventory_level), next_url)
    """
    build: Callable[..., Any] = module._build_response

    def sync_detailed(url: str, *, client: _SyncGenerated) -> Any:
        http = client.get_httpx_client()
        return build(client=client, response=http.get(_checked(http.base_url, url)))

    return sync_detailed


def afollow_next(module: ModuleType) -> Callable[..., Awaitable[Any]]:
    """The async twin of `follow_next`: an `asyncio_detailed`-shaped function.

    Example::

        result = await sb._acall("get_2026_01_inventory_level", afollow_next(module), next_url)
    """
    build: Callable[..., Any] = module._build_response

    async def asyncio_detailed(url: str, *, client: _AsyncGenerated) -> Any:
        http = client.get_async_httpx_client()
        return build(client=client, response=await http.get(_checked(http.base_url, url)))

    return asyncio_detailed


def _checked(base: httpx.URL, url: str) -> str:
    # The loop refuses a foreign URL before asking; this is the same rule again at the last moment. A path is
    # joined here as text: httpx parses the result once, when it builds the request (as for any `get`).
    if is_path(url):
        return urljoin(str(base), url)
    if not same_origin(base, url):
        raise PaginationError(
            f"next page URL {url!r} leaves {str(base)!r}", reason="foreign_next", label="follow next page", pages=0
        )
    return str(base.join(url))
