"""Typed, task-shaped access to Fourthwall and ShipBob, built on the generated clients.

The root holds what an app needs; building blocks live in public submodules (``facade.auth``,
``facade.pagination``, ``facade.core``, ``facade.budget``, ``facade.retry``, ``facade.defaults``, ...).

Example::

    from facade import Fourthwall, ShipBob

    with Fourthwall.from_env() as fw, ShipBob.from_env() as sb:
        for level in fw.iter_stock():
            print(level.sku, level.available)
"""

from typing import TYPE_CHECKING

from . import _lazy

# Names load on first use (facade._lazy): ``import facade`` imports none of the clients, httpx or asyncio.
if TYPE_CHECKING:
    from .auth import BasicAuth, BearerAuth, OAuthApp, Secret, TokenSet
    from .budget import RateLimit, RequestBudget
    from .catalog import CatalogItem
    from .errors import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        ConfigurationError,
        FacadeError,
        NotFoundError,
        PaginationError,
        RateLimitError,
        ResponseValidationError,
        ServerError,
    )
    from .fourthwall import AsyncFourthwall, Fourthwall
    from .retry import RetryPolicy
    from .shipbob import AsyncShipBob, ShipBob
    from .stock import UNLIMITED, LocationStock, LotStock, StockLevel
else:
    __getattr__, __dir__ = _lazy.lazy_exports(
        __name__,
        {
            ".auth": ("BasicAuth", "BearerAuth", "OAuthApp", "Secret", "TokenSet"),
            ".budget": ("RateLimit", "RequestBudget"),
            ".catalog": ("CatalogItem",),
            ".errors": (
                "APIConnectionError",
                "APIStatusError",
                "APITimeoutError",
                "AuthenticationError",
                "ConfigurationError",
                "FacadeError",
                "NotFoundError",
                "PaginationError",
                "RateLimitError",
                "ResponseValidationError",
                "ServerError",
            ),
            ".fourthwall": ("AsyncFourthwall", "Fourthwall"),
            ".retry": ("RetryPolicy",),
            ".shipbob": ("AsyncShipBob", "ShipBob"),
            ".stock": ("UNLIMITED", "LocationStock", "LotStock", "StockLevel"),
        },
        # Reachable as attributes after a bare ``import facade``, as when the root imported them all eagerly.
        submodules=(
            "auth",
            "budget",
            "bulk",
            "catalog",
            "cli",
            "config",
            "core",
            "defaults",
            "errors",
            "fourthwall",
            "pagination",
            "reconcile",
            "retry",
            "sandbox",
            "shipbob",
            "stock",
            "webhooks",
        ),
    )

__all__ = [
    "UNLIMITED",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncFourthwall",
    "AsyncShipBob",
    "AuthenticationError",
    "BasicAuth",
    "BearerAuth",
    "CatalogItem",
    "ConfigurationError",
    "FacadeError",
    "Fourthwall",
    "LocationStock",
    "LotStock",
    "NotFoundError",
    "OAuthApp",
    "PaginationError",
    "RateLimit",
    "RateLimitError",
    "RequestBudget",
    "ResponseValidationError",
    "RetryPolicy",
    "Secret",
    "ServerError",
    "ShipBob",
    "StockLevel",
    "TokenSet",
]
