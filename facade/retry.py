"""Retry policy: which failed calls are worth another attempt, and how long to wait before it.

The policy is ours; the loop, the attempt counting and the exponential backoff with jitter come from tenacity
(typed, sync and asyncio loops, a ``wait=`` callable that sees each failure, so a per-attempt wait can come from
a response header). stamina, built on tenacity, was the other candidate: its backoff hooks can return a wait
too, but its instrumentation is process-global and by default logs every retry at WARNING (and registers
Prometheus metrics when prometheus_client is importable), which a library must not impose on the app.

What is retried (``retry_reason``):

* idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE): connection errors, resets and truncated bodies
  (``APIConnectionError``; not a redirect loop, ``httpx.TooManyRedirects``: it is deterministic), timeouts
  (``APITimeoutError``), 408, 429 and 5xx except 501 and 505 (which say the request can never succeed),
  including non-standard 5xx such as Cloudflare's 520;
* any method, POST included: only failures where the request provably never left (connect error or timeout,
  no free connection in the pool). A POST that may have reached the server is never retried blindly.

How long to wait (``RetryWait``): the server's hint first, from ``x-retry-after`` (ShipBob, seconds) or
``Retry-After`` (seconds or an HTTP date), capped at ``RetryPolicy.retry_after_max``; otherwise capped
exponential backoff with jitter. Every decision is logged at DEBUG on the ``facade.retry`` logger, naming the
method, the operation and the failure type or status, never a header, body or credential::

    policy = RetryPolicy(max_retries=3)
    stock = call_with_retries(lambda: fetch(product_id), policy=policy, operation="inventory", method="GET")
"""

from __future__ import annotations

import email.utils
import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Final, TypeVar

import httpx
from attrs import field, frozen

from . import defaults
from .config import number_validator
from .errors import APIConnectionError, APIStatusError

if TYPE_CHECKING:
    # tenacity is imported where a retry loop is built: it is most of what `import facade` would add otherwise.
    import tenacity

