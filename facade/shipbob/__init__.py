"""ShipBob: the clients, ShipBob's facts for the call path (``SHIPBOB``), and the mappers from generated models to
the facade's values (for models you fetched yourself, e.g. through ``client.generated``)."""

from ._catalog import catalog_items_from_shipbob
from ._client import AsyncShipBob, ShipBob
from ._stock import stock_level_from_shipbob, stock_levels_from_shipbob
from ._vendor import SHIPBOB

__all__ = [
    "SHIPBOB",
    "AsyncShipBob",
    "ShipBob",
    "catalog_items_from_shipbob",
    "stock_level_from_shipbob",
    "stock_levels_from_shipbob",
]
