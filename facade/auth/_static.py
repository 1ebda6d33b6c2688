"""Static credentials as ``httpx.Auth`` flows: HTTP Basic and Bearer tokens, with redacted reprs.

The header is added per request inside ``auth_flow``, so the credential is never stored as a default header
(httpx would then copy it onto redirects); httpx drops it when a redirect leaves the origin::

    client = httpx.Client(auth=BearerAuth("pat_123"))
"""

from __future__ import annotations

import base64
from collections.abc import Generator

import httpx

from ._secret import Secret

__all__ = ["BasicAuth", "BearerAuth"]


class BasicAuth(httpx.Auth):
    """HTTP Basic, e.g. a Fourthwall shop's Open API user.

    Example::

        auth = BasicAuth("shop-user", "pa55")
        assert "pa55" not in repr(auth)
    """

    def __init__(self, username: str | Secret, password: str | Secret) -> None:
        self._username = Secret(username)
        self._password = Secret(password)
        pair = f"{self._username.get_secret_value()}:{self._password.get_secret_value()}".encode()
        self._header = Secret("Basic " + base64.b64encode(pair).decode("ascii"))  # encoded once, not per request

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header.get_secret_value()
        yield request

    def __repr__(self) -> str:
        return "BasicAuth(username=<redacted>, password=<redacted>)"


class BearerAuth(httpx.Auth):
    """A fixed bearer token: a Fourthwall access token or a ShipBob Personal Access Token.

    Example::

        auth = BearerAuth("pat_123")
        assert "pat_123" not in repr(auth)
    """

    def __init__(self, token: str | Secret) -> None:
        self._token = Secret(token)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        yield request

    def __repr__(self) -> str:
        return "BearerAuth(token=<redacted>)"
