"""Deterministic response bodies shaped like the vendors' inventory endpoints, shared by the server and the benches.

Example::

    body = fourthwall_page(page=0, size=2, total=5)
    assert json.loads(body)["totalPages"] == 3
"""

from __future__ import annotations

import json
import uuid

__all__ = ["fourthwall_page", "fourthwall_stock", "shipbob_inventory", "shipbob_item"]

_STAMP = "2026-11-20T10:15:30.123456Z"
# A fixed namespace keeps variant ids stable from run to run without storing fixtures.
_NAMESPACE = uuid.UUID("6f1c1f4e-2a55-4c41-9f0e-4d3b8f0a7c11")


def fourthwall_stock(index: int) -> dict[str, object]:
    """One Fourthwall `StockV1` record (variant id, quantity, timestamps), deterministic in ``index``."""
    return {
        "variantId": str(uuid.uuid5(_NAMESPACE, str(index))),
        "quantity": index % 97,
        "createdAt": _STAMP,
        "updatedAt": _STAMP,
    }


def fourthwall_page(*, page: int, size: int, total: int) -> bytes:
    """The JSON body of page ``page`` (zero-based) of ``total`` stock records, ``size`` per page."""
    start = page * size
    results = [fourthwall_stock(i) for i in range(start, min(start + size, total))]
    total_pages = -(-total // size) if size else 0
    body = {"results": results, "total": total, "page": page, "size": size, "totalPages": total_pages}
    return json.dumps(body, separators=(",", ":")).encode()


def shipbob_item(index: int) -> dict[str, object]:
    """One ShipBob `InventoryViewModel` with two fulfillment centers and one lot, deterministic in ``index``."""
    centers = [
        {
            "id": center,
            "name": f"FC {center}",
            "awaiting_quantity": index % 5,
            "committed_quantity": index % 7,
            "fulfillable_quantity": index % 11,
            "internal_transfer_quantity": 0,
            "onhand_quantity": index % 13,
        }
        for center in (10, 11)
    ]
    return {
        "id": 100_000 + index,
        "name": f"Item {index}",
        "is_active": True,
        "is_case_pick": False,
        "is_digital": False,
        "is_lot": True,
        "dimensions": {"depth": 1.5, "length": 8.0, "weight": 12.25, "width": 4.0},
        "packaging_attribute": "Fragile",
        "fulfillable_quantity_by_fulfillment_center": centers,
        "fulfillable_quantity_by_lot": [
            {
                "lot_number": f"LOT-{index}",
                "expiration_date": "2027-01-31T00:00:00Z",
                "awaiting_quantity": 0,
                "committed_quantity": index % 7,
                "fulfillable_quantity": 2 * (index % 11),
                "internal_transfer_quantity": 0,
                "onhand_quantity": 2 * (index % 13),
                "fulfillable_quantity_by_fulfillment_center": centers,
            }
        ],
        "total_awaiting_quantity": 2 * (index % 5),
        "total_backordered_quantity": 0,
        "total_committed_quantity": 2 * (index % 7),
        "total_exception_quantity": 0,
        "total_fulfillable_quantity": 2 * (index % 11),
        "total_internal_transfer_quantity": 0,
        "total_onhand_quantity": 2 * (index % 13),
        "total_sellable_quantity": 2 * (index % 11),
    }


def shipbob_inventory(count: int) -> bytes:
    """The JSON body of ShipBob's `GET /1.0/product/{id}/inventory`: a bare array of ``count`` items."""
    return json.dumps([shipbob_item(i) for i in range(count)], separators=(",", ":")).encode()
