"""Reading client settings from environment variables: empty means unset, a partial group is an error naming
what is missing, two ways to log in at once are an error naming both. The vendor packages say which variables
they read (``facade.fourthwall._env``, ...).

Example::

    oauth = read_oauth(environ, "SHIPBOB", "ShipBob")  # (client id, secret, refresh token) or None
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import ConfigurationError

__all__ = ["oauth_names", "only_one_login", "read", "read_base_url", "read_group", "read_oauth"]


def read(environ: Mapping[str, str], name: str) -> str | None:
    value = environ.get(name, "").strip()
    return value or None  # an empty variable is as good as unset


def read_group(environ: Mapping[str, str], names: Sequence[str], vendor: str, what: str) -> list[str] | None:
    """All values of ``names``, None if none is set; a partial set is an error naming what is missing."""
    values = [read(environ, name) for name in names]
    if all(v is None for v in values):
        return None
    missing = [name for name, value in zip(names, values, strict=True) if value is None]
    if missing:
        present = [name for name in names if name not in missing]
        raise ConfigurationError(
            f"{vendor} {what}: {', '.join(present)} is set but {', '.join(missing)} is missing or empty"
        )
    return [v for v in values if v is not None]


def oauth_names(prefix: str) -> tuple[str, str, str]:
    return (f"{prefix}_CLIENT_ID", f"{prefix}_CLIENT_SECRET", f"{prefix}_REFRESH_TOKEN")


def read_oauth(environ: Mapping[str, str], prefix: str, vendor: str) -> tuple[str, str, str] | None:
    """``{prefix}_CLIENT_ID``, ``_CLIENT_SECRET`` and ``_REFRESH_TOKEN`` (an OAuth app), all or none."""
    values = read_group(environ, oauth_names(prefix), vendor, "OAuth credentials")
    return None if values is None else (values[0], values[1], values[2])


def only_one_login(vendor: str, ways: Mapping[str, object]) -> None:
    """An error naming the first two ways to log in that are both set (``ways``: variables -> value or None)."""
    given = [names for names, value in ways.items() if value is not None]
    if len(given) > 1:
        raise ConfigurationError(f"{vendor}: both {given[0]} and {given[1]} are set; set only one way to log in")


def read_base_url(environ: Mapping[str, str], prefix: str) -> dict[str, str]:
    """``{"base_url": ...}`` when ``{prefix}_BASE_URL`` is set, else nothing."""
    base_url = read(environ, f"{prefix}_BASE_URL")
    return {"base_url": base_url} if base_url else {}
