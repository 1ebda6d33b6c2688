"""The generated Fourthwall operations the task methods call, in one place (imported lazily by the clients: the
generated package is large, and ``import facade`` must stay cheap)."""

from __future__ import annotations

from fourthwall_client.api.products_offers import get_product_inventory as product_inventory
from fourthwall_client.api.products_offers import list_products as products

__all__ = ["product_inventory", "products"]
