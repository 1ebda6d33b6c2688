"""OAuth2 refresh-token auth as an ``httpx.Auth``: refresh before expiry and once on a 401, one refresh for
many concurrent requests, rotated tokens handed to a callback.

The refresh is sent through the httpx client the auth is ``bind`` -ed to (its transport, TLS settings, timeout
and event hooks), always with ``follow_redirects=False``: credentials are never re-POSTed to a redirect target
(a 3xx is a ``TokenRefreshRedirectError``). Facade clients bind their auth themselves. An auth that is not bound
refuses to refresh (``ConfigurationError``, nothing sent): yielded from the flow instead, the token POST would
follow the client's redirects, and a 307/308 would hand the client secret and refresh token to another origin.
``sync_auth_flow`` and ``async_auth_flow`` hold a lock (``threading.Lock`` / ``asyncio.Lock``) around the
check-and-refresh, so N concurrent requests with an expired token cause one refresh, not N::

    auth = OAuthRefreshAuth(
        token_url="https://auth.shipbob.com/connect/token",
        client_id="app", client_secret="s3cret", refresh_token="rt-1",
        on_tokens=lambda tokens: store.save(tokens.refresh_token.get_secret_value()),
    )
    client = httpx.Client(auth=auth)
    auth.bind(client)

Unlike httpx's own auth flows (and ``facade.auth.BasicAuth``), the flows do not yield the token request: the
refresh is sent with ``client.send`` instead, because a yielded request follows the client's redirect setting.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import TYPE_CHECKING, Any

import attrs
import httpx

from .._json import TooDeepError, load_json
from ..defaults import MAX_ERROR_REASON_CHARS, TOKEN_REFRESH_MARGIN
from ..errors import (
    ConfigurationError,
    ResponseValidationError,
    TokenHandoverError,
    TokenRefreshError,
    TokenRefreshRedirectError,
)
from ._secret import Secret, redact, redact_data

if TYPE_CHECKING:
    import asyncio  # imported where the async flow runs: sync clients never load it

__all__ = ["OAuthRefreshAuth", "TokenSet"]

_log = logging.getLogger("facade.auth")
_OPERATION = "oauth_token_refresh"
# httpx's base Auth sends a request unchanged: the refresh must not re-enter this auth's own flow.
_NO_AUTH = httpx.Auth()


def _origin(url: str, base: str) -> str:
    try:
        target = httpx.URL(base).join(url)
    except (httpx.InvalidURL, TypeError):
        return "<unparseable>"
    port = f":{target.port}" if target.port is not None else ""
    return f"{target.scheme}://{target.host}{port}"


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


def _json_body(response: httpx.Response) -> Any:
    """The decoded body, or None when it is not JSON or nested too deeply (``load_json``)."""
    try:
        return load_json(response.content)
    except ValueError:
        return None


def _oauth_error(body: Any) -> tuple[str | None, str | None]:
    """Return RFC 6749 section 5.2 ``error`` and ``error_description`` from a refusal's body, if present."""
    if not isinstance(body, dict):
        return None, None
    error, description = body.get("error"), body.get("error_description")
    return (
        error if isinstance(error, str) else None,
        description if isinstance(description, str) else None,
    )


