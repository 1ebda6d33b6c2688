"""ShipBob API clients (dated version 2026-01), sync and async: the shared constructor and call path
(``facade.core``) with ShipBob's ``Vendor`` facts, plus the account's stock and catalog as task-shaped methods.

Example::

    with ShipBob(auth="pat_...") as sb:
        for level in sb.iter_stock():
            print(level.sku, level.available, [loc.name for loc in level.locations])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Unpack

import httpx

from ..auth import AuthLike
from ..core import AsyncClient, ClientOptions, SyncClient
from ..errors import ConfigurationError
from ._vendor import CHANNEL_HEADER, SHIPBOB

__all__ = ["AsyncShipBob", "ShipBob"]


def _with_channel(channel_id: int | str | None, headers: Mapping[str, str] | None) -> dict[str, str]:
    merged = dict(headers or {})
    if channel_id is not None:
        if not str(channel_id).isdigit():
            raise ConfigurationError(f"ShipBob channel_id must be a number, got {channel_id!r}")
        merged[CHANNEL_HEADER] = str(channel_id)
    return merged


class ShipBob(SyncClient):
    """Sync ShipBob client; a context manager owning one ``httpx.Client``.

    ``auth``: a Personal Access Token string, or ``OAuthApp(...)`` (refreshes at ShipBob's auth server of the
    ``environment``, ``"production"`` or ``"sandbox"``). ``channel_id`` sets the ``shipbob_channel_id`` header
    (required for writes). ``from_env()`` reads the ``SHIPBOB_*`` variables (``facade.shipbob._env``).

    Example::

        with ShipBob(auth="pat_...", environment="sandbox") as sb:
            print(sb.stock())
    """

    vendor = SHIPBOB

    def __init__(
        self,
        auth: AuthLike,
        *,
        channel_id: int | str | None = None,
        transport: httpx.BaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        options["headers"] = _with_channel(channel_id, options.get("headers"))
        super().__init__(auth, transport=transport, **options)


class AsyncShipBob(AsyncClient):
    """Async twin of ``ShipBob`` (same arguments and environment variables); owns one ``httpx.AsyncClient``.

    Example::

        async with AsyncShipBob.from_env() as sb:
            levels = await sb.stock()
    """

    vendor = SHIPBOB

    def __init__(
        self,
        auth: AuthLike,
        *,
        channel_id: int | str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        options["headers"] = _with_channel(channel_id, options.get("headers"))
        super().__init__(auth, transport=transport, **options)
