"""The request budget: a sliding window shared by threads and asyncio tasks, applied per HTTP request.

Gaps are asserted only from below and with half the window as slack: a limiter that let the (N+1)th request
through early would show a gap near zero, while a loaded machine can only make gaps longer.
"""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest

from facade import AsyncFourthwall, Fourthwall, RateLimit, ShipBob
from facade._ratelimit import (
    AsyncRateLimitedTransport,
    RateLimitedTransport,
    RequestBudget,
    default_margin,
)

LIMIT = RateLimit(requests=5, per_seconds=0.3)


def assert_window_respected(times, limit):
    times = sorted(times)
    for first, later in zip(times, times[limit.requests :], strict=False):
        assert later - first >= limit.per_seconds / 2, f"{limit.requests + 1} requests in {later - first:.3f}s"


def budget_of(client):
    transport = client._http._transport
    return transport.budget if isinstance(transport, RateLimitedTransport | AsyncRateLimitedTransport) else None


def test_clients_pace_at_the_published_vendor_limits_by_default():
    with Fourthwall(username="u", password="p") as fw, ShipBob(token="t") as sb:
        assert (budget_of(fw).limit.requests, budget_of(fw).limit.per_seconds) == (100, 10.0)
        assert (budget_of(sb).limit.requests, budget_of(sb).limit.per_seconds) == (150, 60.0)
        assert budget_of(fw).margin == pytest.approx(0.1)
        assert budget_of(fw) is not budget_of(sb)


def test_rate_limit_is_configurable_and_can_be_switched_off():
    async def main():
        async with AsyncFourthwall(username="u", password="p", rate_limit=RateLimit(requests=3, per_seconds=1)) as fw:
            assert budget_of(fw).limit.requests == 3
        async with AsyncFourthwall(username="u", password="p", rate_limit=None) as fw:
            assert budget_of(fw) is None

    asyncio.run(main())


def test_margin_is_a_small_fraction_of_the_window():
    assert default_margin(RateLimit(requests=150, per_seconds=60.0)) == pytest.approx(0.6)
    assert default_margin(RateLimit(requests=20, per_seconds=1.0)) == pytest.approx(0.02)


def test_threads_share_one_budget():
    budget = RequestBudget(LIMIT, margin=0.0)
    times: list[float] = []

    def worker():
        for _ in range(4):
            budget.acquire()
            times.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(times) == 12
    assert_window_respected(times, LIMIT)
    budget.close()


def test_asyncio_tasks_share_one_budget():
    budget = RequestBudget(LIMIT, margin=0.0)

    async def main():
        async def one():
            await budget.acquire_async()
            return time.monotonic()

        return await asyncio.wait_for(asyncio.gather(*(one() for _ in range(12))), 10)

    times = asyncio.run(main())
    assert_window_respected(times, LIMIT)


def test_sync_and_async_clients_can_share_one_budget():
    budget = RequestBudget(LIMIT, margin=0.0)
    times: list[float] = []
    thread = threading.Thread(target=lambda: [budget.acquire() or times.append(time.monotonic()) for _ in range(5)])

    async def main():
        for _ in range(5):
            await budget.acquire_async()
            times.append(time.monotonic())

    thread.start()
    asyncio.run(asyncio.wait_for(main(), 10))
    thread.join(10)
    assert len(times) == 10
    assert_window_respected(times, LIMIT)


def test_expired_timestamps_are_dropped_so_memory_stays_bounded():
    budget = RequestBudget(RateLimit(requests=10_000, per_seconds=0.001))
    for _ in range(1_000):
        budget.acquire()
    assert budget._bucket.count() < 1_000


def test_transports_take_a_slot_per_request():
    seen: list[float] = []

    def handler(request):
        seen.append(time.monotonic())
        return httpx.Response(200, json={"ok": True})

    budget = RequestBudget(LIMIT, margin=0.0)
    with httpx.Client(transport=RateLimitedTransport(httpx.MockTransport(handler), budget)) as client:
        for _ in range(7):
            assert client.get("https://api.example.test/x").status_code == 200
    assert_window_respected(seen, LIMIT)

    async def main():
        async with httpx.AsyncClient(transport=AsyncRateLimitedTransport(httpx.MockTransport(handler), budget)) as c:
            await asyncio.gather(*(c.get("https://api.example.test/y") for _ in range(7)))

    seen.clear()
    asyncio.run(asyncio.wait_for(main(), 10))
    assert len(seen) == 7
    assert_window_respected(seen, LIMIT)
