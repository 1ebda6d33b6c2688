"""Client-side rate limiting: keep every client of one vendor account under the vendor's published request rate.

Fourthwall allows 100 requests per rolling 10 s per shop, ShipBob 150 per minute (sliding window) per user per
app; past that both answer 429. A client that paces itself never sees those 429s, so one budget (a sliding log of
slots) is shared by every HTTP request of a client, sync or async, including retries. The limit applies in an
httpx transport wrapper, so every request on the wire is counted once.

**The limit holds at the vendor, not just at our clock** (issue 18 item 7). A slot is taken before the request is
sent and is *held until its response headers arrive* (or, for a body the size cap reads in full, until that body
has arrived; or until it fails); the window is then counted from that later
instant. A request always reaches the vendor before its response leaves it, so however late the request actually
left (a busy event loop, connection setup, a queue for the connection pool), the vendor never sees more than the
limit in any window. Cost: each slot is counted one round trip later than its request arrived, a few percent of
throughput with a slow vendor. See ``facade.budget._stores`` for the reasoning and the lease (``hold``) that bounds
what a killed process can leave taken: its slots count for at most ``hold`` plus one window (and the margin) after it
died, two windows by default.

**One budget across processes and machines** (issue 19): every process that talks to one vendor account passes
the same Redis budget as ``rate_limit=``; together they stay under the account's limit::

    budget = RequestBudget.redis("redis://127.0.0.1:6379/0", vendor="fourthwall", account="shop_123")
    with Fourthwall(auth=BasicAuth("user", "pass"), rate_limit=budget) as fw: ...

The Redis key is ``facade:budget:<vendor>:<account>``: the account is required, so two shops (or two ShipBob
users) never share a budget by accident, and every process of one account must name it the same way (and pass the
same ``limit``). When Redis is unreachable or slower than ``timeout``, the request that needed a slot is not sent
and ``BudgetUnavailableError`` is raised: a local fallback would give each process a whole budget of its own, and
the processes together would burst past the vendor's limit. Nothing is ever sent without a slot.

Why our own stores, not pyrate-limiter's buckets: its buckets (in-memory and Redis) stamp a request once, when it
is granted, and count only stamps at or before "now"; holding a slot while its request is in flight and re-stamping
it when the response arrives needs a lease in the future, which they cannot express. The two stores are small:
one dict, and two Lua scripts on a Redis sorted set (atomic on the server, scores on the Redis server's clock so
machines with skewed clocks agree). The Redis client is redis-py (sync and asyncio in one package).

Example::

    budget = RequestBudget(RateLimit(requests=100, per_seconds=10.0))
    client = httpx.Client(transport=RateLimitedTransport(httpx.HTTPTransport(), budget))
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import threading
import time
from typing import TYPE_CHECKING, Any, Final, TypeVar
from urllib.parse import urlsplit

import attrs
import httpx

from ..defaults import FOURTHWALL_RATE_LIMIT, REDIS_TIMEOUT, SHIPBOB_RATE_LIMIT
from ..errors import BudgetUnavailableError, ConfigurationError
from ._stores import Grant, MemoryStore, RedisStore, Store, Window

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Awaitable, Callable

_T = TypeVar("_T")

__all__ = [
    "REDIS_TIMEOUT",
    "AsyncRateLimitedTransport",
    "BudgetUnavailableError",
    "RateLimit",
    "RateLimitedTransport",
    "RequestBudget",
    "Slot",
    "async_rate_limited",
    "default_margin",
    "rate_limited",
]

_log = logging.getLogger("facade.budget")

# Seconds. Longest sleep between two looks at a full window whose blocking slot is still in flight (its request
# will be re-stamped when its response arrives, usually long before its lease ends).
_POLL: Final = 0.05
_VENDOR_LIMITS: Final = {"fourthwall": FOURTHWALL_RATE_LIMIT, "shipbob": SHIPBOB_RATE_LIMIT}
_VENDOR_NAME: Final = re.compile(r"[a-z][a-z0-9_-]{0,39}")
_ACCOUNT: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@:+-]{0,199}")


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
    """Extra seconds a slot stays counted past its window: 1% of the window, at least 20 ms.

    The vendor's window edges (inclusive or not, its timestamp resolution) could otherwise squeeze one request
    too many into its window and earn a 429; the cost is about that fraction of throughput.

    Example::

        default_margin(RateLimit(requests=100, per_seconds=10.0))  # 0.1
    """
    return max(0.02, limit.per_seconds / 100)


# A slot's name in the store: unique across processes and machines (a random prefix per process, re-drawn in a
# forked child) and within one (a counter); ~0.3 us instead of a uuid4's ~4 us on every request.
_member_prefix = os.urandom(16).hex() + ":"
_member_numbers = itertools.count()


def _new_prefix() -> None:
    global _member_prefix  # noqa: PLW0603 (one per process, by design)
    _member_prefix = os.urandom(16).hex() + ":"


os.register_at_fork(after_in_child=_new_prefix)


def _new_member() -> str:
    return f"{_member_prefix}{next(_member_numbers)}"


@attrs.define(eq=False)
class Slot:
    """One granted request slot; ``settle()`` (or ``await asettle()``) when the response headers arrived or the
    request failed, so the window counts from then. A slot never settled is released by its lease (``hold``).

    Example::

        slot = budget.acquire()
        try:
            response = send(request)
        finally:
            slot.settle()
    """

    _budget: RequestBudget
    _member: str
    _settled: bool = False

    def settle(self) -> None:
        """Count this slot's window from now (idempotent; a store failure is logged, the lease then holds it)."""
        if not self._settled:
            self._settled = True
            self._budget._settle(self._member)

    async def asettle(self) -> None:
        """The asyncio twin of ``settle``."""
        if not self._settled:
            self._settled = True
            await self._budget._asettle(self._member)


