"""Inventory methods of the vendor clients: `inventory`, `iter_inventory`, `inventory_many`, sync and async.

Mixins, so each vendor client gains them by listing one base class; every request still goes through the
client's one call path (`_call`/`_acall`: auth, retries, rate limit, typed errors).

- Fourthwall `GET /products/{productId}/inventory` is paginated (`page` zero-based, `size`): `iter_inventory`
  follows the pages lazily, one request when the loop reaches each page, guarded by `facade._pagination`.
- ShipBob 1.0 `GET /product/{product_id}/inventory` returns all of a product's inventory items in one response
  (no pagination parameters), so `iter_inventory` makes that one request when iteration starts.

Example::

    with Fourthwall.from_env() as fw:
        for level in fw.iter_inventory("prod-1"):
            print(level.item_id, level.available)
        result = fw.inventory_many(["prod-1", "prod-2"], concurrency=4)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ._bulk import DEFAULT_CONCURRENCY, InventoryResult, arun_many, run_many
from ._mapping import invalid_response
from ._normalize import stock_level_from_fourthwall, stock_levels_from_shipbob
from ._page_schemes import FOURTHWALL_PAGE_SIZE, apaginate_fourthwall, paginate_fourthwall
from ._pagination import DEFAULT_MAX_PAGES
from ._stock import StockLevel

if TYPE_CHECKING:
    from fourthwall_client.models.stock_page import StockPage
    from shipbob_client.models.inventory_view_model import InventoryViewModel

    from ._base import CallResult, GeneratedResponse

__all__ = ["AsyncFourthwallInventory", "AsyncShipBobInventory", "FourthwallInventory", "ShipBobInventory"]

_T = TypeVar("_T")

_FOURTHWALL_OPERATION = "get_product_inventory"
_SHIPBOB_OPERATION = "get_a_list_of_inventory_items_by_product_id"


class FourthwallInventory:
    """Adds `inventory`, `iter_inventory` and `inventory_many` to `Fourthwall`.

    Example::

        levels = fw.inventory("prod-1")  # every page, as a list
    """

    if TYPE_CHECKING:

        def _call(
            self,
            operation: str,
            fn: Callable[..., GeneratedResponse[_T]],
            /,
            *args: Any,
            ids: Mapping[str, object] | None = None,
            **kwargs: Any,
        ) -> CallResult[_T]: ...

    def iter_inventory(
        self, product_id: str, *, size: int = FOURTHWALL_PAGE_SIZE, max_pages: int = DEFAULT_MAX_PAGES
    ) -> Iterator[StockLevel]:
        """Yield the product's stock, one `StockLevel` per variant, fetching each page when the loop reaches it.

        Example::

            available = sum(level.available or 0 for level in fw.iter_inventory("prod-1", size=100))
        """
        from fourthwall_client.api.products_offers import get_product_inventory

        ids = {"product_id": product_id}

        def fetch(page: int, page_size: int) -> StockPage:
            result = self._call(
                _FOURTHWALL_OPERATION,
                get_product_inventory.sync_detailed,
                product_id,
                page=page,
                size=page_size,
                ids=ids,
            )
            return _stock_page(result, ids)

        label = f"Fourthwall inventory of product {product_id!r}"
        stocks = paginate_fourthwall(fetch, size=size, max_pages=max_pages, label=label, ids=ids)
        return (stock_level_from_fourthwall(stock, product_id=product_id) for stock in stocks)

    def inventory(
        self, product_id: str, *, size: int = FOURTHWALL_PAGE_SIZE, max_pages: int = DEFAULT_MAX_PAGES
    ) -> list[StockLevel]:
        """The product's stock across every page, one `StockLevel` per variant, in the API's order.

        Example::

            levels = fw.inventory("prod-1")
        """
        return list(self.iter_inventory(product_id, size=size, max_pages=max_pages))

    def inventory_many(self, product_ids: Iterable[str], *, concurrency: int = DEFAULT_CONCURRENCY) -> InventoryResult:
        """The stock of many products on up to `concurrency` threads; failed products are reported, not raised.

        Example::

            result = fw.inventory_many(["p1", "p2"], concurrency=4)
            missing = [f.product_id for f in result.failures if isinstance(f.error, NotFoundError)]
        """
        return run_many(self.inventory, product_ids, concurrency=concurrency)


class AsyncFourthwallInventory:
    """Adds `inventory`, `iter_inventory` (an async iterator) and `inventory_many` to `AsyncFourthwall`.

    Example::

        levels = await fw.inventory("prod-1")
    """

    if TYPE_CHECKING:

        async def _acall(
            self,
            operation: str,
            fn: Callable[..., Awaitable[GeneratedResponse[_T]]],
            /,
            *args: Any,
            ids: Mapping[str, object] | None = None,
            **kwargs: Any,
        ) -> CallResult[_T]: ...

    def iter_inventory(
        self, product_id: str, *, size: int = FOURTHWALL_PAGE_SIZE, max_pages: int = DEFAULT_MAX_PAGES
    ) -> AsyncIterator[StockLevel]:
        """Yield the product's stock asynchronously, fetching each page when the loop reaches it.

        Example::

            async for level in fw.iter_inventory("prod-1"):
                print(level.item_id, level.available)
        """
        from fourthwall_client.api.products_offers import get_product_inventory

        ids = {"product_id": product_id}

        async def fetch(page: int, page_size: int) -> StockPage:
            result = await self._acall(
                _FOURTHWALL_OPERATION,
                get_product_inventory.asyncio_detailed,
                product_id,
                page=page,
                size=page_size,
                ids=ids,
            )
            return _stock_page(result, ids)

        label = f"Fourthwall inventory of product {product_id!r}"
        stocks = apaginate_fourthwall(fetch, size=size, max_pages=max_pages, label=label, ids=ids)

        async def levels() -> AsyncIterator[StockLevel]:
            async for stock in stocks:
                yield stock_level_from_fourthwall(stock, product_id=product_id)

        return levels()

    async def inventory(
        self, product_id: str, *, size: int = FOURTHWALL_PAGE_SIZE, max_pages: int = DEFAULT_MAX_PAGES
    ) -> list[StockLevel]:
        """The product's stock across every page, in the API's order.

        Example::

            levels = await fw.inventory("prod-1")
        """
        return [level async for level in self.iter_inventory(product_id, size=size, max_pages=max_pages)]

    async def inventory_many(
        self, product_ids: Iterable[str], *, concurrency: int = DEFAULT_CONCURRENCY
    ) -> InventoryResult:
        """The stock of many products, at most `concurrency` in flight; failed products are reported, not raised.

        Example::

            result = await fw.inventory_many(product_ids, concurrency=8)
        """
        return await arun_many(self.inventory, product_ids, concurrency=concurrency)


class ShipBobInventory:
    """Adds `inventory`, `iter_inventory` and `inventory_many` to `ShipBob`.

    Example::

        levels = sb.inventory(42)  # per fulfillment center in `locations`, per lot in `lots`
    """

    if TYPE_CHECKING:

        def _call(
            self,
            operation: str,
            fn: Callable[..., GeneratedResponse[_T]],
            /,
            *args: Any,
            ids: Mapping[str, object] | None = None,
            **kwargs: Any,
        ) -> CallResult[_T]: ...

    def inventory(self, product_id: int) -> list[StockLevel]:
        """The product's inventory items (one request), each with its fulfillment-center and lot breakdowns.

        Example::

            levels = sb.inventory(42)
        """
        from shipbob_client.api.subpackage_inventory import get_a_list_of_inventory_items_by_product_id as op

        ids = {"product_id": product_id}
        result = self._call(_SHIPBOB_OPERATION, op.sync_detailed, product_id, ids=ids)
        return stock_levels_from_shipbob(_inventory_items(result, ids), product_id=product_id)

    def iter_inventory(self, product_id: int) -> Iterator[StockLevel]:
        """Yield the product's inventory items; the one request is made when iteration starts.

        Example::

            for level in sb.iter_inventory(42): ...
        """
        yield from self.inventory(product_id)

    def inventory_many(self, product_ids: Iterable[int], *, concurrency: int = DEFAULT_CONCURRENCY) -> InventoryResult:
        """The stock of many products on up to `concurrency` threads; failed products are reported, not raised.

        Example::

            result = sb.inventory_many([42, 43])
        """
        return run_many(self.inventory, product_ids, concurrency=concurrency)


class AsyncShipBobInventory:
    """Adds `inventory`, `iter_inventory` (an async iterator) and `inventory_many` to `AsyncShipBob`.

    Example::

        levels = await sb.inventory(42)
    """

    if TYPE_CHECKING:

        async def _acall(
            self,
            operation: str,
            fn: Callable[..., Awaitable[GeneratedResponse[_T]]],
            /,
            *args: Any,
            ids: Mapping[str, object] | None = None,
            **kwargs: Any,
        ) -> CallResult[_T]: ...

    async def inventory(self, product_id: int) -> list[StockLevel]:
        """The product's inventory items (one request), each with its fulfillment-center and lot breakdowns.

        Example::

            levels = await sb.inventory(42)
        """
        from shipbob_client.api.subpackage_inventory import get_a_list_of_inventory_items_by_product_id as op

        ids = {"product_id": product_id}
        result = await self._acall(_SHIPBOB_OPERATION, op.asyncio_detailed, product_id, ids=ids)
        return stock_levels_from_shipbob(_inventory_items(result, ids), product_id=product_id)

    async def iter_inventory(self, product_id: int) -> AsyncIterator[StockLevel]:
        """Yield the product's inventory items; the one request is made when iteration starts.

        Example::

            async for level in sb.iter_inventory(42): ...
        """
        for level in await self.inventory(product_id):
            yield level

    async def inventory_many(
        self, product_ids: Iterable[int], *, concurrency: int = DEFAULT_CONCURRENCY
    ) -> InventoryResult:
        """The stock of many products, at most `concurrency` in flight; failed products are reported, not raised.

        Example::

            result = await sb.inventory_many([42, 43], concurrency=8)
        """
        return await arun_many(self.inventory, product_ids, concurrency=concurrency)


def _stock_page(result: CallResult[Any], ids: Mapping[str, object]) -> StockPage:
    from fourthwall_client.models.stock_page import StockPage

    if not isinstance(result.parsed, StockPage):
        # A 2xx the spec does not describe (e.g. 204): the generated parser returns None.
        raise invalid_response(
            result.response,
            f"HTTP {result.status_code} has no inventory page",
            operation=_FOURTHWALL_OPERATION,
            ids=ids,
        )
    return result.parsed


def _inventory_items(result: CallResult[Any], ids: Mapping[str, object]) -> list[InventoryViewModel]:
    from shipbob_client.models.inventory_view_model import InventoryViewModel

    parsed = result.parsed
    if not isinstance(parsed, list) or not all(isinstance(item, InventoryViewModel) for item in parsed):
        raise invalid_response(
            result.response,
            f"HTTP {result.status_code} has no list of inventory items",
            operation=_SHIPBOB_OPERATION,
            ids=ids,
        )
    return parsed