__all__ = [
    "IDEMPOTENT_METHODS",
    "RetryPolicy",
    "RetryRunner",
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
# Deterministic failures: the same request gets the same answer (a redirect loop redirects again).
_DETERMINISTIC: Final = (*_OUR_MISTAKE, httpx.TooManyRedirects)


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

    max_retries: int = field(default=defaults.MAX_RETRIES, validator=number_validator(positive=False, integer=True))
    backoff_initial: float = field(default=defaults.BACKOFF_INITIAL, validator=number_validator(positive=False))
    backoff_max: float = field(default=defaults.BACKOFF_MAX, validator=number_validator(positive=False))
    backoff_jitter: float = field(default=defaults.BACKOFF_JITTER, validator=number_validator(positive=False))
    retry_after_max: float = field(default=defaults.RETRY_AFTER_MAX, validator=number_validator(positive=False))


def parse_retry_after(headers: httpx.Headers, *, now: float | None = None) -> float | None:
    """Seconds to wait from ShipBob's ``x-retry-after`` or the standard ``Retry-After`` (seconds or HTTP date).

    Example::

        assert parse_retry_after(httpx.Headers({"x-retry-after": "12"})) == 12.0
    """
    for name in ("x-retry-after", "retry-after"):
        raw = headers.get(name)
        if raw is None:
            continue
        raw = raw.strip()
        try:
            seconds = float(raw)
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(raw)
            except (TypeError, ValueError, IndexError):
                continue
            seconds = when.timestamp() - (time.time() if now is None else now)
        if not math.isfinite(seconds):  # NaN or infinite: not a usable hint
            continue
        return max(0.0, seconds)
    return None


def retry_reason(error: BaseException, *, method: str | None = None) -> str | None:
    """Why ``error`` is worth another attempt, or None when it is not: the whole policy in one place.

    ``method`` defaults to the method of the request the error carries; unknown counts as not idempotent.

    Example::

        retry_reason(ServerError("boom", status_code=503), method="GET")   # 'status 503'
        retry_reason(ServerError("boom", status_code=503), method="POST")  # None
    """
    method = method or _method_of(error)
    idempotent = method is not None and method.upper() in IDEMPOTENT_METHODS
    if isinstance(error, httpx.TransportError | httpx.TooManyRedirects | APIConnectionError):
        # The facade wraps httpx's errors with `raise ... from`; the cause says whether anything was sent.
        cause = error if isinstance(error, httpx.HTTPError) else error.__cause__
        if isinstance(cause, _NOT_SENT):
            return f"{type(cause).__name__} before the request was sent"
        if not idempotent or isinstance(cause, _DETERMINISTIC):
            return None
        return type(cause if isinstance(cause, httpx.HTTPError) else error).__name__
    status = error.status_code if isinstance(error, APIStatusError) else None
    if idempotent and status is not None and _retryable_status(status):
        return f"status {status}"
    return None


def _method_of(error: BaseException) -> str | None:
    if isinstance(error, httpx.HTTPError):
        try:
            request: object = error.request
        except RuntimeError:  # httpx raises this when the exception was created without a request
            request = None
    else:
        request = getattr(error, "request", None)
    return request.method if isinstance(request, httpx.Request) else None


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
        import tenacity

        self._policy = policy
        self._backoff = tenacity.wait_exponential_jitter(
            multiplier=policy.backoff_initial, max=policy.backoff_max, jitter=policy.backoff_jitter
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


def _what(method: str | None, operation: str, error: BaseException | None) -> str:
    verb = method or (_method_of(error) if error is not None else None) or "?"
    return f"{verb.upper()} {operation}"


def _first_attempt_settles(error: BaseException, method: str | None, operation: str) -> bool:
    """Whether the first attempt's ``error`` ends the call (not retryable), logged as the retry loop logs it."""
    if retry_reason(error, method=method) is not None:
        return False
    logger.debug("%s: not retrying %s", _what(method, operation, error), _describe(error))
    return True


def _hooks(policy: RetryPolicy, method: str | None, operation: str) -> _Hooks:
    import tenacity

    attempts = policy.max_retries + 1

    def what(error: BaseException | None) -> str:
        return _what(method, operation, error)

    def should_retry(error: BaseException) -> bool:
        reason = retry_reason(error, method=method)
        if reason is None:
            logger.debug("%s: not retrying %s", what(error), _describe(error))
        return reason is not None

    def after(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        if state.attempt_number >= attempts and error is not None and retry_reason(error, method=method):
            logger.debug("%s: giving up after %d attempt(s), last %s", what(error), attempts, _describe(error))

    def before_sleep(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome is not None else None
        hint = _server_hint(error)
        source = "backoff" if hint is None else f"server asked {hint:g}s, cap {policy.retry_after_max:g}s"
        logger.debug(
            "%s: attempt %d of %d failed (%s); retrying in %.3fs (%s)",
            what(error),
            state.attempt_number,
            attempts,
            retry_reason(error, method=method) if error is not None else "?",
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
    return type(error).__name__ + (f" (status {status})" if status is not None else "")


def call_with_retries(fn: Callable[[], T], *, policy: RetryPolicy, operation: str, method: str | None = None) -> T:
    """Call ``fn`` (one complete attempt: send, read, parse) and retry it as ``policy`` allows.

    ``method`` defaults to the method of the request each failure carries. The last failure is re-raised
    unchanged when retries run out or the failure is not retryable.

    The first attempt is made directly; the tenacity loop is built only after a retryable failure, and replays
    that failure as its own first attempt, so waits, stops and log lines are those of the loop from the start.

    Example::

        call_with_retries(lambda: client.get("/x"), policy=RetryPolicy(), operation="x", method="GET")
    """
    try:
        return fn()
    except BaseException as error:  # what tenacity catches too: it decides on any exception
        if _first_attempt_settles(error, method, operation):
            raise
        first: BaseException | None = error
    # Out of the `except` block, so later attempts' errors do not get the first one as their __context__.
    import tenacity

    def attempt() -> T:
        nonlocal first
        if first is not None:
            replayed, first = first, None
            raise replayed
        return fn()

    h = _hooks(policy, method, operation)
    retrying = tenacity.Retrying(
        stop=h.stop, wait=h.wait, retry=h.retry, after=h.after, before_sleep=h.before_sleep, reraise=True
    )
    return retrying(attempt)


async def acall_with_retries(
    fn: Callable[[], Awaitable[T]], *, policy: RetryPolicy, operation: str, method: str | None = None
) -> T:
    """The asyncio twin of ``call_with_retries``: waits with ``asyncio.sleep``, never blocking the loop.

    Example::

        await acall_with_retries(lambda: client.get("/x"), policy=RetryPolicy(), operation="x", method="GET")
    """
    try:
        return await fn()
    except BaseException as error:  # CancelledError included, as in the tenacity loop: it is never retried
        if _first_attempt_settles(error, method, operation):
            raise
        first: BaseException | None = error
    import tenacity

    # tenacity awaits only what it recognises as a coroutine function; `fn` is often a lambda returning one.
    async def attempt() -> T:
        nonlocal first
        if first is not None:
            replayed, first = first, None
            raise replayed
        return await fn()

    h = _hooks(policy, method, operation)
    retrying = tenacity.AsyncRetrying(
        stop=h.stop, wait=h.wait, retry=h.retry, after=h.after, before_sleep=h.before_sleep, reraise=True
    )
    return await retrying(attempt)


@frozen
class RetryRunner:
    """The call path's runner (``facade.core.Runner``) that retries each operation as ``policy`` allows.

    Example::

        client._runner = RetryRunner(RetryPolicy(max_retries=3))
    """

    policy: RetryPolicy

    def run(self, operation: str, attempt: Callable[[], T]) -> T:
        return call_with_retries(attempt, policy=self.policy, operation=operation)

    async def arun(self, operation: str, attempt: Callable[[], Awaitable[T]]) -> T:
        return await acall_with_retries(attempt, policy=self.policy, operation=operation)