class RequestBudget:
    """A shared request budget: ``acquire()`` (threads) or ``await acquire_async()`` (asyncio) waits for a slot.

    One budget may serve sync and async clients at once. Waiting ends by the clock alone or when an in-flight
    request's response arrives (never by another request that must wait for a slot first), so a request that needs
    another request first (an OAuth token refresh) only queues behind it, never deadlocks against it.

    ``hold`` (default: one window) is the lease of a slot whose request is in flight: it must outlast the delay
    between a grant and the request leaving this machine. It also bounds what a process killed mid-request leaks:
    its slots stop counting at most ``hold + per_seconds + margin`` after it died (two windows and the margin by
    default), on the store's clock (the Redis server's for a shared budget); never longer.

    Example::

        budget = RequestBudget(RateLimit(requests=150, per_seconds=60.0))
        slot = budget.acquire()              # returns at once, or when a slot leaves the window
        slot = await budget.acquire_async()  # the same budget from asyncio
    """

    def __init__(
        self,
        limit: RateLimit,
        *,
        margin: float | None = None,
        hold: float | None = None,
        store: Callable[[Window], Store] | None = None,
    ) -> None:
        self.limit = limit
        self.margin = default_margin(limit) if margin is None else margin
        self.hold = limit.per_seconds if hold is None else hold
        if isinstance(self.margin, bool) or not isinstance(self.margin, int | float) or self.margin < 0:
            raise ConfigurationError(f"margin must be a number >= 0, got {self.margin!r}")
        if isinstance(self.hold, bool) or not isinstance(self.hold, int | float) or not self.hold > 0:
            raise ConfigurationError(f"hold must be a positive number, got {self.hold!r}")
        window = Window(limit=limit.requests, window=limit.per_seconds, margin=self.margin, hold=self.hold)
        self._store: Store = (store or MemoryStore)(window)
        self._where = "memory"
        self._poll = min(_POLL, limit.per_seconds / 20)
        # One waiter at a time per process (per event loop for asyncio): the others queue here in order instead of
        # all asking the store again whenever a slot frees.
        self._thread_gate = threading.Lock()
        self._loop_gates: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = {}

    @classmethod
    def redis(
        cls,
        url: str,
        *,
        vendor: str,
        account: str,
        limit: RateLimit | None = None,
        margin: float | None = None,
        hold: float | None = None,
        timeout: float = REDIS_TIMEOUT,
    ) -> RequestBudget:
        """A budget shared through Redis by every process (and machine) that names the same vendor account.

        ``vendor``: ``"fourthwall"`` or ``"shipbob"`` (their published limits are the default ``limit``), or any
        other lowercase name with an explicit ``limit``. ``account``: the Fourthwall shop id, or the ShipBob user
        (or app + user) the token belongs to; required, so two accounts never share a budget. Needs the ``redis``
        package (``pip install 'commerce-clients[redis]'``).

        Example::

            budget = RequestBudget.redis("redis://127.0.0.1:6379/0", vendor="shipbob", account="user-42")
        """
        if not isinstance(vendor, str) or not _VENDOR_NAME.fullmatch(vendor):
            raise ConfigurationError(f"vendor must be a lowercase name like 'fourthwall', got {vendor!r}")
        if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
            raise ConfigurationError(
                "account must name the vendor account (a shop or user id: letters, digits, . _ @ : + -; "
                f"at most 200 characters), got {account!r}"
            )
        if limit is None:
            if vendor not in _VENDOR_LIMITS:
                raise ConfigurationError(f"vendor {vendor!r} has no published limit here: pass limit=RateLimit(...)")
            requests, per_seconds = _VENDOR_LIMITS[vendor]
            limit = RateLimit(requests=requests, per_seconds=per_seconds)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise ConfigurationError(f"timeout must be a positive number of seconds, got {timeout!r}")
        try:
            import redis
            import redis.asyncio
            from redis.backoff import NoBackoff
            from redis.exceptions import ConnectionError as RedisConnectionError
            from redis.retry import Retry
        except ImportError as exc:
            raise ConfigurationError(
                "RequestBudget.redis needs the redis package: pip install 'commerce-clients[redis]'"
            ) from exc
        where = _redacted_url(url)
        # One retry on a dropped connection (a pooled connection that a Redis restart closed reconnects once), none
        # on a timeout: a slow Redis fails within ``timeout``.
        options: dict[str, Any] = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
        try:
            sync = redis.Redis.from_url(url, retry=Retry(NoBackoff(), 1, (RedisConnectionError,)), **options)
        except ValueError as exc:
            raise ConfigurationError(f"not a Redis URL: {where} ({exc})") from None

        def make_async() -> Any:
            from redis.asyncio.retry import Retry as AsyncRetry

            return redis.asyncio.Redis.from_url(
                url, retry=AsyncRetry(NoBackoff(), 1, (RedisConnectionError,)), **options
            )

        key = f"facade:budget:{vendor}:{account}"
        budget = cls(
            limit, margin=margin, hold=hold, store=lambda w: RedisStore(w, key=key, sync=sync, make_async=make_async)
        )
        budget._where = where
        return budget

    def __repr__(self) -> str:
        key = getattr(self._store, "key", None)
        return f"RequestBudget({self.limit!r}" + (f", key={key!r})" if key else ")")

    @property
    def key(self) -> str | None:
        """The Redis key of a shared budget (``facade:budget:<vendor>:<account>``), None for a local one."""
        key = getattr(self._store, "key", None)
        return key if isinstance(key, str) else None

    def acquire(self) -> Slot:
        """Block the calling thread until one request may be sent; count it, and return its ``Slot``."""
        member = _new_member()
        with self._thread_gate:
            while True:
                grant = self._guard(self._store.take, member)
                if grant.granted:
                    return Slot(self, member)
                time.sleep(self._sleep(grant))

    async def acquire_async(self) -> Slot:
        """Wait without blocking the event loop until one request may be sent; count it, return its ``Slot``."""
        import asyncio

        member = _new_member()
        async with self._loop_gate():
            while True:
                grant = await self._aguard(self._store.atake(member))
                if grant.granted:
                    return Slot(self, member)
                await asyncio.sleep(self._sleep(grant))

    def in_window(self) -> int:
        """How many slots count against the window right now (granted or in flight, not yet expired)."""
        return self._guard(self._store.count)

    def close(self) -> None:
        """Close the store's thread-side connections (a shared Redis budget's sync client); a local budget has none.

        An event loop's connections belong to that loop: close them with ``await aclose()`` before it ends.
        """
        self._store.close()

    async def aclose(self) -> None:
        """Close the running event loop's connections to the store (a shared Redis budget's asyncio client).

        Call it in each event loop that used the budget, before the loop ends (an ``asyncio.run`` main's last
        step); the budget stays usable: a later ``acquire_async()`` opens new connections. A local budget has none.

        Example::

            async def main() -> None:
                try:
                    async with AsyncFourthwall(auth=auth, rate_limit=budget) as fw: ...
                finally:
                    await budget.aclose()
        """
        await self._store.aclose()

    def _sleep(self, grant: Grant) -> float:
        if grant.in_flight:
            return max(min(grant.wait, self._poll), 0.001)
        return max(grant.wait, 0.001)

    def _loop_gate(self) -> asyncio.Lock:
        import asyncio  # on first async use: sync clients never load asyncio for the budget

        loop = asyncio.get_running_loop()
        held = self._loop_gates.get(id(loop))
        if held is None or held[0] is not loop:
            self._loop_gates = {k: v for k, v in self._loop_gates.items() if not v[0].is_closed()}
            held = (loop, asyncio.Lock())
            self._loop_gates[id(loop)] = held
        return held[1]

    def _unavailable(self, exc: Exception) -> BudgetUnavailableError:
        return BudgetUnavailableError(
            f"the shared request budget at {self._where} is unavailable ({type(exc).__name__}); "
            "the request was not sent",
            where=self._where,
        )

    def _guard(self, fn: Callable[..., _T], *args: str) -> _T:
        try:
            return fn(*args)
        except _store_errors() as exc:
            raise self._unavailable(exc) from None

    async def _aguard(self, pending: Awaitable[_T]) -> _T:
        try:
            return await pending
        except _store_errors() as exc:
            raise self._unavailable(exc) from None

    def _settle(self, member: str) -> None:
        try:
            self._store.settle(member)
        except _store_errors() as exc:
            _log.warning(
                "could not settle a request slot at %s (%s); its lease frees it", self._where, type(exc).__name__
            )

    async def _asettle(self, member: str) -> None:
        try:
            await self._store.asettle(member)
        except _store_errors() as exc:
            _log.warning(
                "could not settle a request slot at %s (%s); its lease frees it", self._where, type(exc).__name__
            )


