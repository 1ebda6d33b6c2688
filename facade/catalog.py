"""One catalog model for every vendor: `CatalogItem`, one frozen value per sellable variant.

A Fourthwall product (offer) has variants; a ShipBob product has variants, each tied to an inventory item. Both
normalize to `CatalogItem`, so an app can list what it sells on either side the same way, and match them by SKU.
Fields a vendor does not have are `None`, never made up.

Example::

    for item in fw.iter_catalog():
        print(item.sku, item.product_name, item.name, item.active)
"""

from __future__ import annotations

from typing import Any

import attrs

from .stock import Provider

__all__ = ["CatalogItem"]


@attrs.frozen(kw_only=True)
class CatalogItem:
    """One sellable variant of one product at one vendor.

    - `product_id`, `product_name`: the product (Fourthwall offer, ShipBob product).
    - `variant_id`, `name`: the variant; `inventory_id`: the stock item behind it (ShipBob inventory id; the
      Fourthwall variant id, where stock is per variant).
    - `sku`, `barcode`: as the vendor wrote them (`None` where absent; Fourthwall has no barcode).
    - `active`, `digital`, `bundle`: whether the vendor sells it now, ships nothing physical, or builds it from
      other items (ShipBob bundles; `bundle_components` holds (inventory id or SKU, quantity) pairs when known).
    - `raw`: the generated model of the variant, for anything not normalized; not part of `==` and `repr`.

    Example::

        CatalogItem(provider="shipbob", product_id="7", product_name="Mug", variant_id="70", inventory_id="11",
                    sku="MUG-WHT", name="White", raw=variant)
    """

    provider: Provider
    product_id: str
    product_name: str | None
    variant_id: str | None
    raw: Any = attrs.field(eq=False, repr=False)
    inventory_id: str | None = None
    sku: str | None = None
    name: str | None = None
    barcode: str | None = None
    active: bool | None = None
    digital: bool | None = None
    bundle: bool = False
    bundle_components: tuple[tuple[str, int], ...] = ()
