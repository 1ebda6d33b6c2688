"""Where a budget's slots live: in this process (``MemoryStore``) or in Redis (``RedisStore``), one logic for both.

A store holds one entry per request that may still count against the window. Each entry has a score (an instant):

- ``take(member)``: drop entries whose score left the window (``score <= now - window - margin``); if fewer than
  ``limit`` remain, add ``member`` with the *lease* score ``now + hold`` and grant; else refuse and name the
  blocking entry (the oldest one that must leave before a slot frees) and the store's ``now``.
- ``settle(member)``: the request's response headers (or its failure) arrived: set its score to that instant.

Why a lease and a re-stamp instead of pyrate-limiter's one stamp per grant (issue 18 item 7): a request reaches the
vendor some time after its slot is granted (a busy event loop, connection setup, a pool queue). Stamped at the
grant, a slow first batch arrives late while the next batch, granted one window later, arrives at once: the vendor
sees both in one window (126-142 of 100). Every request reaches the vendor before its response comes back, so an
entry whose score is never earlier than the request's arrival keeps the limit *at the vendor*: at each grant all
requests that arrived within the last window still count (settled ones by a score >= their arrival, in-flight ones
by their lease). The lease (``hold``) only has to outlast the delay between the grant and the request leaving this
machine; it also bounds what a killed worker leaks: killed at instant ``k``, it leaves entries scored at most
``k + hold`` (in flight) or ``k`` (settled), all out of the window by ``k + hold + window + margin`` (two windows
and the margin by default), swept by the next ``take``; the Redis key itself expires once nothing renews it.
pyrate-limiter's buckets (in-memory and Redis alike) stamp one instant at the grant and count only entries at or
before ``now``, so they cannot hold a slot in flight; these two stores are small enough to own.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, Final, Protocol

import attrs

if TYPE_CHECKING:
    from redis import Redis
    from redis.asyncio import Redis as AsyncRedis

__all__ = ["Grant", "MemoryStore", "RedisStore", "Store"]


@attrs.frozen
class Grant:
    """A store's answer to ``take``: granted, or the seconds until the blocking entry leaves the window.

    ``in_flight`` says the blocker is still leased (its request has not been settled): it will likely be
    re-stamped earlier than its lease, so the waiter polls instead of sleeping the whole lease.
    """

    granted: bool
    wait: float = 0.0
    in_flight: bool = False


_SWEEP_AT: Final = 1024  # entries a local store keeps at least before it sweeps the expired ones
_GRANTED: Final = Grant(True)  # one value for every grant: a grant per request, and nothing in it varies


@attrs.frozen(kw_only=True)
class Window:
    limit: int
    window: float
    margin: float
    hold: float


def _refusal(window: Window, now: float, blocker: float) -> Grant:
    leaves_in = blocker + window.window + window.margin - now
    return Grant(False, max(leaves_in, 0.0), in_flight=blocker > now)


class Store(Protocol):
    """What ``RequestBudget`` needs from a slot store."""

    def take(self, member: str) -> Grant: ...

    def settle(self, member: str) -> None: ...

    async def atake(self, member: str) -> Grant: ...

    async def asettle(self, member: str) -> None: ...

    def count(self) -> int: ...

    def close(self) -> None: ...

    async def aclose(self) -> None: ...


class MemoryStore:
    """The slots of one process: a dict of scores on ``time.monotonic()``, guarded by a lock held only briefly."""

    def __init__(self, window: Window) -> None:
        self._w = window
        self._scores: dict[str, float] = {}
        self._sweep_at = min(window.limit, _SWEEP_AT)
        self._lock = threading.Lock()

    def take(self, member: str) -> Grant:
        w = self._w
        with self._lock:
            now = time.monotonic()
            horizon = now - w.window - w.margin
            # Sweep when the window is full, or when the entries doubled since the last sweep: a limit the process
            # never reaches (10**9 requests a second) must not keep an entry per request forever. Grants stay O(1).
            if len(self._scores) >= self._sweep_at:
                self._scores = {m: s for m, s in self._scores.items() if s > horizon}
                self._sweep_at = min(w.limit, max(_SWEEP_AT, 2 * len(self._scores)))
            if len(self._scores) < w.limit:
                self._scores[member] = now + w.hold
                return _GRANTED
            blocker = sorted(self._scores.values())[len(self._scores) - w.limit]
            return _refusal(w, now, blocker)

    def settle(self, member: str) -> None:
        with self._lock:
            self._scores[member] = time.monotonic()

    async def atake(self, member: str) -> Grant:
        return self.take(member)

    async def asettle(self, member: str) -> None:
        self.settle(member)

    def count(self) -> int:
        """Entries that still count against the window (after sweeping the expired ones)."""
        with self._lock:
            horizon = time.monotonic() - self._w.window - self._w.margin
            self._scores = {m: s for m, s in self._scores.items() if s > horizon}
            return len(self._scores)

    def close(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


# Scores are milliseconds on the Redis server's clock (TIME), so clients on machines with skewed clocks agree.
# The key expires on its own once every entry has left the window: an abandoned account leaves nothing behind.
_NOW: Final = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
_TAKE: Final = (
    _NOW
    + """
