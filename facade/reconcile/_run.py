"""Reconcile live: read the listings both vendors need, then match them (`reconcile_levels`).

Requests: three listings, each at the client's largest page size, each page once: Fourthwall `GET /products`
(every variant with its SKU and its `LIMITED`/`UNLIMITED` stock), ShipBob's inventory listing (every inventory item
with its SKU and quantities per fulfillment center) and ShipBob `GET /product` (variants with `bundle_definition`).
The third is needed because ShipBob's inventory listings carry no bundle flag and no components: the product
listing is the only place the 2026-01 spec exposes them, and one listing of it is cheaper than asking per item.

A listing cut short (5xx after retries, a repeated page, a page count that changes, ...) raises the listing's typed
`FacadeError` out of `reconcile`, with a note naming the listing (`error.__notes__`): nothing here swallows it, so
no report is ever built from partial data. The
sync twin reads the three listings on three threads; the async twin on three tasks (the first failure cancels the
others). Read-only: nothing is written to either vendor.

Example::

    with Fourthwall.from_env() as fw, ShipBob.from_env() as sb:
        report = reconcile(fw, sb, mapping="skus.csv", buffer=2)
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterable, Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Any, Protocol, TypeVar

from ..catalog import CatalogItem
from ..errors import FacadeError, InvalidArgumentError
from ..stock import StockLevel
from ._mapping import MappingLike, load_mapping
from ._match import reconcile_levels
from ._model import Reconciliation

__all__ = [
    "AsyncCatalogSource",
    "AsyncStockSource",
    "CatalogSource",
    "Progress",
    "StockSource",
    "areconcile",
    "reconcile",
]

T = TypeVar("T")

Progress = Callable[[str, int], None]
"""Called as items arrive: `(listing, items so far)`, listing one of `LISTINGS`."""

LISTINGS = ("fourthwall stock", "shipbob stock", "shipbob catalog")


class StockSource(Protocol):
    """What `reconcile` needs of a client: its whole stock listing (`Fourthwall`, `ShipBob`)."""

    def iter_stock(self) -> Iterable[StockLevel]: ...


class CatalogSource(StockSource, Protocol):
    """A stock source that also lists its catalog (`ShipBob`: variants with bundle definitions)."""

    def iter_catalog(self) -> Iterable[CatalogItem]: ...


class AsyncStockSource(Protocol):
    """Async twin of `StockSource` (`AsyncFourthwall`, `AsyncShipBob`)."""

    def iter_stock(self) -> AsyncIterable[StockLevel]: ...


class AsyncCatalogSource(AsyncStockSource, Protocol):
    """Async twin of `CatalogSource` (`AsyncShipBob`)."""

    def iter_catalog(self) -> AsyncIterable[CatalogItem]: ...


def _check_buffer(buffer: int) -> None:
    # Before any request: a bad argument must not cost three listings.
    if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 0:
        raise InvalidArgumentError(
            f"reconcile: buffer must be a whole number >= 0, got {buffer!r}", ids={"buffer": buffer}
        )


def _drain(name: str, items: Iterable[T], progress: Progress | None, stop: threading.Event) -> list[T]:
    result: list[T] = []
    try:
        for item in items:
            if stop.is_set():  # another listing failed: the report will not be built, stop spending requests
                break
            result.append(item)
            if progress is not None:
                progress(name, len(result))
    except FacadeError as error:
        error.add_note(f"while reading the {name} listing")  # re-raised as is: never a partial report
        raise
    return result


async def _adrain(name: str, items: AsyncIterable[T], progress: Progress | None) -> list[T]:
    result: list[T] = []
    try:
        async for item in items:
            result.append(item)
            if progress is not None:
                progress(name, len(result))
    except FacadeError as error:
        error.add_note(f"while reading the {name} listing")
        raise
    return result


def reconcile(
    fourthwall: StockSource,
    shipbob: CatalogSource,
    *,
    mapping: MappingLike | None = None,
    buffer: int = 0,
    progress: Progress | None = None,
) -> Reconciliation:
    """Read Fourthwall's stock, ShipBob's stock and catalog, and reconcile them by SKU (see `reconcile_levels`).

    `progress(listing, count)` is called as items arrive (from the listing's thread: keep it thread-safe).
    Raises the listing's `FacadeError` if any listing fails; a bad `mapping` or `buffer` raises before any request.

    Example::

        report = reconcile(fw, sb, buffer=1)
        print(report.counts())
    """
    _check_buffer(buffer)
    entries = load_mapping(mapping)
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=3, thread_name_prefix="reconcile") as pool:
        fw = pool.submit(_drain, LISTINGS[0], fourthwall.iter_stock(), progress, stop)
        sb = pool.submit(_drain, LISTINGS[1], shipbob.iter_stock(), progress, stop)
        catalog = pool.submit(_drain, LISTINGS[2], shipbob.iter_catalog(), progress, stop)
        # The first failure ends the wait; the other listings stop at their next item, and .result() re-raises
        # the listing's own typed error.
        futures: list[Future[Any]] = [fw, sb, catalog]
        done, _ = wait(futures, return_when=FIRST_EXCEPTION)
        failed = [future for future in futures if future in done and future.exception() is not None]
        if failed:
            stop.set()
            failed[0].result()
        fw_levels, sb_levels, sb_catalog = fw.result(), sb.result(), catalog.result()
    return reconcile_levels(fw_levels, sb_levels, shipbob_catalog=sb_catalog, mapping=entries, buffer=buffer)


async def areconcile(
    fourthwall: AsyncStockSource,
    shipbob: AsyncCatalogSource,
    *,
    mapping: MappingLike | None = None,
    buffer: int = 0,
    progress: Progress | None = None,
) -> Reconciliation:
    """Async twin of `reconcile`: the three listings run concurrently; the first failure cancels the others.

    Example::

        async with AsyncFourthwall.from_env() as fw, AsyncShipBob.from_env() as sb:
            report = await areconcile(fw, sb)
    """
    _check_buffer(buffer)
    entries = load_mapping(mapping)
    try:
        async with asyncio.TaskGroup() as group:
            fw = group.create_task(_adrain(LISTINGS[0], fourthwall.iter_stock(), progress))
            sb = group.create_task(_adrain(LISTINGS[1], shipbob.iter_stock(), progress))
            catalog = group.create_task(_adrain(LISTINGS[2], shipbob.iter_catalog(), progress))
    except BaseExceptionGroup as group_error:
        # Surface the first listing's own typed error, as the sync twin does, not an ExceptionGroup.
        raise group_error.exceptions[0] from None
    return reconcile_levels(fw.result(), sb.result(), shipbob_catalog=catalog.result(), mapping=entries, buffer=buffer)
