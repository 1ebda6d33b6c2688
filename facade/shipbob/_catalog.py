"""Pure mappers from ShipBob products (``GET /product``, ``/product/{id}``) to `CatalogItem`, one per variant.

- ``variant_id`` is the variant's id; ``inventory_id`` the inventory item behind it (``variant.inventory``);
- ``barcode``: the variant's first barcode value, else its UPC, else its GTIN (as ShipBob wrote it);
- ``active``: the variant ``status`` is ``Active`` (ShipBob's words: 'Active', 'Inactive'); ``None`` if absent;
- ``bundle``: the variant has a ``bundle_definition``; ``bundle_components`` holds (component SKU, or variant id
  when it has none, quantity) pairs.

Example::

    items = catalog_items_from_shipbob(product)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..catalog import CatalogItem

if TYPE_CHECKING:
    from shipbob_client.models.product_view_model_v5 import ProductViewModelV5
    from shipbob_client.models.variant_internal_view_model_v5 import VariantInternalViewModelV5
    from shipbob_client.models.variant_view_model_v5 import VariantViewModelV5

__all__ = ["catalog_items_from_shipbob", "inventory_ids_of", "variants_of"]


def variants_of(product: ProductViewModelV5) -> list[VariantViewModelV5 | VariantInternalViewModelV5]:
    """The product's variants (empty when ShipBob sends none).

    Example::

        skus = [variant.sku for variant in variants_of(product)]
    """
    return product.variants if isinstance(product.variants, list) else []


def inventory_ids_of(product: ProductViewModelV5) -> list[int]:
    """The inventory ids behind the product's variants, in variant order, each once.

    Example::

        ids = inventory_ids_of(product)  # [11, 12]
    """
    ids: dict[int, None] = {}
    for variant in variants_of(product):
        inventory_id = _inventory_id(variant)
        if inventory_id is not None:
            ids[inventory_id] = None
    return list(ids)


def catalog_items_from_shipbob(product: ProductViewModelV5) -> Iterator[CatalogItem]:
    """One `CatalogItem` per variant of a ShipBob product, in ShipBob's order.

    Example::

        for item in catalog_items_from_shipbob(product):
            print(item.sku, item.bundle)
    """
    product_id = _text(product.id)
    product_name = _text(product.name)
    for variant in variants_of(product):
        components = variant.bundle_definition if isinstance(variant.bundle_definition, list) else []
        inventory_id = _inventory_id(variant)
        status = _text(variant.status)
        yield CatalogItem(
            provider="shipbob",
            product_id=product_id or "",
            product_name=product_name,
            variant_id=_text(variant.id),
            inventory_id=None if inventory_id is None else str(inventory_id),
            sku=_text(variant.sku),
            name=_text(variant.name),
            barcode=_barcode(variant),
            active=None if status is None else status.casefold() == "active",
            digital=variant.is_digital if isinstance(variant.is_digital, bool) else None,
            bundle=bool(components),
            bundle_components=tuple(
                (_text(part.variant_sku) or _text(part.variant_id) or "", part.quantity)
                for part in components
                if isinstance(part.quantity, int)
            ),
            raw=variant,
        )


def _inventory_id(variant: VariantViewModelV5 | VariantInternalViewModelV5) -> int | None:
    inventory = variant.inventory
    value = getattr(inventory, "inventory_id", None)
    return value if type(value) is int else None


def _barcode(variant: VariantViewModelV5 | VariantInternalViewModelV5) -> str | None:
    if isinstance(variant.barcodes, list):
        for barcode in variant.barcodes:
            value = _text(barcode.value)
            if value:
                return value
    return _text(variant.upc) or _text(variant.gtin)


def _text(value: object) -> str | None:
    return None if isinstance(value, bool) or not isinstance(value, str | int) else str(value)
