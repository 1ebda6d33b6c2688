"""The public surface is pinned: the narrow root ``facade`` and the public ``facade.errors`` and ``facade.auth``.
Adding or removing a name is a deliberate, reviewed change (update the sets here with it)."""

from __future__ import annotations

import types

import pytest

import facade
import facade.auth
import facade.errors
import facade.fourthwall
import facade.shipbob

ROOT = {
    # clients
    "Fourthwall",
    "AsyncFourthwall",
    "ShipBob",
    "AsyncShipBob",
    # the errors an app catches most (the whole tree is facade.errors)
    "FacadeError",
    "ConfigurationError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "AuthenticationError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "ResponseValidationError",
    "PaginationError",
    # auth values
    "BasicAuth",
    "BearerAuth",
    "OAuthApp",
    "TokenSet",
    "Secret",
    # settings
    "RateLimit",
    "RequestBudget",
    "RetryPolicy",
    # results
    "StockLevel",
    "LocationStock",
    "LotStock",
    "UNLIMITED",
    "CatalogItem",
}

ERRORS = {
    "FacadeError",
    "ConfigurationError",
    "ClientClosedError",
    "InvalidArgumentError",
    "BudgetUnavailableError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "TokenRefreshError",
    "TokenRefreshRedirectError",
    "TokenHandoverError",
    "PermissionDeniedError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "NonStandardStatusError",
    "PaginationError",
    "PaginationReason",
    "ResponseValidationError",
    "ResponseTooLargeError",
}

AUTH = {
    "AuthLike",
    "BasicAuth",
    "BearerAuth",
    "OAuthApp",
    "OAuthRefreshAuth",
    "Secret",
    "TokenSet",
    "build_auth",
    "redact",
    "redact_data",
}

FOURTHWALL = {
    "FOURTHWALL",
    "AsyncFourthwall",
    "Fourthwall",
    "catalog_items_from_fourthwall",
    "stock_level_from_fourthwall",
    "stock_levels_from_offer",
}
SHIPBOB = {
    "SHIPBOB",
    "AsyncShipBob",
    "ShipBob",
    "catalog_items_from_shipbob",
    "stock_level_from_shipbob",
    "stock_levels_from_shipbob",
}


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        (facade, ROOT),
        (facade.errors, ERRORS),
        (facade.auth, AUTH),
        (facade.fourthwall, FOURTHWALL),
        (facade.shipbob, SHIPBOB),
    ],
)
def test_public_surface_is_exactly_the_pinned_names(module: types.ModuleType, expected: set[str]) -> None:
    exported = set(module.__all__)
    assert len(module.__all__) == len(exported), f"a name is listed twice in {module.__name__}.__all__"
    assert not expected - exported, f"removed from {module.__name__}.__all__: {sorted(expected - exported)}"
    added = sorted(exported - expected)
    assert not added, f"added to {module.__name__}.__all__ without updating this test: {added}"


@pytest.mark.parametrize("module", [facade, facade.errors, facade.auth])
def test_every_exported_name_exists_and_belongs_to_facade(module: types.ModuleType) -> None:
    for name in module.__all__:
        value = getattr(module, name)
        owner = getattr(value, "__module__", "facade")
        assert owner is None or owner.startswith("facade") or not isinstance(value, type), (name, owner)


def test_error_tree_shape() -> None:
    e = facade.errors
    assert issubclass(e.APITimeoutError, e.APIConnectionError)
    for status_error in (
        e.BadRequestError,
        e.AuthenticationError,
        e.PermissionDeniedError,
        e.NotFoundError,
        e.RateLimitError,
        e.ServerError,
    ):
        assert issubclass(status_error, e.APIStatusError)
    assert issubclass(e.TokenRefreshError, e.AuthenticationError)
    assert issubclass(e.TokenRefreshRedirectError, e.TokenRefreshError)
    assert issubclass(e.ClientClosedError, e.ConfigurationError)
    assert issubclass(e.ResponseTooLargeError, e.ResponseValidationError)
    assert issubclass(e.NonStandardStatusError, e.ResponseValidationError)
    assert issubclass(e.NonStandardStatusError, e.ServerError)
    # Not a status error: on_tokens failing is the app's storage, not the vendor (never retried either).
    assert not issubclass(e.TokenHandoverError, e.APIStatusError | e.APIConnectionError)
    for module in (facade, e):
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, Exception):
                assert issubclass(value, e.FacadeError), name
    # The root re-exports the same classes, not copies.
    assert facade.APITimeoutError is e.APITimeoutError
