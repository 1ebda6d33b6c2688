"""Client-side rate limiting: keep each client under its vendor's published request rate.

Fourthwall allows 100 requests per rolling 10 s per shop, ShipBob 150 per minute (sliding window) per user per
app; past that both answer 429. A client that paces itself never sees those 429s, so one budget (a sliding-log
bucket) is shared by every HTTP request of a client, sync or async, including retries. The bucket (a sliding
log), its locking and the asyncio waiting come from pyrate-limiter; this module holds our policy: the rates, a
small safety margin, where the limit applies (an httpx transport wrapper, so every request on the wire is counted
once), and the thread-side wait (see ``RequestBudget.acquire`` for why it is ours).

Why pyrate-limiter: one limiter object serves threads and asyncio tasks (sync ``try_acquire`` and
``try_acquire_async`` on the same bucket, so sync and async clients can share a budget), its sliding-log bucket
matches both vendors' sliding windows, and the same interface has Redis, SQLite, Postgres and multiprocess buckets.
aiolimiter is asyncio-only; limits has the storages but no waiting, only "hit or not".

Several processes sharing one token can later share one budget by passing a pyrate-limiter Redis, SQLite or
multiprocess bucket as ``bucket=`` (and the ``RequestBudget`` as every client's ``rate_limit=``); the in-process
bucket is the default::

    budget = RequestBudget(RateLimit(requests=100, per_seconds=10.0))
    client = httpx.Client(transport=RateLimitedTransport(httpx.HTTPTransport(), budget))
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, Final

import httpx

import attrs

from .errors import ConfigurationError

if TYPE_CHECKING:
    # pyrate-limiter (and what it pulls in: multiprocessing, sqlite3, its bucket backends) is imported where a
    # budget is built, so that `import facade` stays cheap.
    from pyrate_limiter import AbstractBucket, BucketFactory

__all__ = [
    "AsyncRateLimitedTransport",
    "RateLimitedTransport",
    "RateLimit",
    "RequestBudget",
    "async_rate_limited",
    "default_margin",
    "rate_limited",
]

# The in-process bucket keeps one timestamp per request; dropping expired ones every this many acquisitions keeps
# memory bounded without pyrate-limiter's background leaker thread (one daemon thread per client otherwise).
_LEAK_EVERY: Final = 256
_BUCKET_KEY: Final = "requests"


def _positive(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
    # A ConfigurationError (not attrs' ValueError) so bad settings land in the facade's error tree.
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigurationError(f"{attribute.name} must be a positive number, got {value!r}")


@attrs.frozen(kw_only=True)
class RateLimit:
    """A client-side request budget: at most ``requests`` per ``per_seconds`` (sliding window).

    Example::

        RateLimit(requests=100, per_seconds=10.0)  # Fourthwall's documented limit
    """

    requests: int = attrs.field(validator=_positive)
    per_seconds: float = attrs.field(validator=_positive)


def default_margin(limit: RateLimit) -> float:
    """Extra seconds waited whenever the budget is exhausted: 1% of the window, at least 20 ms.

    Network jitter between our clock and the vendor's could otherwise squeeze one request too many into the
    vendor's window and earn a 429; the cost is about that fraction of throughput.

    Example::

        default_margin(RateLimit(requests=100, per_seconds=10.0))  # 0.1
    """
    return max(0.02, limit.per_seconds / 100)


class RequestBudget:
    """A shared request budget: ``acquire()`` (threads) or ``await acquire_async()`` (asyncio) waits for a slot.

    One budget may serve a sync and an async client at once. A waiting request holds nothing that another request
    needs in order to proceed, and every wait ends by the clock alone, so a request that needs another request
    first (an OAuth token refresh) only queues behind it, never deadlocks against it.

    Example::

        budget = RequestBudget(RateLimit(requests=150, per_seconds=60.0))
        budget.acquire()              # returns at once, or after the oldest request leaves the window
        await budget.acquire_async()  # the same budget from asyncio
    """

    def __init__(self, limit: RateLimit, *, margin: float | None = None, bucket: AbstractBucket | None = None) -> None:
        from pyrate_limiter import InMemoryBucket, Limiter, Rate
        from pyrate_limiter.limiter import SingleBucketFactory

        self.limit = limit
        self.margin = default_margin(limit) if margin is None else margin
        self._own_bucket = bucket is None
        self._bucket: AbstractBucket = bucket or InMemoryBucket([Rate(limit.requests, round(limit.per_seconds * 1000))])
        # A shared bucket (Redis, SQLite, ...) brings its own leak schedule; ours is leaked inline (see _LEAK_EVERY).
        factory: AbstractBucket | BucketFactory = self._bucket
        if self._own_bucket:
            factory = SingleBucketFactory(self._bucket, schedule_leak=False)
        self._limiter = Limiter(factory, buffer_ms=round(self.margin * 1000))
        self._count = itertools.count(1)

    def __repr__(self) -> str:
        return f"RequestBudget({self.limit!r})"

    def acquire(self) -> None:
        """Block the calling thread until one request may be sent, and count it."""
        if not self._own_bucket:
            if self._limiter.try_acquire(_BUCKET_KEY) is not True:  # an async-only shared bucket
                raise TypeError("this budget's bucket is async-only: use `await acquire_async()`")
            return
        # pyrate-limiter 4.5's blocking sync path records a waiting request at "start + planned sleep", which is
        # earlier than the real send when a loaded machine oversleeps: the next window would then open too early
        # and earn a 429. So threads take the slot without blocking, stamped with the clock at that moment, and
        # sleep in between until the request that blocks them leaves the window (plus the margin).
        while self._limiter.try_acquire(_BUCKET_KEY, blocking=False) is not True:
            time.sleep(self._sync_wait())
        self._maybe_leak()

    def _sync_wait(self) -> float:
        blocker = self._bucket.peek(self.limit.requests - 1)  # the oldest request still in a full window
        if blocker is None or isinstance(blocker, Awaitable):
            return self.margin or 0.001
        now_ms: int = self._bucket.now()  # type: ignore[no-untyped-call]  # pyrate-limiter leaves now() bare
        leaves_in = (blocker.timestamp - now_ms) / 1000 + self.limit.per_seconds
        return max(leaves_in, 0.0) + max(self.margin, 0.001)

    async def acquire_async(self) -> None:
        """Wait without blocking the event loop until one request may be sent, and count it."""
        await self._limiter.try_acquire_async(_BUCKET_KEY)
        self._maybe_leak()

    def close(self) -> None:
        """Release the bucket (and any background leaker a shared bucket started)."""
        self._limiter.close()

    def _maybe_leak(self) -> None:
        if self._own_bucket and next(self._count) % _LEAK_EVERY == 0:
            self._bucket.leak(self._bucket.now())  # type: ignore[no-untyped-call]  # pyrate-limiter leaves now() bare


class RateLimitedTransport(httpx.BaseTransport):
    """An httpx transport that takes one slot of a ``RequestBudget`` before each request it sends.

    Example::

        httpx.Client(transport=RateLimitedTransport(httpx.HTTPTransport(), budget))
    """

    def __init__(self, inner: httpx.BaseTransport, budget: RequestBudget) -> None:
        self._inner = inner
        self.budget = budget

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.budget.acquire()
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


class AsyncRateLimitedTransport(httpx.AsyncBaseTransport):
    """The asyncio twin of ``RateLimitedTransport``.

    Example::

        httpx.AsyncClient(transport=AsyncRateLimitedTransport(httpx.AsyncHTTPTransport(), budget))
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, budget: RequestBudget) -> None:
        # httpcore imports anyio lazily on its first async request (0.3-0.4 s on a loaded machine). A slot taken
        # before that import would be stamped that much before the request reaches the vendor, letting the next
        # window open early and earn a 429 (seen in the bulk benchmark). Import it now, while nothing is timed.
        import anyio  # noqa: F401

        self._inner = inner
        self.budget = budget

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.budget.acquire_async()
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def rate_limited(
    transport: httpx.BaseTransport | None, limit: RateLimit | RequestBudget | None, *, verify: Any = True
) -> httpx.BaseTransport | None:
    """``transport`` (or httpx's default one) behind ``limit``: a fresh budget for a ``RateLimit``, or a shared
    ``RequestBudget`` as it is; ``transport`` unchanged when ``limit`` is None.

    Example::

        httpx.Client(transport=rate_limited(None, RateLimit(requests=100, per_seconds=10.0)))
    """
    if limit is None:
        return transport
    budget = limit if isinstance(limit, RequestBudget) else RequestBudget(limit)
    return RateLimitedTransport(transport or httpx.HTTPTransport(verify=verify), budget)


def async_rate_limited(
    transport: httpx.AsyncBaseTransport | None, limit: RateLimit | RequestBudget | None, *, verify: Any = True
) -> httpx.AsyncBaseTransport | None:
    """The asyncio twin of ``rate_limited``.

    Example::

        httpx.AsyncClient(transport=async_rate_limited(None, RateLimit(requests=150, per_seconds=60.0)))
    """
    if limit is None:
        return transport
    budget = limit if isinstance(limit, RequestBudget) else RequestBudget(limit)
    return AsyncRateLimitedTransport(transport or httpx.AsyncHTTPTransport(verify=verify), budget)
