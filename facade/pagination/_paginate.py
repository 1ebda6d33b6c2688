"""`client.paginate(op, **params)`: every item of any generated list operation, through the client's call path.

`SyncPagination` / `AsyncPagination` are mixins of the vendor clients (`Fourthwall`, `ShipBob` and their async
twins). `paginate` finds the operation's scheme (`._schemes.scheme_for`: raises `InvalidArgumentError` naming an
operation that is not a listing, before any request), then builds a lazy `Paginator`/`AsyncPaginator` whose every
page, the followed `next` links included, runs through the client's `_call`/`_acall`: auth, typed errors, retries
and the rate-limit budget, plus the loop's guards (`._loop`).

Example::

    from fourthwall_client.api.orders import list_orders

    with Fourthwall.from_env() as fw:
        for order in fw.paginate(list_orders.sync_detailed, status=["CONFIRMED"]):
            print(order.id)
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from ..config import ClientConfig
from ..core import CallResult, path_ids
from ..defaults import MAX_PAGES
from ..errors import InvalidArgumentError
from ._follow import afollow_next, follow_next
from ._loop import AsyncPaginator, Page, PageInfo, Paginator
from ._schemes import Scheme, item_key, scheme_for

__all__ = ["AsyncPagination", "SyncPagination"]


class _SyncCaller(Protocol):
    @property
    def config(self) -> ClientConfig: ...

    def _call(
        self,
        operation: str,
        fn: Callable[..., Any],
        /,
        *args: Any,
        ids: Mapping[str, object] | None = None,
        **kwargs: Any,
    ) -> CallResult[Any]: ...


class _AsyncCaller(Protocol):
    @property
    def config(self) -> ClientConfig: ...

    async def _acall(
        self,
        operation: str,
        fn: Callable[..., Awaitable[Any]],
        /,
        *args: Any,
        ids: Mapping[str, object] | None = None,
        **kwargs: Any,
    ) -> CallResult[Any]: ...


class SyncPagination:
    """Adds `paginate` to a sync client (one built on `facade.core.SyncClient`)."""

    def paginate(
        self: _SyncCaller,
        op: Callable[..., Any],
        /,
        *,
        page_size: int | None = None,
        max_pages: int = MAX_PAGES,
        **params: Any,
    ) -> Paginator[Any]:
        """Every item of the generated list operation `op` (a `sync_detailed`), page after page, lazily.

        `params` are the operation's own keyword arguments (filters, path ids); `page_size=None` asks for the
        largest page `facade.defaults` names for the vendor unless `params` sets the size parameter itself.
        `.pages()` on the result yields whole `Page`s.

        Example::

            from shipbob_client.api.orders import get_2026_01_order

            orders = list(sb.paginate(get_2026_01_order.sync_detailed, start_date=since))
        """
        scheme, first, ids = _prepare(op, page_size, params)
        follow = follow_next(scheme.module)

        def fetch(info: PageInfo) -> Page[Any]:
            if info.url is not None:
                result = self._call(scheme.operation, follow, info.url, ids=ids)
            else:
                result = self._call(scheme.operation, op, ids=ids, **scheme.arguments(params, info))
            return scheme.read(result.parsed, result.headers, info)

        return Paginator(
            fetch,
            first=first,
            max_pages=max_pages,
            label=scheme.operation,
            origin=self.config.base_url,
            ids=ids,
            key=item_key,
        )


class AsyncPagination:
    """Adds `paginate` to an async client (one built on `facade.core.AsyncClient`)."""

    def paginate(
        self: _AsyncCaller,
        op: Callable[..., Awaitable[Any]],
        /,
        *,
        page_size: int | None = None,
        max_pages: int = MAX_PAGES,
        **params: Any,
    ) -> AsyncPaginator[Any]:
        """The async twin of `SyncPagination.paginate`: `op` is an `asyncio_detailed`; use `async for`.

        Example::

            async for level in sb.paginate(get_2026_01_inventory_level.asyncio_detailed):
                print(level.sku)
        """
        scheme, first, ids = _prepare(op, page_size, params)
        follow = afollow_next(scheme.module)

        async def fetch(info: PageInfo) -> Page[Any]:
            if info.url is not None:
                result = await self._acall(scheme.operation, follow, info.url, ids=ids)
            else:
                result = await self._acall(scheme.operation, op, ids=ids, **scheme.arguments(params, info))
            return scheme.read(result.parsed, result.headers, info)

        return AsyncPaginator(
            fetch,
            first=first,
            max_pages=max_pages,
            label=scheme.operation,
            origin=self.config.base_url,
            ids=ids,
            key=item_key,
        )


def _prepare(
    op: Callable[..., Any], page_size: int | None, params: Mapping[str, Any]
) -> tuple[Scheme, PageInfo, dict[str, object]]:
    """The scheme, the first page and the listing's ids (checked once here, so no page checks them again); every
    check happens here, before any request."""
    scheme = scheme_for(op)
    accepted = _accepted(op)
    unknown = sorted(set(params) - accepted)
    if unknown:
        raise InvalidArgumentError(
            f"{scheme.operation} takes no parameter {', '.join(unknown)} (it takes: {', '.join(sorted(accepted))}); "
            "no request was sent",
            operation=scheme.operation,
        )
    return scheme, scheme.first(params, page_size), path_ids(scheme.operation, params)


def _accepted(op: Callable[..., Any]) -> frozenset[str]:
    """The keyword parameters of a generated operation, read once per operation (a signature cost ~150 us)."""
    try:
        hash(op)
    except TypeError:  # an unhashable callable object: read it each time
        return _parameters(op)
    return _cached_parameters(op)


def _parameters(op: Callable[..., Any]) -> frozenset[str]:
    return frozenset(inspect.signature(op).parameters) - {"client"}


_cached_parameters = functools.lru_cache(maxsize=1024)(_parameters)
