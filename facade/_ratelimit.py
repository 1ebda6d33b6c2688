"""Client-side rate limiting: keep each client under its vendor's published request rate.

Fourthwall allows 100 requests per rolling 10 s per shop, ShipBob 150 per minute (sliding window) per user per
app; past that both answer 429. A client that paces itself never sees those 429s, so one budget (a sliding-log
bucket) is shared by every HTTP request of a client, sync or async, including retries. The bucket and the
blocking/async waiting come from pyrate-limiter; this module holds only our policy: the rates, a small safety
margin, and where the limit applies (an httpx transport wrapper, so every request on the wire is counted once).

Several processes sharing one token can later share one budget by passing a pyrate-limiter Redis, SQLite or
multiprocess bucket as ``bucket=``; the in-process bucket is the default::

    budget = RequestBudget(RateLimit(requests=100, per=10.0))
    client = httpx.Client(transport=RateLimitedTransport(httpx.HTTPTransport(), budget))
"""

from __future__ import annotations

import itertools
from typing import Final

import httpx
from attrs import field, frozen, validators
from pyrate_limiter import AbstractBucket, BucketFactory, InMemoryBucket, Limiter, Rate
from pyrate_limiter.limiter import SingleBucketFactory

__all__ = [
    "FOURTHWALL_DEFAULT_RATE_LIMIT",
    "SHIPBOB_DEFAULT_RATE_LIMIT",
    "AsyncRateLimitedTransport",
    "RateLimit",
    "RateLimitedTransport",
    "RequestBudget",
]

# The in-process bucket keeps one timestamp per request; dropping expired ones every this many acquisitions keeps
# memory bounded without pyrate-limiter's background leaker thread (one daemon thread per client otherwise).
_LEAK_EVERY: Final = 256
_BUCKET_KEY: Final = "requests"


@frozen(kw_only=True)
class RateLimit:
    """At most ``requests`` HTTP requests in any window of ``per`` seconds (a sliding window).

    ``margin`` is extra seconds waited whenever the budget is exhausted, so that network jitter between our clock
    and the vendor's cannot squeeze one request too many into the vendor's window. By default it is 1% of the
    window, at least 20 ms: the cost is about that fraction of throughput.

    Example::

        RateLimit(requests=20, per=1.0)  # a scaled-down limit for tests
    """

    requests: int = field(validator=validators.gt(0))
    per: float = field(validator=validators.gt(0))
    margin: float | None = field(default=None, validator=validators.optional(validators.ge(0)))

    @property
    def margin_seconds(self) -> float:
        """The margin actually applied, in seconds."""
        return self.margin if self.margin is not None else max(0.02, self.per / 100)


# https://docs.fourthwall.com/open-api/ : "100 requests per 10 seconds" per shop, rolling.
FOURTHWALL_DEFAULT_RATE_LIMIT: Final = RateLimit(requests=100, per=10.0)
# https://developer.shipbob.com/ : "150 requests per minute", sliding window, per user per app.
SHIPBOB_DEFAULT_RATE_LIMIT: Final = RateLimit(requests=150, per=60.0)


class RequestBudget:
    """A shared request budget: ``acquire()`` (threads) or ``await acquire_async()`` (asyncio) waits for a slot.

    One budget may serve a sync and an async client at once; waiting never holds a lock, so a request that needs
    another request first (an OAuth token refresh) cannot deadlock against it.

    Example::

        budget = RequestBudget(RateLimit(requests=150, per=60.0))
        budget.acquire()              # returns at once, or after the oldest request leaves the window
        await budget.acquire_async()  # the same budget from asyncio
    """

    def __init__(self, limit: RateLimit, *, bucket: AbstractBucket | None = None) -> None:
        self.limit = limit
        self._own_bucket = bucket is None
        self._bucket: AbstractBucket = bucket or InMemoryBucket([Rate(limit.requests, round(limit.per * 1000))])
        # A shared bucket (Redis, SQLite, ...) brings its own leak schedule; ours is leaked inline (see _LEAK_EVERY).
        factory: AbstractBucket | BucketFactory = self._bucket
        if self._own_bucket:
            factory = SingleBucketFactory(self._bucket, schedule_leak=False)
        self._limiter = Limiter(factory, buffer_ms=round(limit.margin_seconds * 1000))
        self._count = itertools.count(1)

    def __repr__(self) -> str:
        return f"RequestBudget({self.limit!r})"

    def acquire(self) -> None:
        """Block the calling thread until one request may be sent, and count it."""
        granted = self._limiter.try_acquire(_BUCKET_KEY)
        if granted is not True:  # only an async (shared) bucket returns an awaitable here
            raise TypeError("this budget's bucket is async-only: use `await acquire_async()`")
        self._maybe_leak()

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
        self._inner = inner
        self.budget = budget

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.budget.acquire_async()
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
