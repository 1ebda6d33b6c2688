"""Retry policy: which failed calls are worth another attempt, and how long to wait before it.

The policy is ours; the loop, the attempt counting and the exponential backoff with jitter come from tenacity.

What is retried (``retry_reason``):

* idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE): connection errors, resets and truncated bodies
  (``APIConnectionError``), timeouts (``APITimeoutError``), 408, 429 and 5xx except 501 and 505 (which say the
  request can never succeed), including non-standard 5xx such as Cloudflare's 520;
* any method, POST included: only failures where the request provably never left (connect error or timeout,
  no free connection in the pool). A POST that may have reached the server is never retried blindly.

How long to wait (``RetryWait``): the server's hint first, from ``x-retry-after`` (ShipBob, seconds) or
``Retry-After`` (seconds or an HTTP date), capped at ``RetryPolicy.retry_after_max``; otherwise capped
exponential backoff with jitter. Every decision is logged at DEBUG on the ``facade.retry`` logger, naming the
method, the operation and the failure type or status, never a header, body or credential::

    policy = RetryPolicy(max_retries=3)
    stock = call_with_retries(lambda: fetch(product_id), policy=policy, method="GET", operation="inventory")
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final, TypeVar

import httpx
import tenacity
from attrs import field, frozen, validators

from ._errors import APIConnectionError, APIStatusError

__all__ = [
    "IDEMPOTENT_METHODS",
    "RetryPolicy",
    "RetryWait",
    "acall_with_retries",
    "call_with_retries",
    "parse_retry_after",
    "retry_reason",
]

T = TypeVar("T")

logger = logging.getLogger("facade.retry")

# RFC 9110 section 9.2.2: repeating these has the same effect as sending them once.
IDEMPOTENT_METHODS: Final = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
# 501 Not Implemented and 505 HTTP Version Not Supported will not change on a second attempt.
_NEVER_RETRIED_5XX: Final = frozenset({501, 505})
# Failures that happen before a single byte of the request is sent: safe to repeat for any method.
_NOT_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures of our own making (bad URL scheme, bad proxy, invalid header): a second attempt fails the same way.
_OUR_MISTAKE: Final = (httpx.UnsupportedProtocol, httpx.ProxyError, httpx.LocalProtocolError)


@frozen(kw_only=True)
class RetryPolicy:
    """How many times to retry a failed call and how long to wait in between (seconds).

    ``max_retries`` counts attempts after the first (0 turns retries off). Waits grow as
    ``backoff_initial * 2**n`` plus up to ``backoff_jitter`` of random jitter, capped at ``backoff_max``; a
    server's own wait hint replaces them, capped at ``retry_after_max``.

    Example::

        RetryPolicy(max_retries=0)                                  # never retry
        RetryPolicy(backoff_initial=0.001, retry_after_max=0.05)    # fast retries for tests
    """

    max_retries: int = field(default=2, validator=validators.ge(0))
    backoff_initial: float = field(default=0.5, validator=validators.ge(0))
    backoff_max: float = field(default=8.0, validator=validators.ge(0))
    backoff_jitter: float = field(default=0.5, validator=validators.ge(0))
    retry_after_max: float = field(default=60.0, validator=validators.ge(0))


def parse_retry_after(headers: httpx.Headers, *, now: datetime | None = None) -> float | None:
    """Seconds the server asks us to wait, from ``x-retry-after`` (ShipBob) or ``Retry-After``; None if absent.

    ``Retry-After`` may be delay-seconds or an HTTP date (RFC 9110 section 10.2.3); a date in the past means 0.
    Unparseable values count as absent. When both headers are present the longer wait wins.

    Example::

        parse_retry_after(httpx.Headers({"x-retry-after": "12"}))  # 12.0
    """
    waits = [_parse_one(headers.get(name), now) for name in ("x-retry-after", "retry-after")]
    return max((w for w in waits if w is not None), default=None)


def _parse_one(value: str | None, now: datetime | None) -> float | None:
    if value is None or not (value := value.strip()):
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:  # RFC 9110 dates are always GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def retry_reason(error: BaseException, *, method: str) -> str | None:
    """Why ``error`` is worth another attempt of a ``method`` request, or None when it is not (the policy).

    Example::

        retry_reason(ServerError("boom", status_code=503), method="GET")   # 'status 503'
        retry_reason(ServerError("boom", status_code=503), method="POST")  # None
    """
    idempotent = method.upper() in IDEMPOTENT_METHODS
    if isinstance(error, httpx.TransportError | APIConnectionError):
        # The facade wraps httpx's errors with `raise ... from`; the cause says whether anything was sent.
        cause = error if isinstance(error, httpx.TransportError) else error.__cause__
        if isinstance(cause, _NOT_SENT):
            return f"{type(cause).__name__} before the request was sent"
        if not idempotent or isinstance(cause, _OUR_MISTAKE):
            return None
        return type(cause if isinstance(cause, httpx.TransportError) else error).__name__
    status = error.status_code if isinstance(error, APIStatusError) else None
    if idempotent and status is not None and _retryable_status(status):
        return f"status {status}"
    return None


def _retryable_status(status: int) -> bool:
    return status in (408, 429) or (500 <= status <= 599 and status not in _NEVER_RETRIED_5XX)


def _server_hint(error: BaseException | None) -> float | None:
    response = getattr(error, "response", None)
    return parse_retry_after(response.headers) if isinstance(response, httpx.Response) else None


class RetryWait:
    """Tenacity wait strategy: the server's capped ``Retry-After`` when it sent one, else exponential backoff.

    Example::

        tenacity.Retrying(wait=RetryWait(RetryPolicy()))
    """

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy
        self._backoff = tenacity.wait_exponential_jitter(
            initial=policy.backoff_initial, max=policy.backoff_max, jitter=policy.backoff_jitter
        )

    def __call__(self, state: tenacity.RetryCallState) -> float:
        hint = _server_hint(state.outcome.exception() if state.outcome else None)
        if hint is not None:
            return min(hint, self._policy.retry_after_max)
        return float(self._backoff(state))


@frozen
class _Hooks:
    """The tenacity callbacks for one call: the same for the sync and the async loop."""

    stop: tenacity.stop.stop_base
    wait: RetryWait
    retry: tenacity.retry_base
    after: Callable[[tenacity.RetryCallState], None]
    before_sleep: Callable[[tenacity.RetryCallState], None]


def _hooks(policy: RetryPolicy, method: str, operation: str) -> _Hooks:
    attempts = policy.max_retries + 1

    def should_retry(error: BaseException) -> bool:
        reason = retry_reason(error, method=method)
        if reason is None:
            logger.debug("%s %s: not retrying %s", method, operation, _describe(error))
        return reason is not None

    def after(state: tenacity.RetryCallState) -> None:
        if state.attempt_number >= attempts and state.outcome is not None and state.outcome.failed:
            logger.debug(
                "%s %s: giving up after %d attempt(s), last failure %s",
                method,
                operation,
                state.attempt_number,
                _describe(state.outcome.exception()),
            )

    def before_sleep(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        hint = _server_hint(error)
        source = "backoff" if hint is None else f"server asked {hint:g}s, cap {policy.retry_after_max:g}s"
        logger.debug(
            "%s %s: attempt %d of %d failed (%s); retrying in %.3fs (%s)",
            method,
            operation,
            state.attempt_number,
            attempts,
            retry_reason(error, method=method) if error else "?",
            state.upcoming_sleep,
            source,
        )

    return _Hooks(
        stop=tenacity.stop_after_attempt(attempts),
        wait=RetryWait(policy),
        retry=tenacity.retry_if_exception(should_retry),
        after=after,
        before_sleep=before_sleep,
    )


def _describe(error: BaseException | None) -> str:
    # Only the type and status: messages of foreign exceptions could quote a URL or a header.
    if error is None:
        return "?"
    status = getattr(error, "status_code", None)
    return f"{type(error).__name__}" + (f" (status {status})" if status is not None else "")


def call_with_retries(fn: Callable[[], T], *, policy: RetryPolicy, method: str, operation: str) -> T:
    """Call ``fn`` (one complete attempt: send, read, parse) and retry it as ``policy`` allows.

    The last failure is re-raised unchanged when retries run out or the failure is not retryable.

    Example::

        call_with_retries(lambda: client.call_once(...), policy=RetryPolicy(), method="GET", operation="inventory")
    """
    h = _hooks(policy, method.upper(), operation)
    retrying = tenacity.Retrying(
        stop=h.stop, wait=h.wait, retry=h.retry, after=h.after, before_sleep=h.before_sleep, reraise=True
    )
    return retrying(fn)


async def acall_with_retries(fn: Callable[[], Awaitable[T]], *, policy: RetryPolicy, method: str, operation: str) -> T:
    """The asyncio twin of ``call_with_retries``: waits with ``asyncio.sleep``, never blocking the loop.

    Example::

        await acall_with_retries(lambda: client.acall_once(...), policy=RetryPolicy(), method="GET", operation="x")
    """
    h = _hooks(policy, method.upper(), operation)
    retrying = tenacity.AsyncRetrying(
        stop=h.stop, wait=h.wait, retry=h.retry, after=h.after, before_sleep=h.before_sleep, reraise=True
    )
    return await retrying(fn)
