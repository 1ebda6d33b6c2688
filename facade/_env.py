"""Read client settings from environment variables, with one clear message when some are missing.

``Fourthwall.from_env()`` and ``ShipBob.from_env()`` (and their async twins) call these; the result is the
keyword arguments for the constructor::

    kwargs = fourthwall_settings({"FOURTHWALL_ACCESS_TOKEN": "tok"})
    assert set(kwargs) == {"access_token"}

Fourthwall: ``FOURTHWALL_USERNAME`` + ``FOURTHWALL_PASSWORD`` (Open API user, HTTP Basic), or
``FOURTHWALL_ACCESS_TOKEN`` (Bearer), or ``FOURTHWALL_CLIENT_ID`` + ``FOURTHWALL_CLIENT_SECRET`` +
``FOURTHWALL_REFRESH_TOKEN`` (OAuth app; ``FOURTHWALL_ACCESS_TOKEN`` then seeds the first access token);
optional ``FOURTHWALL_BASE_URL``.

ShipBob: ``SHIPBOB_TOKEN`` (Personal Access Token), or ``SHIPBOB_CLIENT_ID`` + ``SHIPBOB_CLIENT_SECRET`` +
``SHIPBOB_REFRESH_TOKEN`` (OAuth app); optional ``SHIPBOB_CHANNEL_ID``, ``SHIPBOB_ENVIRONMENT``
(``production`` | ``sandbox``) and ``SHIPBOB_BASE_URL``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._config import environment_literal
from ._errors import ConfigurationError

__all__ = ["fourthwall_settings", "shipbob_settings"]


def _read(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None  # an empty variable is as good as unset


def _group(environ: Mapping[str, str], names: Sequence[str], vendor: str, what: str) -> list[str] | None:
    """All values of ``names``, None if none is set; a partial set is an error naming what is missing."""
    values = [_read(environ, name) for name in names]
    if all(v is None for v in values):
        return None
    missing = [name for name, value in zip(names, values, strict=True) if value is None]
    if missing:
        present = [name for name in names if name not in missing]
        raise ConfigurationError(
            f"{vendor} {what}: {', '.join(present)} is set but {', '.join(missing)} is missing or empty"
        )
    return [v for v in values if v is not None]


def fourthwall_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Constructor keyword arguments for ``Fourthwall`` from ``environ`` (see the module docstring).

    Example::

        Fourthwall(**fourthwall_settings(os.environ))
    """
    settings: dict[str, Any] = {}
    oauth = _group(
        environ,
        ("FOURTHWALL_CLIENT_ID", "FOURTHWALL_CLIENT_SECRET", "FOURTHWALL_REFRESH_TOKEN"),
        "Fourthwall",
        "OAuth credentials",
    )
    basic = _group(environ, ("FOURTHWALL_USERNAME", "FOURTHWALL_PASSWORD"), "Fourthwall", "Open API user")
    access_token = _read(environ, "FOURTHWALL_ACCESS_TOKEN")
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
    if oauth:
        settings.update(client_id=oauth[0], client_secret=oauth[1], refresh_token=oauth[2])
    if basic:
        settings.update(username=basic[0], password=basic[1])
    if access_token:
        settings["access_token"] = access_token
    if not settings:
        raise ConfigurationError(
            "Fourthwall credentials not found in the environment: set FOURTHWALL_USERNAME and "
            "FOURTHWALL_PASSWORD (Open API user), or FOURTHWALL_ACCESS_TOKEN, or FOURTHWALL_CLIENT_ID, "
            "FOURTHWALL_CLIENT_SECRET and FOURTHWALL_REFRESH_TOKEN (OAuth app)"
        )
    base_url = _read(environ, "FOURTHWALL_BASE_URL")
    if base_url:
        settings["base_url"] = base_url
    return settings


def shipbob_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Constructor keyword arguments for ``ShipBob`` from ``environ`` (see the module docstring).

    Example::

        ShipBob(**shipbob_settings(os.environ))
    """
    settings: dict[str, Any] = {}
    oauth = _group(
        environ,
        ("SHIPBOB_CLIENT_ID", "SHIPBOB_CLIENT_SECRET", "SHIPBOB_REFRESH_TOKEN"),
        "ShipBob",
        "OAuth credentials",
    )
    token = _read(environ, "SHIPBOB_TOKEN")
    if oauth and token:
        raise ConfigurationError(
            "ShipBob: both SHIPBOB_TOKEN and SHIPBOB_CLIENT_ID/SHIPBOB_CLIENT_SECRET/SHIPBOB_REFRESH_TOKEN are "
            "set; set only one way to log in"
        )
    if oauth:
        settings.update(client_id=oauth[0], client_secret=oauth[1], refresh_token=oauth[2])
    elif token:
        settings["token"] = token
    else:
        raise ConfigurationError(
            "ShipBob credentials not found in the environment: set SHIPBOB_TOKEN (Personal Access Token), or "
            "SHIPBOB_CLIENT_ID, SHIPBOB_CLIENT_SECRET and SHIPBOB_REFRESH_TOKEN (OAuth app)"
        )
    channel_id = _read(environ, "SHIPBOB_CHANNEL_ID")
    if channel_id:
        if not channel_id.isdigit():
            raise ConfigurationError(f"SHIPBOB_CHANNEL_ID must be a number, got {channel_id!r}")
        settings["channel_id"] = int(channel_id)
    environment = _read(environ, "SHIPBOB_ENVIRONMENT")
    if environment:
        try:
            settings["environment"] = environment_literal(environment.lower())
        except ConfigurationError:
            raise ConfigurationError(
                f"SHIPBOB_ENVIRONMENT must be 'production' or 'sandbox', got {environment!r}"
            ) from None
    base_url = _read(environ, "SHIPBOB_BASE_URL")
    if base_url:
        settings["base_url"] = base_url
    return settings
