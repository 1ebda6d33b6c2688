"""Fetch the stock of many products for the CLI, keeping going when one product fails.

Products are fetched one after another: both vendors rate-limit per shop or app (Fourthwall 100 requests per 10 s,
ShipBob 150 per minute), so a sequential loop stays inside the budget and lets the progress bar move one product
at a time. A `FacadeError` for one product is recorded as a `ProductFailure` (product and typed error) and the
loop goes on; anything else is a bug and propagates.

Example::

    result = fetch_stock(lambda product_id: client.inventory(product_id), ["p1", "p2"])
    print(len(result.levels), [failure.product_id for failure in result.failures])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs

from ._errors import FacadeError
from ._stock import StockLevel

__all__ = ["FetchResult", "ProductFailure", "fetch_stock"]


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
        """What went wrong, for a person: the error's class and its message (never credentials)."""
        return f"{type(self.error).__name__}: {self.error}"


@attrs.frozen(kw_only=True)
class FetchResult:
    """Everything fetched (`levels`, in product order) and every product that failed (`failures`).

    Example::

        exit_code = 1 if result.failures else 0
    """

    levels: tuple[StockLevel, ...]
    failures: tuple[ProductFailure, ...]


def fetch_stock(
    fetch_one: Callable[[str], Sequence[StockLevel]],
    product_ids: Sequence[str],
    *,
    on_product_done: Callable[[str], None] | None = None,
) -> FetchResult:
    """Call `fetch_one` for each product in order; collect levels and per-product failures.

    `on_product_done` is called after each product, fetched or failed (the CLI advances its progress bar).

    Example::

        result = fetch_stock(client.inventory, ["p1", "missing"], on_product_done=lambda _: bar.advance())
    """
    levels: list[StockLevel] = []
    failures: list[ProductFailure] = []
    for product_id in product_ids:
        try:
            levels.extend(fetch_one(product_id))
        except FacadeError as error:
            failures.append(ProductFailure(product_id=product_id, error=error))
        if on_product_done is not None:
            on_product_done(product_id)
    return FetchResult(levels=tuple(levels), failures=tuple(failures))
