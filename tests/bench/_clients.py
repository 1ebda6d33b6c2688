"""Builds the facade clients the benches drive, pointed at the local server, and says when a part is missing.

Kept in one place so a change in the facade's constructors touches one file. Rate limiting is switched off
for the overhead and memory benches (they measure our per-call cost, not the vendor's limit) and set to the
server's scaled-down limit for the bulk bench.

Example::

    reason = missing("Fourthwall.inventory", "ShipBob")   # None when both exist
    with fourthwall(server.url) as fw: ...
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["BASIC", "TOKEN", "async_fourthwall", "async_shipbob", "fourthwall", "missing", "shipbob"]

# Throwaway credentials for the local server, which ignores them; they only make both sides send an auth header.
BASIC = ("bench-user", "bench-password")
TOKEN = "bench-token"


def missing(*names: str) -> str | None:
    """Why the facade cannot be benchmarked yet, or ``None`` if every name exists.

    A name is a public attribute of ``facade`` (``"Fourthwall"``) or one of its members (``"Fourthwall.inventory"``).
    """
    try:
        facade = importlib.import_module("facade")
    except ImportError as error:
        return f"`import facade` fails: {error}"
    absent = []
    for name in names:
        owner, _, member = name.partition(".")
        found = getattr(facade, owner, None)
        if found is None or (member and not hasattr(found, member)):
            absent.append(f"facade.{name}")
    return f"{', '.join(absent)} not in this tree yet" if absent else None


def _facade() -> Any:
    return importlib.import_module("facade")


def _limit(limit: tuple[int, float] | None) -> Any:
    if limit is None:
        return None
    return _facade().RateLimit(requests=limit[0], per_seconds=limit[1])


def fourthwall(url: str, *, limit: tuple[int, float] | None = None) -> Any:
    """A sync ``facade.Fourthwall`` on ``url`` (Basic auth), rate limiting off unless ``limit`` is given."""
    return _facade().Fourthwall(username=BASIC[0], password=BASIC[1], base_url=url, rate_limit=_limit(limit))


def shipbob(url: str, *, limit: tuple[int, float] | None = None) -> Any:
    """A sync ``facade.ShipBob`` on ``url`` (personal access token), rate limiting off unless ``limit`` is given."""
    return _facade().ShipBob(token=TOKEN, base_url=url, rate_limit=_limit(limit))


def async_fourthwall(url: str, *, limit: tuple[int, float] | None = None) -> Any:
    """The asyncio twin of ``fourthwall``."""
    return _facade().AsyncFourthwall(username=BASIC[0], password=BASIC[1], base_url=url, rate_limit=_limit(limit))


def async_shipbob(url: str, *, limit: tuple[int, float] | None = None) -> Any:
    """The asyncio twin of ``shipbob``."""
    return _facade().AsyncShipBob(token=TOKEN, base_url=url, rate_limit=_limit(limit))
