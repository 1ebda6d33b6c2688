"""The public surface of ``facade`` is pinned: adding or removing a name is a deliberate, reviewed change."""

from __future__ import annotations

import facade

EXPECTED = {
    # clients
    "Fourthwall",
    "AsyncFourthwall",
    "ShipBob",
    "AsyncShipBob",
    # errors
    "FacadeError",
    "ConfigurationError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "TokenRefreshError",
    "PermissionDeniedError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "NonStandardStatusError",
    "ResponseValidationError",
    # auth and configuration values
    "BasicAuth",
    "BearerAuth",
    "OAuthRefreshAuth",
    "TokenSet",
    "Secret",
    "ClientConfig",
    "RateLimit",
    "CallResult",
    "NOT_GIVEN",
    "NotGiven",
    # resilience
    "RetryPolicy",
    "RequestBudget",
    # the stock model and its mappers
    "StockLevel",
    "LocationStock",
    "LotStock",
    "stock_levels_from_fourthwall",
    "stock_levels_from_shipbob",
    # pagination (any generated operation) and bulk results
    "PageInfo",
    "Page",
    "Paginator",
    "AsyncPaginator",
    "PaginationError",
    "FollowedPage",
    "follow_next",
    "afollow_next",
    "paginate_fourthwall",
    "apaginate_fourthwall",
    "paginate_shipbob_pages",
    "apaginate_shipbob_pages",
    "paginate_shipbob_cursor",
    "apaginate_shipbob_cursor",
    "InventoryResult",
    "ProductFailure",
}


def test_public_surface_is_exactly_the_pinned_names():
    exported = set(facade.__all__)
    assert len(facade.__all__) == len(exported), "a name is listed twice in facade.__all__"
    assert not EXPECTED - exported, f"removed from facade.__all__: {sorted(EXPECTED - exported)}"
    assert not exported - EXPECTED, f"added to facade.__all__ without updating this test: {sorted(exported - EXPECTED)}"


def test_every_exported_name_exists_and_belongs_to_facade():
    for name in facade.__all__:
        value = getattr(facade, name)
        module = getattr(value, "__module__", "facade")
        assert module.startswith("facade"), (name, module)


def test_error_tree_shape():
    assert issubclass(facade.APITimeoutError, facade.APIConnectionError)
    for status_error in (
        facade.BadRequestError,
        facade.AuthenticationError,
        facade.PermissionDeniedError,
        facade.NotFoundError,
        facade.RateLimitError,
        facade.ServerError,
    ):
        assert issubclass(status_error, facade.APIStatusError)
    assert issubclass(facade.TokenRefreshError, facade.AuthenticationError)
    assert issubclass(facade.NonStandardStatusError, facade.ResponseValidationError)
    assert issubclass(facade.NonStandardStatusError, facade.ServerError)
    for name in facade.__all__:
        value = getattr(facade, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, facade.FacadeError), name
