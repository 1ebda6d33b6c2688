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
from ..core._env import oauth_names, only_one_login, read, read_base_url, read_group, read_oauth
from ..errors import ConfigurationError

__all__ = ["fourthwall_settings"]

_BASIC = ("FOURTHWALL_USERNAME", "FOURTHWALL_PASSWORD")


def fourthwall_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Constructor keyword arguments for ``Fourthwall`` from ``environ`` (see the module docstring)."""
    oauth = read_oauth(environ, "FOURTHWALL", "Fourthwall")
    basic = read_group(environ, _BASIC, "Fourthwall", "Open API user")
    access_token = read(environ, "FOURTHWALL_ACCESS_TOKEN")
    only_one_login("Fourthwall", {"/".join(_BASIC): basic, "/".join(oauth_names("FOURTHWALL")): oauth})
    only_one_login("Fourthwall", {"/".join(_BASIC): basic, "FOURTHWALL_ACCESS_TOKEN": access_token})
    settings: dict[str, Any] = read_base_url(environ, "FOURTHWALL")
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
    return settings
