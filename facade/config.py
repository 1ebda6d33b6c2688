"""Client settings as one frozen value, plus the checks that make a URL acceptable.

A facade client builds its ``ClientConfig`` once from its keyword arguments; ``with_changes`` returns a copy,
so per-call overrides never mutate a shared client::

    config = ClientConfig(base_url="https://api.fourthwall.com")
    slower = config.with_changes(timeout=httpx.Timeout(60.0))
"""

from __future__ import annotations

import enum
import functools
import ipaddress
import math
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import attrs
import httpx

from .defaults import CONNECT_TIMEOUT, DEADLINE, MAX_RESPONSE_BYTES, MAX_RETRIES, TIMEOUT
from .errors import ConfigurationError

if TYPE_CHECKING:
    # Imported lazily at run time: facade.retry and facade.budget use this module's number checks.
    from .budget import RateLimit, RequestBudget
    from .retry import RetryPolicy

__all__ = [
    "NOT_GIVEN",
    "ClientConfig",
    "NotGiven",
    "TimeoutTypes",
    "check_number",
    "check_url",
    "make_timeout",
    "number_validator",
    "same_origin",
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


def check_number(what: str, value: object, *, positive: bool, integer: bool = False) -> None:
    """Raise ``ConfigurationError`` naming ``what`` unless ``value`` is a number > 0 (``positive``) or >= 0,
    and a whole number if ``integer``: the one check behind every numeric setting (retries, waits, rate
    limits, page sizes, size caps).

    Example::

        check_number("page_size", 0, positive=True, integer=True)  # ConfigurationError: page_size must be ...
    """
    kinds = (int,) if integer else (int, float)
    ok = not isinstance(value, bool) and isinstance(value, kinds)
    if ok and isinstance(value, int | float):
        ok = value > 0 if positive else value >= 0
        ok = ok and math.isfinite(value)  # NaN and infinity are not settings
    if not ok:
        kind = "whole number" if integer else "number"
        bound = "> 0" if positive else ">= 0"
        raise ConfigurationError(f"{what} must be a {kind} {bound}, got {value!r}")


def number_validator(
    *, positive: bool, integer: bool = False, optional: bool = False
) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    """An attrs validator running ``check_number`` on a field (``optional``: None is accepted too).

    Example::

        retries: int = attrs.field(default=2, validator=number_validator(positive=False, integer=True))
    """

    def validate(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if optional and value is None:
            return
        check_number(attribute.name, value, positive=positive, integer=integer)

    return validate


def same_origin(a: str | httpx.URL, b: str | httpx.URL) -> bool:
    """True if ``b`` (absolute, or relative to ``a``) has the scheme, host and port of ``a`` (default ports
    made explicit): the one rule for where credentials may follow a URL (next-page links, redirects).

    Example::

        assert same_origin("https://api.shipbob.com/1.0", "/2.0/order?page=2")
        assert not same_origin("https://api.shipbob.com", "https://api.shipbob.com.evil.example/x")
    """
    try:
        base = _origin(a) if isinstance(a, str) else _key(a)
        if isinstance(b, str) and is_path(b):
            return True  # resolved against `a`, a path keeps a's scheme, host and port (RFC 3986, 5.2.2)
        target = httpx.URL(a).join(b)
    except (httpx.InvalidURL, TypeError, ValueError):
        return False
    return base == _key(target)


def is_path(url: str) -> bool:
    """Whether ``url`` is a path-absolute reference (``/2026-01/product?cursor=2``): it names no scheme or host, so
    it stays on the origin it is resolved against. ``//host/x`` (a network-path reference) and anything holding a
    backslash (which some parsers read as ``/``) are not.

    Example::

        assert is_path("/2.0/order?page=2") and not is_path("//evil.example/x")
    """
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def _key(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme.lower(), url.host.lower(), url.port or default


@functools.lru_cache(maxsize=64)
def _origin(url: str) -> tuple[str, str, int | None]:
    # Clients compare every next link with their one base URL: parse it once.
    return _key(httpx.URL(url))


def _default_retry_policy() -> RetryPolicy:
    from .retry import RetryPolicy

    return RetryPolicy()


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
    ``strict`` makes unknown enum values a ``ResponseValidationError`` instead of passing them through;
    ``max_response_bytes`` caps a decoded body (``ResponseTooLargeError``) and ``deadline`` bounds one whole
    HTTP exchange in seconds (``APITimeoutError``), see ``facade.core._limits``.

    Example::

        cfg = ClientConfig(base_url="https://api.shipbob.com", strict=True)
        assert cfg.with_changes(max_retries=0).max_retries == 0
    """

    base_url: str
    timeout: httpx.Timeout = attrs.field(factory=lambda: make_timeout(NOT_GIVEN))
    max_retries: int = attrs.field(default=MAX_RETRIES, validator=number_validator(positive=False, integer=True))
    # Backoff and Retry-After cap (facade.retry); its own max_retries is replaced by the one above.
    retry_policy: RetryPolicy = attrs.field(factory=_default_retry_policy)
    # A RateLimit gets a fresh budget per client; a RequestBudget (facade.budget) is shared as it is.
    rate_limit: RateLimit | RequestBudget | None = None
    strict: bool = False
    allow_insecure_http: bool = False
    verify: bool | str | ssl.SSLContext = True
    follow_redirects: bool = True
    headers: tuple[tuple[str, str], ...] = ()
    # Largest decoded response body read (ResponseTooLargeError above it), and the total seconds one HTTP
    # exchange may take (APITimeoutError after it; None: only the per-phase timeouts).
    max_response_bytes: int = attrs.field(
        default=MAX_RESPONSE_BYTES, validator=number_validator(positive=True, integer=True)
    )
    deadline: float | None = attrs.field(default=DEADLINE, validator=number_validator(positive=True, optional=True))

    def with_changes(self, **changes: Any) -> ClientConfig:
        """Return a copy with ``changes`` applied (same validation as the constructor)."""
        return attrs.evolve(self, **changes)
