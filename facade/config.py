"""Client settings as one frozen value, plus the checks that make a URL acceptable.

A facade client builds its ``ClientConfig`` once from its keyword arguments; ``with_changes`` returns a copy,
so per-call overrides never mutate a shared client::

    config = ClientConfig(base_url="https://api.fourthwall.com")
    slower = config.with_changes(timeout=httpx.Timeout(60.0))
"""

from __future__ import annotations

import enum
import ipaddress
import ssl
from typing import Any, Final

import attrs
import httpx

from .budget import RateLimit, RequestBudget
from .defaults import CONNECT_TIMEOUT, MAX_RETRIES, TIMEOUT
from .errors import ConfigurationError
from .retry import RetryPolicy

__all__ = [
    "NOT_GIVEN",
    "ClientConfig",
    "NotGiven",
    "TimeoutTypes",
    "check_url",
    "make_timeout",
]


class NotGiven(enum.Enum):
    """Marks an argument the caller did not pass, so ``None`` can keep its own meaning (``timeout=None``: no
    timeout at all).

    Example::

        def f(timeout: float | None | NotGiven = NOT_GIVEN) -> None: ...
    """

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven.NOT_GIVEN

TimeoutTypes = float | httpx.Timeout | None


def make_timeout(timeout: TimeoutTypes | NotGiven) -> httpx.Timeout:
    """Turn the ``timeout=`` argument into an ``httpx.Timeout`` (not given: the named defaults).

    Example::

        assert make_timeout(5.0).read == 5.0
    """
    if timeout is NOT_GIVEN:
        return httpx.Timeout(TIMEOUT, connect=CONNECT_TIMEOUT)
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(timeout)


def _non_negative_int(instance: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"{attribute.name} must be a whole number >= 0, got {value!r}")


_LOOPBACK_NAMES: Final = frozenset({"localhost"})


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, what: str, allow_insecure_http: bool) -> str:
    """Return ``url`` without a trailing slash if it is https, or http on a loopback host (or allowed).

    Plain http would send credentials in clear text, so it is refused for any other host unless the caller
    says ``allow_insecure_http=True``.

    Example::

        check_url("http://127.0.0.1:8080", what="base_url", allow_insecure_http=False)  # accepted
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(f"{what} is not a valid URL: {exc}") from None
    if parsed.scheme not in {"http", "https"} or not parsed.host:
        raise ConfigurationError(f"{what} must be an absolute https:// URL, got {url!r}")
    if parsed.scheme == "http" and not allow_insecure_http and not _is_loopback(parsed.host):
        raise ConfigurationError(
            f"{what} {url!r} uses plain http:// to a non-loopback host; credentials would travel unencrypted. "
            "Use https://, or pass allow_insecure_http=True if you really mean it."
        )
    return url.rstrip("/")


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Everything a facade client is configured with, except credentials (those live in its ``httpx.Auth``).

    ``max_retries`` and ``rate_limit`` are read by the retry and rate-limit layer around the call path;
    ``strict`` makes unknown enum values a ``ResponseValidationError`` instead of passing them through.

    Example::

        cfg = ClientConfig(base_url="https://api.shipbob.com", strict=True)
        assert cfg.with_changes(max_retries=0).max_retries == 0
    """

    base_url: str
    timeout: httpx.Timeout = attrs.field(factory=lambda: make_timeout(NOT_GIVEN))
    max_retries: int = attrs.field(default=MAX_RETRIES, validator=_non_negative_int)
    # Backoff and Retry-After cap (facade._retry); its own max_retries is replaced by the one above.
    retry_policy: RetryPolicy = attrs.field(factory=RetryPolicy)
    # A RateLimit gets a fresh budget per client; a RequestBudget (facade.budget) is shared as it is.
    rate_limit: RateLimit | RequestBudget | None = None
    strict: bool = False
    allow_insecure_http: bool = False
    verify: bool | str | ssl.SSLContext = True
    follow_redirects: bool = True
    headers: tuple[tuple[str, str], ...] = ()

    def with_changes(self, **changes: Any) -> ClientConfig:
        """Return a copy with ``changes`` applied (same validation as the constructor)."""
        return attrs.evolve(self, **changes)
