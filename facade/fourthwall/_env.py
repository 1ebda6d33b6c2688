"""Fourthwall settings from the environment, for ``Fourthwall.from_env()``.

``FOURTHWALL_USERNAME`` + ``FOURTHWALL_PASSWORD`` (Open API user, HTTP Basic), or ``FOURTHWALL_ACCESS_TOKEN``
(Bearer), or ``FOURTHWALL_CLIENT_ID`` + ``FOURTHWALL_CLIENT_SECRET`` + ``FOURTHWALL_REFRESH_TOKEN`` (OAuth app;
``FOURTHWALL_ACCESS_TOKEN`` then seeds the first access token); optional ``FOURTHWALL_BASE_URL``::

    kwargs = fourthwall_settings({"FOURTHWALL_ACCESS_TOKEN": "tok"})
    assert set(kwargs) == {"auth"}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..auth import BasicAuth, OAuthApp, Secret
from ..core._env import read, read_group
from ..errors import ConfigurationError

__all__ = ["fourthwall_settings"]


def fourthwall_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Constructor keyword arguments for ``Fourthwall`` from ``environ`` (see the module docstring)."""
    oauth = read_group(
        environ,
        ("FOURTHWALL_CLIENT_ID", "FOURTHWALL_CLIENT_SECRET", "FOURTHWALL_REFRESH_TOKEN"),
        "Fourthwall",
        "OAuth credentials",
    )
    basic = read_group(environ, ("FOURTHWALL_USERNAME", "FOURTHWALL_PASSWORD"), "Fourthwall", "Open API user")
    access_token = read(environ, "FOURTHWALL_ACCESS_TOKEN")
    if oauth and basic:
        raise ConfigurationError(
            "Fourthwall: both FOURTHWALL_USERNAME/FOURTHWALL_PASSWORD and FOURTHWALL_CLIENT_ID/"
            "FOURTHWALL_CLIENT_SECRET/FOURTHWALL_REFRESH_TOKEN are set; set only one way to log in"
        )
    if basic and access_token:
        raise ConfigurationError(
            "Fourthwall: both FOURTHWALL_USERNAME/FOURTHWALL_PASSWORD and FOURTHWALL_ACCESS_TOKEN are set; "
            "set only one way to log in"
        )
    settings: dict[str, Any] = {}
    if oauth:
        settings["auth"] = OAuthApp(
            client_id=oauth[0], client_secret=oauth[1], refresh_token=oauth[2], access_token=access_token
        )
    elif basic:
        settings["auth"] = BasicAuth(basic[0], basic[1])
    elif access_token:
        settings["auth"] = Secret(access_token)
    else:
        raise ConfigurationError(
            "Fourthwall credentials not found in the environment: set FOURTHWALL_USERNAME and "
            "FOURTHWALL_PASSWORD (Open API user), or FOURTHWALL_ACCESS_TOKEN, or FOURTHWALL_CLIENT_ID, "
            "FOURTHWALL_CLIENT_SECRET and FOURTHWALL_REFRESH_TOKEN (OAuth app)"
        )
    base_url = read(environ, "FOURTHWALL_BASE_URL")
    if base_url:
        settings["base_url"] = base_url
    return settings
