"""Fourthwall: the clients, Fourthwall's facts for the call path (``FOURTHWALL``), and the mappers from generated
models to the facade's values (for models you fetched yourself, e.g. through ``client.generated``)."""

from ._catalog import catalog_items_from_fourthwall
from ._client import AsyncFourthwall, Fourthwall
from ._stock import stock_level_from_fourthwall, stock_levels_from_offer
from ._vendor import FOURTHWALL

__all__ = [
    "FOURTHWALL",
    "AsyncFourthwall",
    "Fourthwall",
    "catalog_items_from_fourthwall",
    "stock_level_from_fourthwall",
    "stock_levels_from_offer",
]