local key = KEYS[1]
local limit, window, margin, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window - margin)
local count = redis.call('ZCARD', key)
if count < limit then
  redis.call('ZADD', key, now + hold, ARGV[5])
  local ttl = hold + window + margin + 1000
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
  return {1, now, 0}
end
local blocker = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
return {0, now, tonumber(blocker[2])}
"""
)
_SETTLE: Final = (
    _NOW
    + """
local key = KEYS[1]
local ttl = tonumber(ARGV[2]) + 1000
redis.call('ZADD', key, now, ARGV[1])
if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
return now
"""
)


class RedisStore:
    """The slots of one vendor account in one Redis sorted set, shared by every process that names the same key.

    Each operation is one Lua script (atomic on the server). A sync ``redis.Redis`` serves threads; an
    ``redis.asyncio.Redis`` per event loop serves asyncio (its connections belong to the loop that made them).
    """

    def __init__(self, window: Window, *, key: str, sync: Redis, make_async: Any) -> None:
        self._w = window
        self.key = key
        self._sync = sync
        self._make_async = make_async  # () -> redis.asyncio.Redis, called once per event loop
        self._async: dict[int, tuple[Any, AsyncRedis, Any, Any]] = {}
        self._take = sync.register_script(_TAKE)
        self._settle = sync.register_script(_SETTLE)
        ms = round(window.window * 1000), round(window.margin * 1000), round(window.hold * 1000)
        self._take_args = (window.limit, *ms)
        self._settle_args = (ms[0] + ms[1],)

    def _grant(self, reply: Any) -> Grant:
        granted, now, blocker = (int(x) for x in reply)
        if granted:
            return Grant(True)
        return _refusal(self._w, now / 1000, blocker / 1000)

    def take(self, member: str) -> Grant:
        return self._grant(self._take(keys=[self.key], args=[*self._take_args, member]))

    def settle(self, member: str) -> None:
        self._settle(keys=[self.key], args=[member, *self._settle_args])

    def _ascripts(self) -> tuple[Any, Any]:
        import asyncio

        loop = asyncio.get_running_loop()
        held = self._async.get(id(loop))
        if held is None or held[0] is not loop:
            # Loops that ended leave their client behind; drop those (their connections died with the loop).
            self._async = {k: v for k, v in self._async.items() if not v[0].is_closed()}
            client = self._make_async()
            held = (loop, client, client.register_script(_TAKE), client.register_script(_SETTLE))
            self._async[id(loop)] = held
        return held[2], held[3]

    async def atake(self, member: str) -> Grant:
        take, _ = self._ascripts()
        return self._grant(await take(keys=[self.key], args=[*self._take_args, member]))

    async def asettle(self, member: str) -> None:
        _, settle = self._ascripts()
        await settle(keys=[self.key], args=[member, *self._settle_args])

    def count(self) -> int:
        """Entries that still count against the window (expired ones swept first)."""
        now_s, now_us = self._sync.time()
        now = int(now_s) * 1000 + int(now_us) // 1000
        self._sync.zremrangebyscore(self.key, "-inf", now - self._take_args[1] - self._take_args[2])
        return int(self._sync.zcard(self.key))

    def close(self) -> None:
        self._sync.close()

    async def aclose(self) -> None:
        """Close the running event loop's client and its connections (a later call in the loop opens a new one)."""
        import asyncio

        loop = asyncio.get_running_loop()
        held = self._async.get(id(loop))
        if held is None or held[0] is not loop:
            return
        del self._async[id(loop)]
        client: Any = held[1]
        # redis-py 5.0.1+ names it aclose(); 5.0.0's close() is the same coroutine.
        await (client.aclose() if hasattr(client, "aclose") else client.close())
