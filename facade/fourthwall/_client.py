"""Fourthwall Open API clients, sync and async: the shared constructor and call path (``facade.core``) with
Fourthwall's ``Vendor`` facts, plus the shop's stock and catalog as task-shaped methods.

- ``inventory(product_id)`` / ``iter_inventory``: ``GET /products/{productId}/inventory``, per-variant ``quantity``
  (that endpoint names no SKU). ``inventory_many(product_ids, concurrency=)``: many products, failures reported.
- ``stock()`` / ``iter_stock()``: every variant of every product of the shop from the product listing
  ``GET /products``, with its SKU and ``LIMITED`` count or ``UNLIMITED``: ceil(products / page_size) requests.
- ``catalog()`` / ``iter_catalog()``: the same listing as one ``CatalogItem`` per variant.

Listings take ``page_size=`` (default ``FOURTHWALL_PAGE_SIZE``, a setting: the spec states no maximum) and
``max_pages=``; pages are followed lazily through ``paginate`` (every guard applies). The logic lives in the pure
mappers (``_stock``, ``_catalog``), so the async twins only ``await``.

Example::

    with Fourthwall(auth=BasicAuth("shop-api-user", "...")) as fw:
        for level in fw.iter_stock():
            print(level.sku, level.available)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

from .._tasks import AsyncTasks, SyncTasks
from ..catalog import CatalogItem
from ..core import AsyncClient, SyncClient
from ..defaults import MAX_PAGES
from ..pagination import AsyncPagination, Page, SyncPagination
from ..stock import StockLevel
from ._catalog import catalog_items_from_fourthwall
from ._stock import stock_levels_from_inventory, stock_levels_from_offer
from ._vendor import FOURTHWALL

if TYPE_CHECKING:
    from fourthwall_client.models.stock_v1 import StockV1

__all__ = ["AsyncFourthwall", "Fourthwall"]


class Fourthwall(SyncTasks, SyncPagination, SyncClient):
    """Sync Fourthwall Open API client; a context manager owning one ``httpx.Client``.

    ``auth``: ``BasicAuth(username, password)`` (the shop's Open API user), an access token string, or
    ``OAuthApp(...)`` (refreshes at Fourthwall's ``/platform/token``). ``from_env()`` reads the
    ``FOURTHWALL_*`` variables (``facade.fourthwall._env``).

    Example::

        with Fourthwall.from_env() as fw:
            print(fw.stock())
    """

    vendor = FOURTHWALL

    def iter_inventory(
        self, product_id: str, *, page_size: int | None = None, max_pages: int = MAX_PAGES
    ) -> Iterator[StockLevel]:
        """Yield one product's stock, one ``StockLevel`` per variant, fetching each page when the loop reaches it.

        Example::

            available = sum(level.available or 0 for level in fw.iter_inventory("prod-1"))
        """
        pages = self._inventory_pages(product_id, page_size, max_pages)
        return (level for page in pages for level in stock_levels_from_inventory(page.items, product_id=product_id))

    def inventory(
        self, product_id: str, *, page_size: int | None = None, max_pages: int = MAX_PAGES
    ) -> list[StockLevel]:
        """One product's stock across every page, one ``StockLevel`` per variant, in the API's order.

        Example::

            levels = fw.inventory("prod-1")
        """
        levels: list[StockLevel] = []
        for page in self._inventory_pages(product_id, page_size, max_pages):
            levels += stock_levels_from_inventory(page.items, product_id=product_id)
        return levels

    def _inventory_pages(self, product_id: str, page_size: int | None, max_pages: int) -> Iterator[Page[StockV1]]:
        # Mapped a page at a time: one call per page, not one per variant.
        from . import _ops

        op = _ops.product_inventory.sync_detailed
        return self.paginate(op, product_id=product_id, page_size=page_size, max_pages=max_pages).pages()

    def iter_stock(self, *, page_size: int | None = None, max_pages: int = MAX_PAGES) -> Iterator[StockLevel]:
        """Yield every variant of every product of the shop, with its SKU and stock (a count or ``UNLIMITED``).

        Example::

            unlimited = [level.sku for level in fw.iter_stock() if level.unlimited]
        """
        from . import _ops

        return self._mapped(_ops.products.sync_detailed, stock_levels_from_offer, page_size, max_pages)

    def iter_catalog(self, *, page_size: int | None = None, max_pages: int = MAX_PAGES) -> Iterator[CatalogItem]:
        """Yield one ``CatalogItem`` per variant of every product of the shop.

        Example::

            skus = {item.sku for item in fw.iter_catalog() if item.active}
        """
        from . import _ops

        return self._mapped(_ops.products.sync_detailed, catalog_items_from_fourthwall, page_size, max_pages)


class AsyncFourthwall(AsyncTasks, AsyncPagination, AsyncClient):
    """Async twin of ``Fourthwall`` (same arguments, methods and environment variables); owns one
    ``httpx.AsyncClient``. ``iter_*`` are async iterators; the others are awaited.

    Example::

        async with AsyncFourthwall.from_env() as fw:
            levels = await fw.stock()
    """

    vendor = FOURTHWALL

    async def iter_inventory(
        self, product_id: str, *, page_size: int | None = None, max_pages: int = MAX_PAGES
    ) -> AsyncIterator[StockLevel]:
        """Async twin of ``Fourthwall.iter_inventory``.

        Example::

            async for level in fw.iter_inventory("prod-1"): ...
        """
        async for page in self._inventory_pages(product_id, page_size, max_pages):
            for level in stock_levels_from_inventory(page.items, product_id=product_id):
                yield level

    async def inventory(
        self, product_id: str, *, page_size: int | None = None, max_pages: int = MAX_PAGES
    ) -> list[StockLevel]:
        """Async twin of ``Fourthwall.inventory``.

        Example::

            levels = await fw.inventory("prod-1")
        """
        levels: list[StockLevel] = []
        async for page in self._inventory_pages(product_id, page_size, max_pages):
            levels += stock_levels_from_inventory(page.items, product_id=product_id)
        return levels

    def _inventory_pages(self, product_id: str, page_size: int | None, max_pages: int) -> AsyncIterator[Page[StockV1]]:
        from . import _ops

        op = _ops.product_inventory.asyncio_detailed
        return self.paginate(op, product_id=product_id, page_size=page_size, max_pages=max_pages).pages()

    def iter_stock(self, *, page_size: int | None = None, max_pages: int = MAX_PAGES) -> AsyncIterator[StockLevel]:
        """Async twin of ``Fourthwall.iter_stock``.

        Example::

            async for level in fw.iter_stock(): ...
        """
        from . import _ops

        return self._mapped(_ops.products.asyncio_detailed, stock_levels_from_offer, page_size, max_pages)

    def iter_catalog(self, *, page_size: int | None = None, max_pages: int = MAX_PAGES) -> AsyncIterator[CatalogItem]:
        """Async twin of ``Fourthwall.iter_catalog``.

        Example::

            async for item in fw.iter_catalog(): ...
        """
        from . import _ops

        return self._mapped(_ops.products.asyncio_detailed, catalog_items_from_fourthwall, page_size, max_pages)
