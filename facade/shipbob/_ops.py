"""The generated ShipBob operations the task methods call: the one module that names the dated API version.

The generator puts the version in module names (``get_2026_01_inventory_level``); moving to the next version is a
spec update, a regeneration and new names here, nothing else. Imported lazily by the clients (the generated
package is large), so ``import facade`` stays cheap.
"""

from __future__ import annotations

from shipbob_client.api.inventory import get_2026_01_inventory_level as inventory_levels
from shipbob_client.api.inventory import get_2026_01_inventory_level_locations as inventory_levels_by_location
from shipbob_client.api.inventory import get_2026_01_inventory_level_lots as inventory_levels_by_lot
from shipbob_client.api.products import get_2026_01_product as products
from shipbob_client.api.products import get_2026_01_product_by_product_id as product
from shipbob_client.models.product_view_model_v5 import ProductViewModelV5

__all__ = [
    "ProductViewModelV5",
    "inventory_levels",
    "inventory_levels_by_location",
    "inventory_levels_by_lot",
    "product",
    "products",
]