class OAuthRefreshAuth(httpx.Auth):
    """Bearer auth that obtains and refreshes access tokens with an OAuth2 ``refresh_token`` grant.

    Refreshes when there is no access token yet, ``refresh_margin`` seconds before the announced expiry (at most
    half the token's lifetime, so a token living shorter than the margin is refreshed once per expiry, not on
    every request), and once when the API answers 401 to a token nobody has refreshed since.

    - Bind it first: ``auth.bind(http)`` (facade clients do). Refreshes go through that client with
      ``follow_redirects=False``, whatever the client does for API calls. Unbound, or bound to a closed client,
      a refresh is refused with ``ConfigurationError`` before anything is sent (an auth given an access token
      works unbound until that token needs refreshing).
    - ``expires_in=0`` (or negative) means the token expires at once: it serves the requests that waited for
      that refresh (the one that triggered it and any queued behind the lock), and the next request refreshes
      again: one refresh per burst of concurrent requests, at worst one per request made one at a time.
    - A refused refresh raises ``TokenRefreshError``; a redirect from the token endpoint raises
      ``TokenRefreshRedirectError`` and is never followed.
    - ``on_tokens`` raising: the new tokens stay in use, ``TokenHandoverError`` (carrying them) is raised, and
      the handover is tried again before every later request until it succeeds.
    - Async: a refresh once sent completes and reaches ``on_tokens`` even if the caller that triggered
      it is cancelled (the refresh runs in a shielded task that later callers join). Sync calls cannot be
      cancelled midway, so there is nothing to shield.

    Example::

        auth = OAuthRefreshAuth(token_url=url, client_id="id", client_secret="s", refresh_token="rt")
        with httpx.Client(auth=auth, follow_redirects=True) as http:
            auth.bind(http)  # the token POST never follows a redirect
            http.get("https://api.example/thing")
    """

    # The API response is read before the flow looks at its status, so a 401's connection is free for the retry.
    # (The token response is read by ``client.send`` itself.)
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
        self._refresh_at: float | None = None
        self._on_tokens = on_tokens
        self._margin = refresh_margin
        self._clock = clock
        # Tokens whose handover to on_tokens failed: handed over again before the next request.
        self._pending: TokenSet | None = None
        # Bumped on every refresh: a request that got 401 refreshes only if nobody refreshed since it was sent.
        self._generation = 0
        self._sync_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None  # made on first async use
        self._sync_http: httpx.Client | None = None
        self._async_http: httpx.AsyncClient | None = None
        self._refresh_task: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"OAuthRefreshAuth(token_url={self.token_url!r}, client_id=<redacted>, client_secret=<redacted>)"

    @property
    def refresh_count(self) -> int:
        """How many refreshes this auth performed (for tests and metrics)."""
        return self._generation

    @property
    def pending_tokens(self) -> TokenSet | None:
        """Tokens ``on_tokens`` failed to take (see ``TokenHandoverError``), or None when all were handed over."""
        return self._pending

    def bind(self, http: httpx.Client | httpx.AsyncClient) -> None:
        """Send refreshes through ``http`` itself, never following redirects; required before the first refresh
        (facade clients call this). One sync and one async client can be bound; binding again replaces.

        Example::

            http = httpx.Client(auth=auth, follow_redirects=True)
            auth.bind(http)  # the API calls follow redirects, the token POST never does
        """
        if isinstance(http, httpx.AsyncClient):
            self._async_http = http
        else:
            self._sync_http = http

    # -- shared, lock-free pieces -------------------------------------------------------------------------

    def _needs_refresh(self) -> bool:
        if self._access_token is None:
            return True
        return self._refresh_at is not None and self._clock() >= self._refresh_at

    def _form(self) -> dict[str, str]:
        return {
            "grant_type": "refresh_token",
            "client_id": self._client_id.get_secret_value(),
            "client_secret": self._client_secret.get_secret_value(),
            "refresh_token": self._refresh_token.get_secret_value(),
        }

    def _bound_request(self, http: httpx.Client | httpx.AsyncClient, reason: str) -> httpx.Request:
        _log.debug("refreshing OAuth access token at %s (%s)", self.token_url, reason)
        # build_request applies the client's timeout and headers.
        return http.build_request("POST", self.token_url, data=self._form(), headers={"Accept": "application/json"})

    def _secrets(self) -> tuple[Secret | None, ...]:
        return (self._refresh_token, self._client_secret, self._access_token, self._client_id)

    def _apply_token_response(self, response: httpx.Response) -> None:
        if response.has_redirect_location or response.history:
            redirected = response.history[0] if response.history else response
            location = _origin(redirected.headers.get("location", ""), self.token_url)
            followed = "; its answer was not used" if response.history else "; not followed"
            raise TokenRefreshRedirectError(
                f"OAuth token refresh at {self.token_url} was redirected (HTTP {redirected.status_code} to "
                f"{location}){followed}: credentials are only sent to the configured token URL",
                operation=_OPERATION,
                status_code=redirected.status_code,
                location=location,
                request=_request_of(response),
                response=response,
            )
        if response.status_code != httpx.codes.OK:
            body = _json_body(response)
            error, description = _oauth_error(body)
            detail = f": {error}" if error else ""
            detail += f" ({description})" if description else ""
            # A token server may quote what we sent (refresh token, client secret) back in its description.
            # Redact first, then shorten: a cut through a quoted credential must not leave a prefix of it.
            detail = redact(detail, self._secrets())[:MAX_ERROR_REASON_CHARS]
            raise TokenRefreshError(
                f"OAuth token refresh at {self.token_url} failed with HTTP {response.status_code}{detail}",
                operation=_OPERATION,
                status_code=response.status_code,
                code=redact(error, self._secrets()) if error else None,
                body=redact_data(body, self._secrets()),
                request=_request_of(response),
                response=response,
            )
        tokens = self._parse_tokens(response)
        self._access_token = tokens.access_token
        self._refresh_token = tokens.refresh_token
        if tokens.expires_in is None:
            self._refresh_at = None
        else:
            lifetime = max(tokens.expires_in, 0.0)  # 0 or less: expired at once (see the class docstring)
            self._refresh_at = self._clock() + lifetime - min(self._margin, lifetime / 2)
        self._generation += 1
        _log.debug("OAuth access token refreshed (expires_in=%s)", tokens.expires_in)
        self._pending = tokens
        self._hand_over()

    def _hand_over(self) -> None:
        tokens = self._pending
        if tokens is None:
            return
        if self._on_tokens is not None:
            try:
                self._on_tokens(tokens)
            except Exception as exc:
                raise TokenHandoverError(
                    f"on_tokens raised {type(exc).__name__} while receiving rotated OAuth tokens from "
                    f"{self.token_url}; the client keeps them and hands them over again before its next request "
                    "(they are in this error's .tokens)",
                    operation=_OPERATION,
                    tokens=tokens,
                ) from exc
        self._pending = None

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
            body: Any = load_json(response.content)
        except TooDeepError:
            raise invalid("body is nested too deeply") from None
        except ValueError:
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

    def _unbound(self) -> ConfigurationError:
        return ConfigurationError(
            f"OAuthRefreshAuth for {self.token_url} must refresh its access token but is not bound to an open httpx "
            "client: call auth.bind(http) with the client it serves (facade clients do this), so the token request "
            "never follows a redirect; nothing was sent"
        )

    def _must_refresh(self, seen_generation: int) -> bool:
        # A refresh that completed while this request waited for the lock serves it, even if that token has
        # already expired (expires_in=0): otherwise every waiter would refresh again, one after the other.
        return self._generation == seen_generation and self._needs_refresh()

    # -- the flows: identical logic, each holding its own kind of lock across the refresh round trip ------

    def _sync_refresh(self, reason: str) -> None:
        http = self._sync_http
        if http is None or http.is_closed:
            raise self._unbound()
        response = http.send(self._bound_request(http, reason), auth=_NO_AUTH, follow_redirects=False)
        self._apply_token_response(response)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        seen = self._generation
        with self._sync_lock:
            self._hand_over()
            if self._must_refresh(seen):
                self._sync_refresh("no valid access token")
            generation = self._generation
            request = self._authorized(request)
        response = yield request
        if response.status_code != httpx.codes.UNAUTHORIZED:
            return
        with self._sync_lock:
            if self._generation == generation:
                self._sync_refresh("API answered 401")
            request = self._authorized(request)
        yield request

    def _alock(self) -> asyncio.Lock:
        import asyncio

        if self._async_lock is None:  # no await since the check: one lock, whichever coroutine comes first
            self._async_lock = asyncio.Lock()
        return self._async_lock

    async def _arefresh(self, reason: str) -> None:
        import asyncio

        # Shielded: once the token POST is sent the vendor may rotate the refresh token, so the answer must be
        # received and handed over even if the caller is cancelled; a later caller joins the same task.
        task = self._refresh_task
        if task is None or task.done():
            http = self._async_http
            if http is None or http.is_closed:
                raise self._unbound()

            async def refresh() -> None:
                response = await http.send(self._bound_request(http, reason), auth=_NO_AUTH, follow_redirects=False)
                self._apply_token_response(response)

            task = asyncio.ensure_future(refresh())
            task.add_done_callback(_retrieve)
            self._refresh_task = task
        await asyncio.shield(task)

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        seen = self._generation
        async with self._alock():
            self._hand_over()
            if self._must_refresh(seen) or (self._refresh_task is not None and not self._refresh_task.done()):
                await self._arefresh("no valid access token")
            generation = self._generation
            request = self._authorized(request)
        response = yield request
        if response.status_code != httpx.codes.UNAUTHORIZED:
            return
        async with self._alock():
            if self._generation == generation:
                await self._arefresh("API answered 401")
            request = self._authorized(request)
        yield request


def _retrieve(task: asyncio.Task[None]) -> None:
    # A refresh whose caller was cancelled may fail with nobody awaiting it; its error is raised again to the
    # next caller (pending tokens, refused refresh), so only silence asyncio's "never retrieved" warning.
    if not task.cancelled():
        task.exception()
