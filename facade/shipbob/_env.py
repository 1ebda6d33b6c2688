"""ShipBob settings from the environment, for ``ShipBob.from_env()``.

``SHIPBOB_TOKEN`` (Personal Access Token), or ``SHIPBOB_CLIENT_ID`` + ``SHIPBOB_CLIENT_SECRET`` +
``SHIPBOB_REFRESH_TOKEN`` (OAuth app); optional ``SHIPBOB_CHANNEL_ID``, ``SHIPBOB_ENVIRONMENT``
(``production`` | ``sandbox``) and ``SHIPBOB_BASE_URL``::

    kwargs = shipbob_settings({"SHIPBOB_TOKEN": "pat", "SHIPBOB_ENVIRONMENT": "sandbox"})
    assert set(kwargs) == {"auth", "environment"}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..auth import OAuthApp, Secret
from ..core._env import oauth_names, only_one_login, read, read_base_url, read_oauth
from ..errors import ConfigurationError

__all__ = ["shipbob_settings"]


def shipbob_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Constructor keyword arguments for ``ShipBob`` from ``environ`` (see the module docstring)."""
    oauth = read_oauth(environ, "SHIPBOB", "ShipBob")
    token = read(environ, "SHIPBOB_TOKEN")
    only_one_login("ShipBob", {"SHIPBOB_TOKEN": token, "/".join(oauth_names("SHIPBOB")): oauth})
    settings: dict[str, Any] = read_base_url(environ, "SHIPBOB")
    if oauth:
        settings["auth"] = OAuthApp(client_id=oauth[0], client_secret=oauth[1], refresh_token=oauth[2])
    elif token:
        settings["auth"] = Secret(token)
    else:
        raise ConfigurationError(
            "ShipBob credentials not found in the environment: set SHIPBOB_TOKEN (Personal Access Token), or "
            "SHIPBOB_CLIENT_ID, SHIPBOB_CLIENT_SECRET and SHIPBOB_REFRESH_TOKEN (OAuth app)"
        )
    channel_id = read(environ, "SHIPBOB_CHANNEL_ID")
    if channel_id:
        if not channel_id.isdigit():
            raise ConfigurationError(f"SHIPBOB_CHANNEL_ID must be a number, got {channel_id!r}")
        settings["channel_id"] = int(channel_id)
    environment = read(environ, "SHIPBOB_ENVIRONMENT")
    if environment:
        if environment.lower() not in {"production", "sandbox"}:
            raise ConfigurationError(f"SHIPBOB_ENVIRONMENT must be 'production' or 'sandbox', got {environment!r}")
        settings["environment"] = environment.lower()
    return settings
