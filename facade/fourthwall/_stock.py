"""Pure mappers from Fourthwall's models to `StockLevel`: explicit, field by field, no I/O.

- Product inventory (``StockV1`` of ``GET /products/{productId}/inventory``: variantId, quantity): ``quantity``
  is what can be sold, so it becomes ``available``; that endpoint names no SKU, so ``sku`` is ``None``.
- Product listing (``OfferVariant`` of ``GET /products``): ``stock`` is ``LIMITED`` with ``inStock`` (a count) or
  ``UNLIMITED`` (the ``UNLIMITED`` marker, never 0 or a huge number). The generated parser tries ``Limited``
  first and falls back to ``Unlimited`` on any ``LIMITED`` body that lacks ``inStock``, so the mapper trusts the
  ``type`` field, not the parsed class: ``LIMITED`` without a count, or an unknown type, is a
  ``ResponseValidationError`` naming the variant and its SKU.

Fourthwall reports no on-hand, committed, incoming or location: those stay ``None``/empty.

Example::

    levels = [stock_level_from_fourthwall_variant(variant, product_id=offer.id) for variant in offer.variants]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..errors import ResponseValidationError
from ..stock import MAX_QUANTITY, UNLIMITED, Quantity, StockLevel, checked_quantity, stock_level

if TYPE_CHECKING:
    from fourthwall_client.models.offer_full import OfferFull
    from fourthwall_client.models.offer_variant import OfferVariant
    from fourthwall_client.models.stock_v1 import StockV1

__all__ = [
    "stock_level_from_fourthwall",
    "stock_level_from_fourthwall_variant",
    "stock_levels_from_inventory",
    "stock_levels_from_offer",
]

_LOWEST = -MAX_QUANTITY - 1
_LIMITED = "LIMITED"
_UNLIMITED = "UNLIMITED"


def stock_level_from_fourthwall(stock: StockV1, *, product_id: str) -> StockLevel:
    """Map one variant's stock from the product inventory endpoint; ``product_id`` is the product asked for.

    Example::

        level = stock_level_from_fourthwall(page.results[0], product_id="prod_1")
    """
    return stock_levels_from_inventory((stock,), product_id=product_id)[0]


def stock_levels_from_inventory(stocks: Iterable[StockV1], *, product_id: str) -> list[StockLevel]:
    """Map a page of the product inventory endpoint (``stock_level_from_fourthwall`` for each, in order).

    Example::

        levels = stock_levels_from_inventory(page.results, product_id="prod_1")
    """
    product = str(product_id)
    levels = []
    for stock in stocks:
        item_id = str(stock.variant_id)
        quantity: int | None = stock.quantity
        if not (type(quantity) is int and _LOWEST <= quantity <= MAX_QUANTITY):
            # The slow path only (absent or out of range): the message is built when it can be needed.
            quantity = checked_quantity(quantity, "quantity", f"Fourthwall variant {item_id} of product {product!r}")
        levels.append(
            stock_level(
                "fourthwall", product, item_id, stock, None, None, quantity, None, None, None, (), (), stock.updated_at
            )
        )
    return levels


def stock_level_from_fourthwall_variant(variant: OfferVariant, *, product_id: str) -> StockLevel:
    """Map one variant of the product listing: SKU, name and ``LIMITED``/``UNLIMITED`` stock.

    Example::

        level = stock_level_from_fourthwall_variant(offer.variants[0], product_id=offer.id)
        level.unlimited  # True for print on demand
    """
    available = variant_quantity(variant, product_id=product_id)
    return stock_level(
        "fourthwall",
        str(product_id),
        str(variant.id),
        variant,
        variant.sku,
        variant.name,
        available,
        None,
        None,
        None,
        (),
        (),
        None,
    )


def stock_levels_from_offer(offer: OfferFull) -> Iterator[StockLevel]:
    """One `StockLevel` per variant of a listed product (offer), in Fourthwall's order.

    Example::

        levels = list(stock_levels_from_offer(offer))
    """
    for variant in offer.variants:
        yield stock_level_from_fourthwall_variant(variant, product_id=offer.id)


def variant_quantity(variant: OfferVariant, *, product_id: str) -> Quantity:
    """A listed variant's sellable quantity: its ``inStock`` count, or ``UNLIMITED``.

    Example::

        variant_quantity(variant, product_id="prod_1")  # 5, or UNLIMITED
    """
    stock = variant.stock
    kind = stock.type_
    if kind == _UNLIMITED:
        return UNLIMITED
    in_stock = getattr(stock, "in_stock", None)
    if kind == _LIMITED and type(in_stock) is int and -MAX_QUANTITY - 1 <= in_stock <= MAX_QUANTITY:
        return in_stock  # the common case, without building the error message below
    where = f"Fourthwall variant {variant.id} (SKU {variant.sku!r}) of product {product_id!r}"
    if kind == _LIMITED:
        count = checked_quantity(in_stock, "stock.inStock", where)
        if count is not None:
            return count
        reason = f"{where}: stock is LIMITED but has no inStock count"
    else:
        reason = f"{where}: stock type {kind!r} is neither LIMITED nor UNLIMITED"
    raise ResponseValidationError(f"Response does not match the spec: {reason}", reason=reason)
