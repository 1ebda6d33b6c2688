"""The task methods both vendors' clients share, written once: a listing mapped to values (``iter_stock``,
``iter_catalog``), the list forms ``stock()`` / ``catalog()``, and ``inventory_many``.

``SyncTasks`` / ``AsyncTasks`` are mixins of ``Fourthwall``/``ShipBob`` and their async twins; each vendor client
supplies ``iter_stock``, ``iter_catalog`` and ``inventory`` (what differs per vendor), and these build on them.

Example::

    class Fourthwall(SyncTasks, SyncPagination, SyncClient):
        def iter_stock(self, *, page_size=None, max_pages=MAX_PAGES):
            return self._mapped(_ops.products.sync_detailed, stock_levels_from_offer, page_size, max_pages)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from .bulk import InventoryResult, arun_many, run_many
from .catalog import CatalogItem
from .defaults import CONCURRENCY, MAX_PAGES
from .pagination import AsyncPaginator, Paginator
from .stock import StockLevel

__all__ = ["AsyncTasks", "SyncTasks"]

_K = TypeVar("_K", str, int)  # a product id, as `facade.bulk` takes it
_K_contra = TypeVar("_K_contra", contravariant=True)
_V = TypeVar("_V")


class _SyncVendor(Protocol[_K_contra]):
    def paginate(
        self, op: Callable[..., Any], /, *, page_size: int | None = ..., max_pages: int = ..., **params: Any
    ) -> Paginator[Any]: ...
    def iter_stock(self, *, page_size: int | None = ..., max_pages: int = ...) -> Iterator[StockLevel]: ...
    def iter_catalog(self, *, page_size: int | None = ..., max_pages: int = ...) -> Iterator[CatalogItem]: ...
    def inventory(self, product_id: _K_contra, /) -> Sequence[StockLevel]: ...


class _AsyncVendor(Protocol[_K_contra]):
    def paginate(
        self, op: Callable[..., Awaitable[Any]], /, *, page_size: int | None = ..., max_pages: int = ..., **params: Any
    ) -> AsyncPaginator[Any]: ...
    def iter_stock(self, *, page_size: int | None = ..., max_pages: int = ...) -> AsyncIterator[StockLevel]: ...
    def iter_catalog(self, *, page_size: int | None = ..., max_pages: int = ...) -> AsyncIterator[CatalogItem]: ...
    async def inventory(self, product_id: _K_contra, /) -> Sequence[StockLevel]: ...


class SyncTasks:
    """``stock()``, ``catalog()`` and ``inventory_many`` of a sync vendor client, from its own iterators."""

    def stock(self: _SyncVendor[Any], *, page_size: int | None = None, max_pages: int = MAX_PAGES) -> list[StockLevel]:
        """Every item's stock as a list (``iter_stock``).

        Example::

            levels = client.stock()
        """
        return list(self.iter_stock(page_size=page_size, max_pages=max_pages))

    def catalog(
        self: _SyncVendor[Any], *, page_size: int | None = None, max_pages: int = MAX_PAGES
    ) -> list[CatalogItem]:
        """The catalog as a list (``iter_catalog``).

        Example::

            items = client.catalog()
        """
        return list(self.iter_catalog(page_size=page_size, max_pages=max_pages))

    def inventory_many(
        self: _SyncVendor[_K], product_ids: Iterable[_K], *, concurrency: int = CONCURRENCY
    ) -> InventoryResult:
        """Many products' stock (``inventory``) on up to ``concurrency`` threads; a failed product is reported,
        never raised (``facade.bulk``).

        Example::

            result = client.inventory_many(product_ids, concurrency=4)
        """
        return run_many(self.inventory, product_ids, concurrency=concurrency)

    def _mapped(
        self: _SyncVendor[Any],
        op: Callable[..., Any],
        values: Callable[[Any], Iterable[_V]],
        page_size: int | None,
        max_pages: int,
    ) -> Iterator[_V]:
        """The values ``values(item)`` of every item of the listing ``op``, in order, a page fetched when reached."""
        for item in self.paginate(op, page_size=page_size, max_pages=max_pages):
            yield from values(item)


class AsyncTasks:
    """The async twin of ``SyncTasks``: the list forms are awaited, ``inventory_many`` runs tasks."""

    async def stock(
        self: _AsyncVendor[Any], *, page_size: int | None = None, max_pages: int = MAX_PAGES
    ) -> list[StockLevel]:
        """Async twin of ``SyncTasks.stock``.

        Example::

            levels = await client.stock()
        """
        return [level async for level in self.iter_stock(page_size=page_size, max_pages=max_pages)]

    async def catalog(
        self: _AsyncVendor[Any], *, page_size: int | None = None, max_pages: int = MAX_PAGES
    ) -> list[CatalogItem]:
        """Async twin of ``SyncTasks.catalog``.

        Example::

            items = await client.catalog()
        """
        return [item async for item in self.iter_catalog(page_size=page_size, max_pages=max_pages)]

    async def inventory_many(
        self: _AsyncVendor[_K], product_ids: Iterable[_K], *, concurrency: int = CONCURRENCY
    ) -> InventoryResult:
        """Async twin of ``SyncTasks.inventory_many`` (at most ``concurrency`` products in flight).

        Example::

            result = await client.inventory_many(product_ids, concurrency=8)
        """
        return await arun_many(self.inventory, product_ids, concurrency=concurrency)

    async def _mapped(
        self: _AsyncVendor[Any],
        op: Callable[..., Awaitable[Any]],
        values: Callable[[Any], Iterable[_V]],
        page_size: int | None,
        max_pages: int,
    ) -> AsyncIterator[_V]:
        """Async twin of ``SyncTasks._mapped``."""
        async for item in self.paginate(op, page_size=page_size, max_pages=max_pages):
            for value in values(item):
                yield value
