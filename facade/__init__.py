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
from ._bulk import InventoryResult, ProductFailure
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
from ._follow import FollowedPage, afollow_next, follow_next
from ._fourthwall import AsyncFourthwall, Fourthwall
from ._normalize import stock_levels_from_fourthwall, stock_levels_from_shipbob
from ._oauth import OAuthRefreshAuth, TokenSet
from ._page_schemes import (
    apaginate_fourthwall,
    apaginate_shipbob_cursor,
    apaginate_shipbob_pages,
    paginate_fourthwall,
    paginate_shipbob_cursor,
    paginate_shipbob_pages,
)
from ._pagination import AsyncPaginator, Page, PageInfo, PaginationError, Paginator
from ._ratelimit import RequestBudget
from ._retry import RetryPolicy
from ._secret import Secret
from ._shipbob import AsyncShipBob, ShipBob
from ._stock import LocationStock, LotStock, StockLevel

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncFourthwall",
    "AsyncPaginator",
    "AsyncShipBob",
    "AuthenticationError",
    "BadRequestError",
    "BasicAuth",
    "BearerAuth",
    "CallResult",
    "ClientConfig",
    "ConfigurationError",
    "FacadeError",
    "FollowedPage",
    "Fourthwall",
    "InventoryResult",
    "LocationStock",
    "LotStock",
    "NonStandardStatusError",
    "NotFoundError",
    "NotGiven",
    "OAuthRefreshAuth",
    "Page",
    "PageInfo",
    "PaginationError",
    "Paginator",
    "PermissionDeniedError",
    "ProductFailure",
    "RateLimit",
    "RateLimitError",
    "RequestBudget",
    "ResponseValidationError",
    "RetryPolicy",
    "Secret",
    "ServerError",
    "ShipBob",
    "StockLevel",
    "TokenRefreshError",
    "TokenSet",
    "afollow_next",
    "apaginate_fourthwall",
    "apaginate_shipbob_cursor",
    "apaginate_shipbob_pages",
    "follow_next",
    "paginate_fourthwall",
    "paginate_shipbob_cursor",
    "paginate_shipbob_pages",
    "stock_levels_from_fourthwall",
    "stock_levels_from_shipbob",
]
