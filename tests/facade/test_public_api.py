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
}


def test_core_names_are_exported():
    # Other features (stock, pagination, bulk) add names of their own; the core ones must all stay.
    missing = EXPECTED - set(facade.__all__)
    assert not missing, f"removed from facade.__all__: {sorted(missing)}"


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
