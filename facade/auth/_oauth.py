"""OAuth2 refresh-token auth as an ``httpx.Auth``: refresh before expiry and once on a 401, one refresh for
many concurrent requests, rotated tokens handed to a callback.

The refresh request is yielded from the auth flow itself, so it goes through the same httpx client (same
transport, TLS settings, timeouts and event hooks) as the API call. ``sync_auth_flow`` and
``async_auth_flow`` are overridden only to hold a lock (``threading.Lock`` / ``asyncio.Lock``) around the
check-and-refresh, so N concurrent requests with an expired token cause one refresh, not N::

    auth = OAuthRefreshAuth(
        token_url="https://auth.shipbob.com/connect/token",
        client_id="app", client_secret="s3cret", refresh_token="rt-1",
        on_tokens=lambda tokens: store.save(tokens.refresh_token.get_secret_value()),
    )
    client = httpx.Client(auth=auth)
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import attrs
import httpx

from ..defaults import MAX_ERROR_REASON_CHARS, TOKEN_REFRESH_MARGIN
from ..errors import ResponseValidationError, TokenRefreshError
from ._secret import Secret, redact

__all__ = ["OAuthRefreshAuth", "TokenSet"]

_log = logging.getLogger("facade.auth")
_OPERATION = "oauth_token_refresh"


@attrs.frozen(kw_only=True)
class TokenSet:
    """The tokens a refresh returned; ``on_tokens`` receives one after every refresh so the app can persist
    the rotated refresh token (ShipBob invalidates the old one on each refresh).

    Example::

        def save(tokens: TokenSet) -> None:
            vault.put("shipbob_refresh_token", tokens.refresh_token.get_secret_value())
    """

    access_token: Secret
    refresh_token: Secret
    expires_in: float | None = None
    token_type: str = "Bearer"  # noqa: S105 (the OAuth token type name, not a secret)
    scope: str | None = None


def _request_of(response: httpx.Response) -> httpx.Request | None:
    try:
        return response.request
    except RuntimeError:  # a response built by hand has no request
        return None


def _oauth_error(response: httpx.Response) -> tuple[str | None, str | None]:
    """Return RFC 6749 section 5.2 ``error`` and ``error_description`` from a refusal, if present."""
    try:
        body = response.json()
    except ValueError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    error, description = body.get("error"), body.get("error_description")
    return (
        error if isinstance(error, str) else None,
        description if isinstance(description, str) else None,
    )


class OAuthRefreshAuth(httpx.Auth):
    """Bearer auth that obtains and refreshes access tokens with an OAuth2 ``refresh_token`` grant.

    Refreshes when there is no access token yet, ``refresh_margin`` seconds before the announced expiry, and
    once when the API answers 401 to a token nobody has refreshed since. A refused refresh raises
    ``TokenRefreshError``; an exception raised by ``on_tokens`` propagates (the app must know that it failed
    to persist a rotated token).

    Example::

        auth = OAuthRefreshAuth(token_url=url, client_id="id", client_secret="s", refresh_token="rt")
        with httpx.Client(auth=auth) as http:
            http.get("https://api.example/thing")
    """

    # The token response must be read before we parse it; httpx reads bodies for us only in the default flows.
    requires_response_body = True

    def __init__(
        self,
        *,
        token_url: str,
        client_id: str | Secret,
        client_secret: str | Secret,
        refresh_token: str | Secret,
        access_token: str | Secret | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        refresh_margin: float = TOKEN_REFRESH_MARGIN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token_url = token_url
        self._client_id = Secret(client_id)
        self._client_secret = Secret(client_secret)
        self._refresh_token = Secret(refresh_token)
        self._access_token = Secret(access_token) if access_token is not None else None
        self._expires_at: float | None = None
        self._on_tokens = on_tokens
        self._margin = refresh_margin
        self._clock = clock
        # Bumped on every refresh: a request that got 401 refreshes only if nobody refreshed since it was sent.
        self._generation = 0
        self._sync_lock = threading.Lock()
        self._async_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"OAuthRefreshAuth(token_url={self.token_url!r}, client_id=<redacted>, client_secret=<redacted>)"

    @property
    def refresh_count(self) -> int:
        """How many refreshes this auth performed (for tests and metrics)."""
        return self._generation

    # -- shared, lock-free pieces -------------------------------------------------------------------------

    def _needs_refresh(self) -> bool:
        if self._access_token is None:
            return True
        return self._expires_at is not None and self._clock() >= self._expires_at - self._margin

    def _refresh_request(self, reason: str) -> httpx.Request:
        _log.debug("refreshing OAuth access token at %s (%s)", self.token_url, reason)
        form = {
            "grant_type": "refresh_token",
            "client_id": self._client_id.get_secret_value(),
            "client_secret": self._client_secret.get_secret_value(),
            "refresh_token": self._refresh_token.get_secret_value(),
        }
        return httpx.Request("POST", self.token_url, data=form, headers={"Accept": "application/json"})

    def _apply_token_response(self, response: httpx.Response) -> None:
        if response.status_code != httpx.codes.OK:
            error, description = _oauth_error(response)
            detail = f": {error}" if error else ""
            detail += f" ({description})" if description else ""
            # A token server may quote what we sent (refresh token, client secret) back in its description.
            # Redact first, then shorten: a cut through a quoted credential must not leave a prefix of it.
            detail = redact(detail, (self._refresh_token, self._client_secret, self._access_token, self._client_id))
            detail = detail[:MAX_ERROR_REASON_CHARS]
            raise TokenRefreshError(
                f"OAuth token refresh at {self.token_url} failed with HTTP {response.status_code}{detail}",
                operation=_OPERATION,
                status_code=response.status_code,
                code=error,
                request=_request_of(response),
                response=response,
            )
        tokens = self._parse_tokens(response)
        self._access_token = tokens.access_token
        self._refresh_token = tokens.refresh_token
        self._expires_at = self._clock() + tokens.expires_in if tokens.expires_in is not None else None
        self._generation += 1
        _log.debug("OAuth access token refreshed (expires_in=%s)", tokens.expires_in)
        if self._on_tokens is not None:
            self._on_tokens(tokens)

    def _parse_tokens(self, response: httpx.Response) -> TokenSet:
        def invalid(reason: str) -> ResponseValidationError:
            return ResponseValidationError(
                f"OAuth token response from {self.token_url} is invalid: {reason}",
                reason=reason,
                operation=_OPERATION,
                status_code=response.status_code,
                request=_request_of(response),
                response=response,
            )

        try:
            body: Any = response.json()
        except (ValueError, UnicodeDecodeError):
            raise invalid("body is not JSON") from None
        if not isinstance(body, dict):
            raise invalid("body is not a JSON object")
        access, refresh, expires_in = body.get("access_token"), body.get("refresh_token"), body.get("expires_in")
        if not isinstance(access, str) or not access:
            raise invalid("access_token missing or not a string")
        if refresh is not None and not isinstance(refresh, str):
            raise invalid("refresh_token is not a string")
        if expires_in is not None and (isinstance(expires_in, bool) or not isinstance(expires_in, int | float)):
            raise invalid("expires_in is not a number")
        token_type, scope = body.get("token_type"), body.get("scope")
        return TokenSet(
            access_token=Secret(access),
            # Not every server rotates: keep the current refresh token when none comes back.
            refresh_token=Secret(refresh) if refresh else self._refresh_token,
            expires_in=float(expires_in) if expires_in is not None else None,
            token_type=token_type if isinstance(token_type, str) else "Bearer",
            scope=scope if isinstance(scope, str) else None,
        )

    def _authorized(self, request: httpx.Request) -> httpx.Request:
        assert self._access_token is not None  # set by the refresh that precedes every use
        request.headers["Authorization"] = f"Bearer {self._access_token.get_secret_value()}"
        return request

    # -- the flows: identical logic, each holding its own kind of lock across the refresh round trip ------

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        with self._sync_lock:
            if self._needs_refresh():
                refresh = yield self._refresh_request("no valid access token")
                refresh.read()
                self._apply_token_response(refresh)
            generation = self._generation
            request = self._authorized(request)
        response = yield request
        if response.status_code != httpx.codes.UNAUTHORIZED:
            return
        with self._sync_lock:
            if self._generation == generation:
                refresh = yield self._refresh_request("API answered 401")
                refresh.read()
                self._apply_token_response(refresh)
            request = self._authorized(request)
        yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        async with self._async_lock:
            if self._needs_refresh():
                refresh = yield self._refresh_request("no valid access token")
                await refresh.aread()
                self._apply_token_response(refresh)
            generation = self._generation
            request = self._authorized(request)
        response = yield request
        if response.status_code != httpx.codes.UNAUTHORIZED:
            return
        async with self._async_lock:
            if self._generation == generation:
                refresh = yield self._refresh_request("API answered 401")
                await refresh.aread()
                self._apply_token_response(refresh)
            request = self._authorized(request)
        yield request
