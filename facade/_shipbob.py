"""ShipBob API clients (sync and async): PAT and OAuth auth, environments, channel header, environment vars.

See https://developer.shipbob.com/auth for the vendor's auth rules::

    with ShipBob(token="pat_...", channel_id=12345) as sb:
        items = sb.call(get_a_list_of_inventory_items_by_product_id.sync_detailed, 42)
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, Self

import httpx

from ._auth import BearerAuth
from ._base import AsyncClient, SyncClient, configured_generated_client
from ._config import (
    NOT_GIVEN,
    ClientConfig,
    NotGiven,
    RateLimit,
    TimeoutTypes,
    check_url,
    environment_literal,
    make_timeout,
)
from ._constants import DEFAULT_MAX_RETRIES, SHIPBOB_BASE_URLS, SHIPBOB_RATE_LIMIT, SHIPBOB_TOKEN_URLS, USER_AGENT
from ._env import shipbob_settings
from ._errors import ConfigurationError
from ._inventory import AsyncShipBobInventory, ShipBobInventory
from ._oauth import OAuthRefreshAuth, TokenSet
from ._ratelimit import RequestBudget
from ._secret import Secret

if TYPE_CHECKING:
    from shipbob_client.client import AuthenticatedClient

__all__ = ["AsyncShipBob", "ShipBob"]

Environment = Literal["production", "sandbox"]

_DEFAULT_RATE_LIMIT: Final = RateLimit(requests=SHIPBOB_RATE_LIMIT[0], per_seconds=SHIPBOB_RATE_LIMIT[1])
# The header name is ShipBob's own (underscores, lower case): https://developer.shipbob.com/#channels
_CHANNEL_HEADER: Final = "shipbob_channel_id"


def _choose_auth(
    *,
    token: str | Secret | None,
    access_token: str | Secret | None,
    client_id: str | Secret | None,
    client_secret: str | Secret | None,
    refresh_token: str | Secret | None,
    on_tokens: Callable[[TokenSet], None] | None,
    token_url: str,
    auth: httpx.Auth | None,
) -> httpx.Auth:
    oauth_values = {"client_id": client_id, "client_secret": client_secret, "refresh_token": refresh_token}
    given_oauth = {name for name, value in oauth_values.items() if value is not None}
    if auth is not None:
        if token is not None or access_token is not None or given_oauth:
            raise ConfigurationError("ShipBob: pass either auth= or credentials, not both")
        return auth
    if given_oauth:
        if missing := sorted(set(oauth_values) - given_oauth):
            raise ConfigurationError(f"ShipBob OAuth mode also needs {', '.join(missing)}")
        if token is not None:
            raise ConfigurationError("ShipBob: pass either token= (PAT) or OAuth client credentials, not both")
        assert client_id is not None and client_secret is not None and refresh_token is not None
        return OAuthRefreshAuth(
            token_url=token_url,
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
            access_token=access_token,
            on_tokens=on_tokens,
        )
    if on_tokens is not None or access_token is not None:
        raise ConfigurationError(
            "ShipBob: on_tokens= and access_token= apply only to OAuth mode (client_id, client_secret, refresh_token)"
        )
    if token is not None:
        return BearerAuth(token)
    raise ConfigurationError(
        "ShipBob needs credentials: token= (Personal Access Token), or client_id=, client_secret= and "
        "refresh_token= (OAuth app); or use ShipBob.from_env()"
    )


def _setup(
    *,
    environment: str,
    base_url: str | None,
    token_url: str | None,
    channel_id: int | str | None,
    timeout: TimeoutTypes | NotGiven,
    max_retries: int,
    rate_limit: RateLimit | RequestBudget | NotGiven | None,
    strict: bool,
    allow_insecure_http: bool,
    verify: bool | str | ssl.SSLContext,
    follow_redirects: bool,
    credentials: dict[str, Any],
) -> tuple[ClientConfig, httpx.Auth, dict[str, str]]:
    env = environment_literal(environment)
    base_url = check_url(
        base_url or SHIPBOB_BASE_URLS[env], what="ShipBob base_url", allow_insecure_http=allow_insecure_http
    )
    token_url = check_url(
        token_url or SHIPBOB_TOKEN_URLS[env], what="ShipBob token_url", allow_insecure_http=allow_insecure_http
    )
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if channel_id is not None:
        if not str(channel_id).isdigit():
            raise ConfigurationError(f"ShipBob channel_id must be a number, got {channel_id!r}")
        headers[_CHANNEL_HEADER] = str(channel_id)
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
    return config, _choose_auth(token_url=token_url, **credentials), headers


def _generated_factory(config: ClientConfig) -> Callable[[], AuthenticatedClient]:
    def make() -> AuthenticatedClient:
        # Imported here: importing facade must stay cheap; the generated package can be large.
        from shipbob_client.client import AuthenticatedClient

        return configured_generated_client(AuthenticatedClient, config)

    return make


class ShipBob(SyncClient["AuthenticatedClient"], ShipBobInventory):
    """Sync ShipBob API client; a context manager owning one ``httpx.Client``.

    Auth (exactly one): ``token=`` (Personal Access Token, Bearer), or ``client_id=``/``client_secret=``/
    ``refresh_token=`` (OAuth app against the environment's token endpoint; refresh tokens rotate and
    ``on_tokens`` receives the new ones), or a custom ``auth=``. ``channel_id=`` is sent as the
    ``shipbob_channel_id`` header (needed for writes). ``environment="sandbox"`` switches both hosts.
    ``from_env()`` reads SHIPBOB_TOKEN, SHIPBOB_CLIENT_ID/SHIPBOB_CLIENT_SECRET/SHIPBOB_REFRESH_TOKEN,
    SHIPBOB_CHANNEL_ID, SHIPBOB_ENVIRONMENT (production|sandbox) and SHIPBOB_BASE_URL.

    Example::

        with ShipBob.from_env() as sb:
            items = sb.call(get_a_list_of_inventory_items_by_product_id.sync_detailed, 42)
    """

    def __init__(
        self,
        *,
        token: str | Secret | None = None,
        client_id: str | Secret | None = None,
        client_secret: str | Secret | None = None,
        refresh_token: str | Secret | None = None,
        access_token: str | Secret | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        token_url: str | None = None,
        auth: httpx.Auth | None = None,
        channel_id: int | str | None = None,
        environment: Environment = "production",
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limit: RateLimit | RequestBudget | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        allow_insecure_http: bool = False,
        verify: bool | str | ssl.SSLContext = True,
        follow_redirects: bool = True,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        config, chosen, headers = _setup(
            environment=environment,
            base_url=base_url,
            token_url=token_url,
            channel_id=channel_id,
            timeout=timeout,
            max_retries=max_retries,
            rate_limit=rate_limit,
            strict=strict,
            allow_insecure_http=allow_insecure_http,
            verify=verify,
            follow_redirects=follow_redirects,
            credentials={
                "token": token,
                "access_token": access_token,
                "client_id": client_id,
                "client_secret": client_secret,
                "refresh_token": refresh_token,
                "on_tokens": on_tokens,
                "auth": auth,
            },
        )
        self._init_http(
            config=config, auth=chosen, headers=headers, transport=transport, make_generated=_generated_factory(config)
        )

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """Build a client from SHIPBOB_* environment variables; ``options`` go to the constructor.

        Example::

            sb = ShipBob.from_env(timeout=10.0)
        """
        return cls(**{**shipbob_settings(os.environ if environ is None else environ), **options})


class AsyncShipBob(AsyncClient["AuthenticatedClient"], AsyncShipBobInventory):
    """Async twin of ``ShipBob`` (same arguments and environment variables); owns one ``httpx.AsyncClient``.

    Example::

        async with AsyncShipBob(token="pat_...") as sb:
            items = await sb.call(get_a_list_of_inventory_items_by_product_id.asyncio_detailed, 42)
    """

    def __init__(
        self,
        *,
        token: str | Secret | None = None,
        client_id: str | Secret | None = None,
        client_secret: str | Secret | None = None,
        refresh_token: str | Secret | None = None,
        access_token: str | Secret | None = None,
        on_tokens: Callable[[TokenSet], None] | None = None,
        token_url: str | None = None,
        auth: httpx.Auth | None = None,
        channel_id: int | str | None = None,
        environment: Environment = "production",
        base_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        rate_limit: RateLimit | RequestBudget | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        allow_insecure_http: bool = False,
        verify: bool | str | ssl.SSLContext = True,
        follow_redirects: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        config, chosen, headers = _setup(
            environment=environment,
            base_url=base_url,
            token_url=token_url,
            channel_id=channel_id,
            timeout=timeout,
            max_retries=max_retries,
            rate_limit=rate_limit,
            strict=strict,
            allow_insecure_http=allow_insecure_http,
            verify=verify,
            follow_redirects=follow_redirects,
            credentials={
                "token": token,
                "access_token": access_token,
                "client_id": client_id,
                "client_secret": client_secret,
                "refresh_token": refresh_token,
                "on_tokens": on_tokens,
                "auth": auth,
            },
        )
        self._init_http(
            config=config, auth=chosen, headers=headers, transport=transport, make_generated=_generated_factory(config)
        )

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """Build a client from SHIPBOB_* environment variables; ``options`` go to the constructor.

        Example::

            sb = AsyncShipBob.from_env(environ={"SHIPBOB_TOKEN": "pat"})
        """
        return cls(**{**shipbob_settings(os.environ if environ is None else environ), **options})
