"""Auth strategies: small values that say how a client logs in, built into an ``httpx.Auth`` by the client.

A client takes one ``auth=`` value (githubkit's ``auth=`` strategies; httpx's ``Auth``):

- a ``str``: a bearer token (a Fourthwall access token, a ShipBob Personal Access Token);
- any ``httpx.Auth``, used as it is: ``BasicAuth`` (a Fourthwall shop's Open API user), ``BearerAuth``, your own;
- ``OAuthApp``: an OAuth app's client credentials and refresh token. The vendor client knows its token endpoint
  (Fourthwall's ``/platform/token`` on the API host; ShipBob's auth host per environment) and builds the
  refreshing ``OAuthRefreshAuth`` from it, unless ``token_url=`` names another one.

Example::

    Fourthwall(auth=BasicAuth("shop-api-user", "..."))
    ShipBob(auth="pat_...")
    ShipBob(auth=OAuthApp(client_id="app", client_secret="...", refresh_token="rt", on_tokens=store.save))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import attrs
import httpx

from ._oauth import OAuthRefreshAuth, TokenSet
from ._secret import Secret
from ._static import BearerAuth

__all__ = ["AuthLike", "OAuthApp", "build_auth"]


def _secret(value: str | Secret) -> Secret:
    return Secret(value)


def _optional_secret(value: str | Secret | None) -> Secret | None:
    return None if value is None else Secret(value)


@attrs.frozen(kw_only=True)
class OAuthApp:
    """An OAuth app's credentials: refresh-token grant, tokens refreshed before expiry and once on a 401.

    ``on_tokens`` receives every rotated ``TokenSet`` (ShipBob invalidates the old refresh token on each refresh:
    persist the new one). ``access_token`` seeds the first access token; ``token_url`` overrides the vendor's.
    Reprs never show the credentials.

    Example::

        app = OAuthApp(client_id="app", client_secret="s3cret", refresh_token="rt-1", on_tokens=save)
    """

    client_id: Secret = attrs.field(converter=_secret, repr=False)
    client_secret: Secret = attrs.field(converter=_secret, repr=False)
    refresh_token: Secret = attrs.field(converter=_secret, repr=False)
    access_token: Secret | None = attrs.field(default=None, converter=_optional_secret, repr=False)
    on_tokens: Callable[[TokenSet], None] | None = attrs.field(default=None, repr=False)
    token_url: str | None = None

    def build(self, default_token_url: str) -> OAuthRefreshAuth:
        """The ``httpx.Auth`` for this app at ``token_url`` (or the vendor's ``default_token_url``)."""
        return OAuthRefreshAuth(
            token_url=self.token_url or default_token_url,
            client_id=self.client_id,
            client_secret=self.client_secret,
            refresh_token=self.refresh_token,
            access_token=self.access_token,
            on_tokens=self.on_tokens,
        )


AuthLike: TypeAlias = str | Secret | httpx.Auth | OAuthApp
"""What a client's ``auth=`` accepts."""


def build_auth(auth: AuthLike, *, token_url: str) -> httpx.Auth:
    """The ``httpx.Auth`` for ``auth`` (see the module docstring); ``token_url`` is the vendor's token endpoint.

    Example::

        assert isinstance(build_auth("pat", token_url="https://auth.example/token"), BearerAuth)
    """
    if isinstance(auth, OAuthApp):
        return auth.build(token_url)
    if isinstance(auth, str | Secret):
        return BearerAuth(auth)
    return auth
