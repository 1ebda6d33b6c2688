"""Typed, task-shaped access to Fourthwall and ShipBob, built on the generated clients.

Example::

    from facade import Fourthwall, NotFoundError

    with Fourthwall.from_env() as fw:
        try:
            page = fw.call(get_product_inventory.sync_detailed, "prod-1")
        except NotFoundError as exc:
            print(exc.code, exc.ids)
"""

from ._auth import BasicAuth, BearerAuth
from ._base import CallResult
from ._config import NOT_GIVEN, ClientConfig, NotGiven, RateLimit
from ._errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    FacadeError,
    NonStandardStatusError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
    TokenRefreshError,
)
from ._fourthwall import AsyncFourthwall, Fourthwall
from ._oauth import OAuthRefreshAuth, TokenSet
from ._secret import Secret
from ._shipbob import AsyncShipBob, ShipBob

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncFourthwall",
    "AsyncShipBob",
    "AuthenticationError",
    "BadRequestError",
    "BasicAuth",
    "BearerAuth",
    "CallResult",
    "ClientConfig",
    "ConfigurationError",
    "FacadeError",
    "Fourthwall",
    "NonStandardStatusError",
    "NotFoundError",
    "NotGiven",
    "OAuthRefreshAuth",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "ResponseValidationError",
    "Secret",
    "ServerError",
    "ShipBob",
    "TokenRefreshError",
    "TokenSet",
]
