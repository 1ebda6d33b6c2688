"""ShipBob API clients (dated version 2026-01), sync and async: the shared constructor and call path
(``facade.core``) with ShipBob's ``Vendor`` facts, plus the account's stock and catalog as task-shaped methods.

Stock comes from three views of the inventory items, joined by inventory id: totals (``GET /inventory-level``),
per fulfillment center (``/inventory-level/locations``) and per lot (``/inventory-level/lots``). For every batch
of ``page_size`` items of the totals listing, one filtered request per view (``InventoryIds`` = that batch's ids)
brings exactly their centers and lots, so the join never waits on another listing's order and memory stays one
batch: ``stock()`` of N items takes 3 * ceil(N / page_size) requests (page_size defaults to
``SHIPBOB_PAGE_SIZE``, 250, a setting: the spec states no maximum for ``PageSize`` here).

- ``inventory(product_id)``: ``GET /product/{id}`` for the variants' inventory ids, then the three views filtered
  to them: 4 requests for a product of up to 250 inventory items. ``iter_inventory``, ``inventory_many`` as before.
- ``iter_stock()`` / ``stock()``: every inventory item of the account.
- ``iter_catalog()`` / ``catalog()``: one ``CatalogItem`` per variant of every product (``GET /product``).

The generated operations are named in ``_ops`` only (the one place the dated version appears).

Example::

    with ShipBob(auth="pat_...") as sb:
        for level in sb.iter_stock():
            print(level.sku, level.available, [loc.name for loc in level.locations])
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from typing import Any, Unpack

import httpx

from .._tasks import AsyncTasks, SyncTasks
from ..auth import AuthLike
from ..catalog import CatalogItem
from ..core import AsyncClient, ClientOptions, SyncClient
from ..defaults import MAX_PAGES, SHIPBOB_PAGE_SIZE
from ..errors import ConfigurationError
from ..pagination import AsyncPagination, SyncPagination
from ..stock import StockLevel
from ._catalog import catalog_items_from_shipbob, inventory_ids_of
from ._join import GET_PRODUCT, abatches, batches, index_views, inventory_ids, product_of
from ._stock import stock_levels_from_shipbob, stock_levels_taking_views
from ._vendor import CHANNEL_HEADER, SHIPBOB

__all__ = ["AsyncShipBob", "ShipBob"]


def _with_channel(channel_id: int | str | None, headers: Mapping[str, str] | None) -> dict[str, str]:
    merged = dict(headers or {})
    if channel_id is not None:
        if not str(channel_id).isdigit():
            raise ConfigurationError(f"ShipBob channel_id must be a number, got {channel_id!r}")
        merged[CHANNEL_HEADER] = str(channel_id)
    return merged


class ShipBob(SyncTasks, SyncPagination, SyncClient):
    """Sync ShipBob client; a context manager owning one ``httpx.Client``.

    ``auth``: a Personal Access Token string, or ``OAuthApp(...)`` (refreshes at ShipBob's auth server of the
    ``environment``, ``"production"`` or ``"sandbox"``). ``channel_id`` sets the ``shipbob_channel_id`` header
    (required for writes). ``from_env()`` reads the ``SHIPBOB_*`` variables (``facade.shipbob._env``).

    Example::

        with ShipBob(auth="pat_...", environment="sandbox") as sb:
            print(sb.stock())
    """

    vendor = SHIPBOB

    def __init__(
        self,
        auth: AuthLike,
        *,
        channel_id: int | str | None = None,
        transport: httpx.BaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        options["headers"] = _with_channel(channel_id, options.get("headers"))
        super().__init__(auth, transport=transport, **options)

    def inventory(self, product_id: int) -> list[StockLevel]:
        """The product's inventory items, each with its fulfillment-center and lot breakdowns (4 requests).

        Example::

            levels = sb.inventory(42)
        """
        from . import _ops

        product = product_of(self._call(GET_PRODUCT, _ops.product.sync_detailed, product_id), product_id)
        levels: list[StockLevel] = []
        for ids in batches([inventory_ids_of(product)], SHIPBOB_PAGE_SIZE):
            totals = list(self.paginate(_ops.inventory_levels.sync_detailed, inventory_ids=ids, page_size=len(ids)))
            levels.extend(self._levels(totals, product_id=product_id))
        return levels

    def iter_inventory(self, product_id: int) -> Iterator[StockLevel]:
        """Yield the product's inventory items; the requests are made when iteration starts.

        Example::

            for level in sb.iter_inventory(42): ...
        """
        yield from self.inventory(product_id)

    def iter_stock(self, *, page_size: int | None = None, max_pages: int = MAX_PAGES) -> Iterator[StockLevel]:
        """Yield every inventory item of the account with its centers and lots, one batch of requests at a time.

        Example::

            low = [level.sku for level in sb.iter_stock() if (level.available or 0) < 5]
        """
        from . import _ops

        size = page_size or SHIPBOB_PAGE_SIZE
        pages = self.paginate(_ops.inventory_levels.sync_detailed, page_size=size, max_pages=max_pages).pages()
        for batch in batches((page.items for page in pages), size):
            yield from self._levels(batch)

    def iter_catalog(self, *, page_size: int | None = None, max_pages: int = MAX_PAGES) -> Iterator[CatalogItem]:
        """Yield one ``CatalogItem`` per variant of every product of the account.

        Example::

            bundles = [item.sku for item in sb.iter_catalog() if item.bundle]
        """
        from . import _ops

        return self._mapped(_ops.products.sync_detailed, catalog_items_from_shipbob, page_size, max_pages)

    def _levels(self, totals: Sequence[Any], *, product_id: int | None = None) -> list[StockLevel]:
        # One filtered request per view for this batch of items (see the module docstring).
        from . import _ops

        ids = inventory_ids(totals)
        if not ids:
            return stock_levels_from_shipbob(totals, locations={}, lots={})
        by_location = self.paginate(
            _ops.inventory_levels_by_location.sync_detailed, inventory_ids=ids, page_size=len(ids)
        )
        locations = index_views(page.items for page in by_location.pages())
        by_lot = self.paginate(_ops.inventory_levels_by_lot.sync_detailed, inventory_ids=ids, page_size=len(ids))
        lots = index_views(page.items for page in by_lot.pages())
        owners = {} if product_id is None else dict.fromkeys(ids, product_id)
        return stock_levels_taking_views(totals, locations, lots, owners)


class AsyncShipBob(AsyncTasks, AsyncPagination, AsyncClient):
    """Async twin of ``ShipBob`` (same arguments and environment variables); owns one ``httpx.AsyncClient``.

    Example::

        async with AsyncShipBob.from_env() as sb:
            levels = await sb.stock()
    """

    vendor = SHIPBOB

    def __init__(
        self,
        auth: AuthLike,
        *,
        channel_id: int | str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        options["headers"] = _with_channel(channel_id, options.get("headers"))
        super().__init__(auth, transport=transport, **options)

    async def inventory(self, product_id: int) -> list[StockLevel]:
        """Async twin of ``ShipBob.inventory``.

        Example::

            levels = await sb.inventory(42)
        """
        from . import _ops

        product = product_of(await self._acall(GET_PRODUCT, _ops.product.asyncio_detailed, product_id), product_id)
        levels: list[StockLevel] = []
        for ids in batches([inventory_ids_of(product)], SHIPBOB_PAGE_SIZE):
            op = _ops.inventory_levels.asyncio_detailed
            totals = [item async for item in self.paginate(op, inventory_ids=ids, page_size=len(ids))]
            levels.extend(await self._levels(totals, product_id=product_id))
        return levels

    async def iter_inventory(self, product_id: int) -> AsyncIterator[StockLevel]:
        """Async twin of ``ShipBob.iter_inventory``.

        Example::

            async for level in sb.iter_inventory(42): ...
        """
        for level in await self.inventory(product_id):
            yield level

    async def iter_stock(
        self, *, page_size: int | None = None, max_pages: int = MAX_PAGES
    ) -> AsyncIterator[StockLevel]:
        """Async twin of ``ShipBob.iter_stock``.

        Example::

            async for level in sb.iter_stock(): ...
        """
        from . import _ops

        size = page_size or SHIPBOB_PAGE_SIZE
        pages = self.paginate(_ops.inventory_levels.asyncio_detailed, page_size=size, max_pages=max_pages).pages()
        async for batch in abatches((page.items async for page in pages), size):
            for level in await self._levels(batch):
                yield level

    def iter_catalog(self, *, page_size: int | None = None, max_pages: int = MAX_PAGES) -> AsyncIterator[CatalogItem]:
        """Async twin of ``ShipBob.iter_catalog``.

        Example::

            async for item in sb.iter_catalog(): ...
        """
        from . import _ops

        return self._mapped(_ops.products.asyncio_detailed, catalog_items_from_shipbob, page_size, max_pages)

    async def _levels(self, totals: Sequence[Any], *, product_id: int | None = None) -> list[StockLevel]:
        from . import _ops

        ids = inventory_ids(totals)
        if not ids:
            return stock_levels_from_shipbob(totals, locations={}, lots={})
        by_location = self.paginate(
            _ops.inventory_levels_by_location.asyncio_detailed, inventory_ids=ids, page_size=len(ids)
        )
        locations = index_views([page.items async for page in by_location.pages()])
        by_lot = self.paginate(_ops.inventory_levels_by_lot.asyncio_detailed, inventory_ids=ids, page_size=len(ids))
        lots = index_views([page.items async for page in by_lot.pages()])
        owners = {} if product_id is None else dict.fromkeys(ids, product_id)
        return stock_levels_taking_views(totals, locations, lots, owners)
