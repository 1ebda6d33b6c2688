"""Pure mappers from Fourthwall products (offers of ``GET /products``) to `CatalogItem`, one per variant.

- ``variant_id`` and ``inventory_id`` are both the variant id (Fourthwall keeps stock per variant);
- ``barcode`` is ``None``: Fourthwall variants have none;
- ``active``: the offer's ``access`` is not ``ARCHIVED`` (``PUBLIC`` and ``HIDDEN`` offers can still be bought;
  a sold-out offer is active, its stock says the rest);
- ``digital``: a gift card, or an offer with digital files; ``bundle`` is always ``False`` (no such concept).

Example::

    items = list(catalog_items_from_fourthwall(offer))
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..catalog import CatalogItem

if TYPE_CHECKING:
    from fourthwall_client.models.offer_full import OfferFull

__all__ = ["catalog_items_from_fourthwall"]

_ARCHIVED = "ARCHIVED"
_GIFT_CARD = "GIFT_CARD"


def catalog_items_from_fourthwall(offer: OfferFull) -> Iterator[CatalogItem]:
    """One `CatalogItem` per variant of a Fourthwall offer, in Fourthwall's order.

    Example::

        for item in catalog_items_from_fourthwall(offer):
            print(item.sku, item.active, item.digital)
    """
    active = offer.access.type_ != _ARCHIVED
    digital = str(offer.type_) == _GIFT_CARD or bool(offer.digital_files)
    for variant in offer.variants:
        yield CatalogItem(
            provider="fourthwall",
            product_id=offer.id,
            product_name=offer.name,
            variant_id=variant.id,
            inventory_id=variant.id,
            sku=variant.sku,
            name=variant.name,
            barcode=None,
            active=active,
            digital=digital,
            bundle=False,
            raw=variant,
        )
