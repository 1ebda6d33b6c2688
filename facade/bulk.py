"""Fetch the stock of many products with bounded concurrency; one failing product never loses the others.

`run_many` (threads) and `arun_many` (asyncio tasks) call a "fetch one product" function for every product,
at most `concurrency` at a time, and return an `InventoryResult`: every `StockLevel` fetched, in the order the
products were given, plus one `ProductFailure` (product id and typed `FacadeError`) per product that failed.
A product that fails part-way through its pages counts as failed; its partial levels are dropped, so `levels`
never holds half a product. Only `FacadeError`s are collected: anything else is a bug and propagates.

Concurrency bounds requests in flight; the request budget itself (Fourthwall 100 per 10 s, ShipBob 150 per
minute) is enforced by the client's rate limiter, which every fetch goes through.

Example::

    result = run_many(fw.inventory, ["p1", "p2", "missing"], concurrency=4)
    for failure in result.failures:
        print(failure.product_id, failure.reason)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TypeAlias, TypeVar

import attrs

from .defaults import CONCURRENCY
from .errors import FacadeError
from .stock import StockLevel

__all__ = ["DEFAULT_CONCURRENCY", "InventoryResult", "ProductFailure", "arun_many", "run_many"]

DEFAULT_CONCURRENCY = CONCURRENCY
"""Requests in flight for `inventory_many`: enough to hide latency, few enough to stay under the rate limits."""

K = TypeVar("K", str, int)

_Outcome: TypeAlias = Sequence[StockLevel] | FacadeError


@attrs.frozen(kw_only=True)
class ProductFailure:
    """One product whose stock could not be fetched, with the typed error that says why.

    Example::

        ProductFailure(product_id="p9", error=NotFoundError("no such product"))
    """

    product_id: str
    error: FacadeError

    @property
    def reason(self) -> str:
        """What went wrong, for a person: the error's class and message (messages never hold credentials)."""
        return f"{type(self.error).__name__}: {self.error}"


@attrs.frozen(kw_only=True)
class InventoryResult:
    """Everything fetched (`levels`, in product order) and every product that failed (`failures`, same order).

    Example::

        result = fw.inventory_many(["p1", "p2"])
        if result.failures:
            log.warning("no stock for %s", [f.product_id for f in result.failures])
    """

    levels: tuple[StockLevel, ...]
    failures: tuple[ProductFailure, ...]

    @property
    def errors(self) -> dict[str, FacadeError]:
        """The failures as `{product_id: error}`."""
        return {failure.product_id: failure.error for failure in self.failures}

    @property
    def ok(self) -> bool:
        """True when no product failed."""
        return not self.failures


def run_many(
    fetch_one: Callable[[K], Sequence[StockLevel]],
    product_ids: Iterable[K],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> InventoryResult:
    """Call `fetch_one` for each distinct product on up to `concurrency` threads; collect levels and failures.

    Example::

        result = run_many(fw.inventory, ["p1", "p2"], concurrency=2)
    """
    products = _distinct(product_ids, concurrency)

    def one(product_id: K) -> _Outcome:
        try:
            return fetch_one(product_id)
        except FacadeError as error:
            return error

    if concurrency == 1 or len(products) <= 1:
        return _collect(products, [one(product_id) for product_id in products])
    # Imported here: a sync client that never fans out (and every import of facade) skips concurrent.futures.
    from concurrent.futures import ThreadPoolExecutor

    executor = ThreadPoolExecutor(max_workers=min(concurrency, len(products)), thread_name_prefix="inventory_many")
    try:
        outcomes = list(executor.map(one, products))
    finally:
        # On a bug in one fetch, do not start the products still queued.
        executor.shutdown(wait=True, cancel_futures=True)
    return _collect(products, outcomes)


async def arun_many(
    fetch_one: Callable[[K], Awaitable[Sequence[StockLevel]]],
    product_ids: Iterable[K],
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> InventoryResult:
    """Await `fetch_one` for each distinct product, at most `concurrency` at once; collect levels and failures.

    Example::

        result = await arun_many(afw.inventory, ["p1", "p2"], concurrency=8)
    """
    products = _distinct(product_ids, concurrency)
    outcomes: list[_Outcome] = [()] * len(products)
    queue = iter(enumerate(products))

    async def worker() -> None:
        # Workers share one iterator, so at most `concurrency` fetches run and no product is fetched twice.
        for index, product_id in queue:
            try:
                outcomes[index] = await fetch_one(product_id)
            except FacadeError as error:
                outcomes[index] = error

    import asyncio  # here: sync code never needs it

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(concurrency, len(products))):
                group.create_task(worker())
    except BaseExceptionGroup as failed:
        # A bug in one fetch cancelled the others; surface it as itself, not wrapped in a group.
        if len(failed.exceptions) == 1:
            raise failed.exceptions[0] from None
        raise
    return _collect(products, outcomes)


def _distinct(product_ids: Iterable[K], concurrency: int) -> list[K]:
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    # dict keeps first-seen order: a product listed twice is fetched once.
    return list(dict.fromkeys(product_ids))


def _collect(products: Sequence[K], outcomes: Sequence[_Outcome]) -> InventoryResult:
    levels: list[StockLevel] = []
    failures: list[ProductFailure] = []
    for product_id, outcome in zip(products, outcomes, strict=True):
        if isinstance(outcome, FacadeError):
            failures.append(ProductFailure(product_id=str(product_id), error=outcome))
        else:
            levels.extend(outcome)
    return InventoryResult(levels=tuple(levels), failures=tuple(failures))
