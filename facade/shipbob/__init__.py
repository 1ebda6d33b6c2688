"""ShipBob: the clients, and ShipBob's facts for the call path (``SHIPBOB``)."""

from ._client import AsyncShipBob, ShipBob
from ._vendor import SHIPBOB

__all__ = ["SHIPBOB", "AsyncShipBob", "ShipBob"]
