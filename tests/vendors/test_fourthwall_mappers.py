"""Fourthwall mappers as pure functions on generated models: inventory, listing stock (LIMITED/UNLIMITED), catalog."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fourthwall_client.models.offer_full import OfferFull
from fourthwall_client.models.stock_v1 import StockV1

from facade.errors import ResponseValidationError
from facade.fourthwall import catalog_items_from_fourthwall, stock_level_from_fourthwall, stock_levels_from_offer
from facade.stock import MAX_QUANTITY, UNLIMITED

VARIANT_ID = uuid.UUID("6f1f7c2e-1b9a-4f3e-9d1c-2a3b4c5d6e7f")


def _variant(vid: str, sku: str, stock: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": vid,
        "name": f"{sku} name",
        "sku": sku,
        "unitPrice": {"value": 10.0, "currency": "USD"},
        "attributes": {"description": "M"},
        "stock": stock,
        "weight": {"value": 1.0, "unit": "kg"},
        "dimensions": {"length": 1.0, "width": 1.0, "height": 1.0, "unit": "cm"},
        "images": [],
    }


def _offer(*variants: dict[str, Any], access: str = "PUBLIC", kind: str = "STANDARD", **extra: Any) -> OfferFull:
    return OfferFull.from_dict(
        {
            "id": "prod_1",
            "name": "Tee",
            "slug": "tee",
            "description": "",
            "type": kind,
            "state": {"type": "AVAILABLE"},
            "access": {"type": access},
            "images": [],
            "variants": list(variants),
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-02T00:00:00Z",
            **extra,
        }
    )


def test_inventory_quantity_is_available_and_sku_unknown() -> None:
    stock = StockV1.from_dict(
        {
            "variantId": str(VARIANT_ID),
            "quantity": 4,
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-02T00:00:00Z",
        }
    )
    level = stock_level_from_fourthwall(stock, product_id="prod_1")
    assert (level.provider, level.product_id, level.item_id, level.available, level.sku) == (
        "fourthwall",
        "prod_1",
        str(VARIANT_ID),
        4,
        None,
    )
    assert level.updated_at is not None and level.raw is stock
    assert (level.on_hand, level.committed, level.incoming, level.locations) == (None, None, None, ())


def test_listing_limited_is_a_count_and_unlimited_is_explicit() -> None:
    offer = _offer(
        _variant("v1", "TEE-M", {"type": "LIMITED", "inStock": 5}),
        _variant("v2", "TEE-L", {"type": "UNLIMITED"}),
        _variant("v3", "TEE-S", {"type": "LIMITED", "inStock": 0}),
    )
    limited, unlimited, sold_out = stock_levels_from_offer(offer)
    assert (limited.sku, limited.available, limited.unlimited) == ("TEE-M", 5, False)
    assert unlimited.available is UNLIMITED and unlimited.unlimited
    assert not isinstance(unlimited.available, int)  # never 0 or a huge number
    assert sold_out.available == 0 and not sold_out.unlimited
    assert [level.product_id for level in (limited, unlimited)] == ["prod_1", "prod_1"]


def test_limited_without_count_is_not_taken_for_unlimited() -> None:
    # The generated oneOf parser falls back to Unlimited when inStock is missing: the mapper must not.
    offer = _offer(_variant("v1", "TEE-M", {"type": "LIMITED"}))
    with pytest.raises(ResponseValidationError, match=r"TEE-M.*LIMITED but has no inStock"):
        list(stock_levels_from_offer(offer))


def test_unknown_stock_type_is_a_validation_error() -> None:
    offer = _offer(_variant("v1", "TEE-M", {"type": "PREORDER"}))
    with pytest.raises(ResponseValidationError, match="PREORDER"):
        list(stock_levels_from_offer(offer))


def test_negative_passes_and_absurd_is_rejected() -> None:
    (negative,) = stock_levels_from_offer(_offer(_variant("v1", "A", {"type": "LIMITED", "inStock": -1})))
    assert negative.available == -1
    with pytest.raises(ResponseValidationError, match=r"SKU 'B'.*inStock"):
        list(stock_levels_from_offer(_offer(_variant("v1", "B", {"type": "LIMITED", "inStock": MAX_QUANTITY + 1}))))


def test_catalog_item_per_variant() -> None:
    offer = _offer(_variant("v1", "TEE-M", {"type": "UNLIMITED"}), _variant("v2", "TEE-L", {"type": "UNLIMITED"}))
    first, second = catalog_items_from_fourthwall(offer)
    assert (first.provider, first.product_id, first.product_name, first.variant_id, first.inventory_id) == (
        "fourthwall",
        "prod_1",
        "Tee",
        "v1",
        "v1",
    )
    assert (first.sku, first.name, first.barcode, first.active, first.digital, first.bundle) == (
        "TEE-M",
        "TEE-M name",
        None,
        True,
        False,
        False,
    )
    assert second.sku == "TEE-L"


def test_catalog_archived_is_inactive_and_gift_card_or_files_are_digital() -> None:
    (archived,) = catalog_items_from_fourthwall(_offer(_variant("v1", "A", {"type": "UNLIMITED"}), access="ARCHIVED"))
    assert archived.active is False
    (gift,) = catalog_items_from_fourthwall(_offer(_variant("v1", "G", {"type": "UNLIMITED"}), kind="GIFT_CARD"))
    assert gift.digital is True
    files = [{"uri": "https://files.example/x.zip", "name": "x.zip"}]
    (download,) = catalog_items_from_fourthwall(_offer(_variant("v1", "D", {"type": "UNLIMITED"}), digitalFiles=files))
    assert download.digital is True
