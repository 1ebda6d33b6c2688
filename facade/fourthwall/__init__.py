"""Fourthwall: the clients, and Fourthwall's facts for the call path (``FOURTHWALL``)."""

from ._client import AsyncFourthwall, Fourthwall
from ._vendor import FOURTHWALL

__all__ = ["FOURTHWALL", "AsyncFourthwall", "Fourthwall"]
