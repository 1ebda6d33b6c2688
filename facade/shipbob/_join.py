"""How the ShipBob task methods combine responses, as pure functions: batching inventory ids, indexing the
per-center and per-lot views by inventory id, and checking the product response.

Example::

    for chunk in batches(pages_of_items, 250): ...
    by_id = index_views(pages_of_views)
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..core._status import invalid_response

if TYPE_CHECKING:
    from shipbob_client.models.product_view_model_v5 import ProductViewModelV5

    from ..core import CallResult

__all__ = ["GET_PRODUCT", "abatches", "batches", "index_views", "inventory_ids", "product_of"]

_T = TypeVar("_T")

GET_PRODUCT = "get_product"


def batches(chunks: Iterable[Sequence[_T]], size: int) -> Iterator[list[_T]]:
    """The items of ``chunks`` (pages, as they arrive) regrouped in lists of at most ``size``, lazily (memory stays
    one page plus one batch).

    Example::

        list(batches([[1, 2], [3]], 2))  # [[1, 2], [3]]
    """
    batch: list[_T] = []
    for chunk in chunks:
        batch.extend(chunk)
        while len(batch) >= size:
            yield batch[:size]
            del batch[:size]
    if batch:
        yield batch


async def abatches(chunks: AsyncIterable[Sequence[_T]], size: int) -> AsyncIterator[list[_T]]:
    """Async twin of ``batches``.

    Example::

        async for chunk in abatches(pages_of_items, 250): ...
    """
    batch: list[_T] = []
    async for chunk in chunks:
        batch.extend(chunk)
        while len(batch) >= size:
            yield batch[:size]
            del batch[:size]
    if batch:
        yield batch


class _Keyed(Protocol):
    # A generated totals, per-center or per-lot model: each has `inventory_id` (an int, or UNSET when absent).
    @property
    def inventory_id(self) -> object: ...


_V = TypeVar("_V", bound=_Keyed)


def index_views(chunks: Iterable[Sequence[_V]]) -> dict[int, _V]:
    """A per-center or per-lot view's items (in pages) by inventory id; the first of an id wins, and items without
    one cannot be joined: skipped.

    Example::

        index_views([page_items])[11].locations
    """
    indexed: dict[int, _V] = {}
    for chunk in chunks:
        for view in chunk:
            key = view.inventory_id
            if type(key) is int and key not in indexed:
                indexed[key] = view
    return indexed


def inventory_ids(totals: Iterable[_Keyed]) -> list[int]:
    """The inventory ids of a batch of totals, to filter the per-center and per-lot views to that batch.

    Example::

        inventory_ids(batch)  # [11, 12]
    """
    return [key for item in totals if type(key := item.inventory_id) is int]


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
