"""How the ShipBob task methods combine responses, as pure functions: batching inventory ids, indexing the
per-center and per-lot views by inventory id, and checking the product response.

Example::

    for chunk in batches(inventory_ids, 250): ...
    by_id = index_views(locations_items)
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from ..core._status import invalid_response
from ._stock import item_key

if TYPE_CHECKING:
    from shipbob_client.models.product_view_model_v5 import ProductViewModelV5

    from ..core import CallResult

__all__ = ["GET_PRODUCT", "abatches", "batches", "index_views", "inventory_ids", "product_of"]

_T = TypeVar("_T")
_V = TypeVar("_V")

GET_PRODUCT = "get_product"


def batches(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    """``items`` in lists of at most ``size``, lazily (memory stays one batch).

    Example::

        list(batches([1, 2, 3], 2))  # [[1, 2], [3]]
    """
    batch: list[_T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def abatches(items: AsyncIterable[_T], size: int) -> AsyncIterator[list[_T]]:
    """Async twin of ``batches``.

    Example::

        async for chunk in abatches(sb.paginate(op.asyncio_detailed), 250): ...
    """
    batch: list[_T] = []
    async for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def index_views(views: Iterable[_V]) -> dict[int, _V]:
    """A per-center or per-lot view's items by inventory id (items without one cannot be joined: skipped).

    Example::

        index_views(page_items)[11].locations
    """
    indexed: dict[int, _V] = {}
    for view in views:
        key = item_key(view)
        if key is not None:
            indexed.setdefault(key, view)
    return indexed


def inventory_ids(totals: Iterable[Any]) -> list[int]:
    """The inventory ids of a batch of totals, to filter the per-center and per-lot views to that batch.

    Example::

        inventory_ids(batch)  # [11, 12]
    """
    return [key for key in map(item_key, totals) if key is not None]


def product_of(result: CallResult[Any], product_id: int | str) -> ProductViewModelV5:
    """The product of a ``GET /product/{id}`` 2xx, or a ``ResponseValidationError`` naming the product.

    Example::

        product = product_of(sb._call("get_product", op.sync_detailed, 7), 7)
    """
    from . import _ops

    if not isinstance(result.parsed, _ops.ProductViewModelV5):
        raise invalid_response(
            result.response,
            f"HTTP {result.status_code} has no product",
            operation=GET_PRODUCT,
            ids={"product_id": product_id},
        )
    return result.parsed