def _store_errors() -> tuple[type[Exception], ...]:
    try:
        from redis.exceptions import RedisError
    except ImportError:
        return (OSError,)
    return (RedisError, OSError)


def _redacted_url(url: str) -> str:
    """``url`` without its user or password (``redis://host:port/db``), for errors and logs."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<unparsable Redis URL>"
    return f"{parts.scheme}://{host}{port}{parts.path}"


class RateLimitedTransport(httpx.BaseTransport):
    """An httpx transport that takes one slot of a ``RequestBudget`` for each request it sends and holds it until
    the response headers arrive (or the request fails).

    Example::

        httpx.Client(transport=RateLimitedTransport(httpx.HTTPTransport(), budget))
    """

    def __init__(self, inner: httpx.BaseTransport, budget: RequestBudget) -> None:
        self._inner = inner
        self.budget = budget

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        slot = self.budget.acquire()
        try:
            return self._inner.handle_request(request)
        finally:
            slot.settle()

    def close(self) -> None:
        self._inner.close()


class AsyncRateLimitedTransport(httpx.AsyncBaseTransport):
    """The asyncio twin of ``RateLimitedTransport``.

    Example::

        httpx.AsyncClient(transport=AsyncRateLimitedTransport(httpx.AsyncHTTPTransport(), budget))
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, budget: RequestBudget) -> None:
        # httpcore imports anyio lazily on its first async request; import it now, while nothing is timed.
        import anyio  # noqa: F401

        self._inner = inner
        self.budget = budget

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        slot = await self.budget.acquire_async()
        try:
            return await self._inner.handle_async_request(request)
        finally:
            await slot.asettle()

    async def aclose(self) -> None:
        await self._inner.aclose()


def _budget_for(limit: RateLimit | RequestBudget) -> RequestBudget:
    """A shared ``RequestBudget`` as it is, or a fresh one for a ``RateLimit``."""
    return limit if isinstance(limit, RequestBudget) else RequestBudget(limit)


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
    return RateLimitedTransport(transport or httpx.HTTPTransport(verify=verify), _budget_for(limit))


def async_rate_limited(
    transport: httpx.AsyncBaseTransport | None, limit: RateLimit | RequestBudget | None, *, verify: Any = True
) -> httpx.AsyncBaseTransport | None:
    """The asyncio twin of ``rate_limited``.

    Example::

        httpx.AsyncClient(transport=async_rate_limited(None, RateLimit(requests=150, per_seconds=60.0)))
    """
    if limit is None:
        return transport
    return AsyncRateLimitedTransport(transport or httpx.AsyncHTTPTransport(verify=verify), _budget_for(limit))
