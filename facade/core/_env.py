"""Reading client settings from environment variables: empty means unset, a partial group is an error naming
what is missing. The vendor packages say which variables they read (``facade.fourthwall._env``, ...)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import ConfigurationError

__all__ = ["read", "read_group"]


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
