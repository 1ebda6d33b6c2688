"""Fourthwall Open API clients (sync and async): auth modes, defaults and the environment.

See https://docs.fourthwall.com/open-api/ for the vendor's auth, rate limit and pagination rules::

    with Fourthwall(username="shop-api-user", password="...") as fw:
        page = fw.call(get_product_inventory.sync_detailed, "prod-1", page=0, size=50)
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Self

import httpx

from ._auth import BasicAuth, BearerAuth
from ._base import AsyncClient, SyncClient, configured_generated_client
from ._config import NOT_GIVEN, ClientConfig, NotGiven, RateLimit, TimeoutTypes, check_url, make_timeout
from ._constants import (
    DEFAULT_MAX_RETRIES,
    FOURTHWALL_BASE_URL,
    FOURTHWALL_RATE_LIMIT,
    FOURTHWALL_TOKEN_PATH,
    USER_AGENT,
)
from ._env import fourthwall_settings
from ._errors import ConfigurationError
from ._inventory import AsyncFourthwallInventory, FourthwallInventory
from ._oauth import OAuthRefreshAuth, TokenSet
from ._ratelimit import RequestBudget
from ._secret import Secret

if TYPE_CHECKING:
    from fourthwall_client.client import AuthenticatedClient

__all__ = ["AsyncFourthwall", "Fourthwall"]

_DEFAULT_RATE_LIMIT: Final = RateLimit(requests=FOURTHWALL_RATE_LIMIT[0], per_seconds=FOURTHWALL_RATE_LIMIT[1])
_HEADERS: Final = {"User-Agent": USER_AGENT, "Accept": "application/json"}
_CREDENTIAL_HELP: Final = (
    "username= and password= (the shop's Open API user), access_token=, or client_id=, client_secret= and "
    "refresh_token= (OAuth app); or use Fourthwall.from_env()"
)


def _choose_auth(
    *,
    username: str | Secret | None,
    password: str | Secret | None,
    access_token: str | Secret | None,
    client_id: str | Secret | None,
    client_secret: str | Secret | None,
    refresh_token: str | Secret | None,
    on_tokens: Callable[[TokenSet], None] | None,
    token_url: str,
    auth: httpx.Auth | None,
) -> httpx.Auth:
    given = {
        name
        for name, value in {
            "username": username,
            "password": password,
            "access_token": access_token,
            "client_id": client_id,
            "client_secret": client_secret,
            "refresh_token": refresh_token,
        }.items()
        if value is not None
    }
    if auth is not None:
        if given:
            raise ConfigurationError(
                f"Fourthwall: pass either auth= or credentials ({', '.join(sorted(given))}), not both"
            )
        return auth
    oauth = {"client_id", "client_secret", "refresh_token"}
    if given & oauth:
        if missing := sorted(oauth - given):
            raise ConfigurationError(f"Fourthwall OAuth mode also needs {', '.join(missing)}")
        if given & {"username", "password"}:
            raise ConfigurationError("Fourthwall: pass either username/password or OAuth client credentials, not both")
        assert client_id is not None and client_secret is not None and refresh_token is not None
        return OAuthRefreshAuth(
            token_url=token_url,
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            access_token=access_token,
            on_tokens=on_tokens,
        )
    if on_tokens is not None:
        raise ConfigurationError(
            "Fourthwall: on_tokens= applies only to OAuth mode (client_id, client_secret, refresh_token)"
        )
    if given & {"username", "password"}:
        if username is None or password is None:
            raise ConfigurationError("Fourthwall HTTP Basic needs both username= and password=")
        if access_token is not None:
            raise ConfigurationError("Fourthwall: pass either username/password or access_token, not both")
        return BasicAuth(username, password)
    if access_token is not None:
        return BearerAuth(access_token)
    raise ConfigurationError(f"Fourthwall needs credentials: {_CREDENTIAL_HELP}")


def _setup(
    *,
    base_url: str,
    token_url: str | None,
    timeout: TimeoutTypes | NotGiven,
    max_retries: int,
    rate_limit: RateLimit | RequestBudget | NotGiven | None,
    strict: bool,
    allow_insecure_http: bool,
    verify: bool | str | ssl.SSLContext,
    follow_redirects: bool,
    credentials: dict[str, Any],
) -> tuple[ClientConfig, httpx.Auth]:
    base_url = check_url(base_url, what="Fourthwall base_url", allow_insecure_http=allow_insecure_http)
    token_url = check_url(
        token_url or base_url + FOURTHWALL_TOKEN_PATH,
        what="Fourthwall token_url",
        allow_insecure_http=allow_insecure_http,
    )
    config = ClientConfig(
        base_url=base_url,
        timeout=make_timeout(timeout),
        max_retries=max_retries,
        rate_limit=_DEFAULT_RATE_LIMIT if isinstance(rate_limit, NotGiven) else rate_limit,
        strict=strict,
        allow_insecure_http=allow_insecure_http,
        verify=verify,
        follow_redirects=follow_redirects,
    )
    return config, _choose_auth(token_url=token_url, **credentials)


def _generated_factory(config: ClientConfig) -> Callable[[], AuthenticatedClient]:
    def make() -> AuthenticatedClient:
        # Imported here: importing facade must stay cheap; the generated package can be large.
        from fourthwall_client.client import AuthenticatedClient

        return configured_generated_client(AuthenticatedClient, config)

    return make


class Fourthwall(SyncClient["AuthenticatedClient"], FourthwallInventory):
    """Sync Fourthwall Open API client; a context manager owning one ``httpx.Client``.

    Auth (exactly one): ``username=``/``password=`` (HTTP Basic, the shop's Open API user),
    ``access_token=`` (Bearer), or ``client_id=``/``client_secret=``/``refresh_token=`` (OAuth app: refreshes
    before expiry and once on 401; ``on_tokens`` receives rotated tokens), or a custom ``auth=`` httpx.Auth.
    ``from_env()`` reads FOURTHWALL_USERNAME/FOURTHWALL_PASSWORD, FOURTHWALL_ACCESS_TOKEN,
    FOURTHWALL_CLIENT_ID/FOURTHWALL_CLIENT_SECRET/FOURTHWALL_REFRESH_TOKEN and FOURTHWALL_BASE_URL.

    Example::

        with Fourthwall.from_env() as fw:
            page = fw.call(get_product_inventory.sync_detailed, "prod-1")
    """

    def __init__(
        self,
        *,
        username: str | Secret | None = None,
        password: str | Secret | None = None,
        access_token: str | Secret | None = None,
        client_id: str | Secret | None = None,
        client_secret: str | Secret | None = None,
        refresh_token: str | Secret | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        token_url: str | None = None,
        auth: httpx.Auth | None = None,
        base_url: str = FOURTHWALL_BASE_URL,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limit: RateLimit | RequestBudget | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        allow_insecure_http: bool = False,
        verify: bool | str | ssl.SSLContext = True,
        follow_redirects: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        config, chosen = _setup(
            base_url=base_url,
            token_url=token_url,
            timeout=timeout,
            max_retries=max_retries,
            rate_limit=rate_limit,
            strict=strict,
            allow_insecure_http=allow_insecure_http,
            verify=verify,
            follow_redirects=follow_redirects,
            credentials={
                "username": username,
                "password": password,
                "access_token": access_token,
                "client_id": client_id,
                "client_secret": client_secret,
                "refresh_token": refresh_token,
                "on_tokens": on_tokens,
                "auth": auth,
            },
        )
        self._init_http(
            config=config, auth=chosen, headers=_HEADERS, transport=transport, make_generated=_generated_factory(config)
        )

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """Build a client from FOURTHWALL_* environment variables; ``options`` go to the constructor.

        Example::

            fw = Fourthwall.from_env(timeout=10.0)
        """
        return cls(**{**fourthwall_settings(os.environ if environ is None else environ), **options})


class AsyncFourthwall(AsyncClient["AuthenticatedClient"], AsyncFourthwallInventory):
    """Async twin of ``Fourthwall`` (same arguments and environment variables); owns one ``httpx.AsyncClient``.

    Example::

        async with AsyncFourthwall(access_token="...") as fw:
            page = await fw.call(get_product_inventory.asyncio_detailed, "prod-1")
    """

    def __init__(
        self,
        *,
        username: str | Secret | None = None,
        password: str | Secret | None = None,
        access_token: str | Secret | None = None,
        client_id: str | Secret | None = None,
        client_secret: str | Secret | None = None,
        refresh_token: str | Secret | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        token_url: str | None = None,
        auth: httpx.Auth | None = None,
        base_url: str = FOURTHWALL_BASE_URL,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limit: RateLimit | RequestBudget | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        allow_insecure_http: bool = False,
        verify: bool | str | ssl.SSLContext = True,
        follow_redirects: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        config, chosen = _setup(
            base_url=base_url,
            token_url=token_url,
            timeout=timeout,
            max_retries=max_retries,
            rate_limit=rate_limit,
            strict=strict,
            allow_insecure_http=allow_insecure_http,
            verify=verify,
            follow_redirects=follow_redirects,
            credentials={
                "username": username,
                "password": password,
                "access_token": access_token,
                "client_id": client_id,
                "client_secret": client_secret,
                "refresh_token": refresh_token,
                "on_tokens": on_tokens,
                "auth": auth,
            },
        )
        self._init_http(
            config=config, auth=chosen, headers=_HEADERS, transport=transport, make_generated=_generated_factory(config)
        )

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """Build a client from FOURTHWALL_* environment variables; ``options`` go to the constructor.

        Example::

            fw = AsyncFourthwall.from_env(strict=True)
        """
        return cls(**{**fourthwall_settings(os.environ if environ is None else environ), **options})
