"""Fourthwall Open API clients, sync and async: the shared constructor and call path (``facade.core``) with
Fourthwall's ``Vendor`` facts, plus the shop's stock and catalog as task-shaped methods.

Example::

    with Fourthwall(auth=BasicAuth("shop-api-user", "...")) as fw:
        for level in fw.iter_stock():
            print(level.sku, level.available)
"""

from __future__ import annotations

from ..core import AsyncClient, SyncClient
from ._vendor import FOURTHWALL

__all__ = ["AsyncFourthwall", "Fourthwall"]


class Fourthwall(SyncClient):
    """Sync Fourthwall Open API client; a context manager owning one ``httpx.Client``.

    ``auth``: ``BasicAuth(username, password)`` (the shop's Open API user), an access token string, or
    ``OAuthApp(...)`` (refreshes at Fourthwall's ``/platform/token``). ``from_env()`` reads the
    ``FOURTHWALL_*`` variables (``facade.fourthwall._env``).

    Example::

        with Fourthwall.from_env() as fw:
            print(fw.stock())
    """

    vendor = FOURTHWALL


class AsyncFourthwall(AsyncClient):
    """Async twin of ``Fourthwall`` (same arguments and environment variables); owns one ``httpx.AsyncClient``.

    Example::

        async with AsyncFourthwall.from_env() as fw:
            levels = await fw.stock()
    """

    vendor = FOURTHWALL
