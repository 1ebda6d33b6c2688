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

from facade._ratelimit import (
    FOURTHWALL_DEFAULT_RATE_LIMIT,
    SHIPBOB_DEFAULT_RATE_LIMIT,
    AsyncRateLimitedTransport,
    RateLimit,
    RateLimitedTransport,
    RequestBudget,
)

LIMIT = RateLimit(requests=5, per=0.3, margin=0.0)


def assert_window_respected(times, limit):
    times = sorted(times)
    for first, later in zip(times, times[limit.requests :], strict=False):
        assert later - first >= limit.per / 2, f"{limit.requests + 1} requests within {later - first:.3f}s"


def test_vendor_defaults_are_the_published_limits():
    assert (FOURTHWALL_DEFAULT_RATE_LIMIT.requests, FOURTHWALL_DEFAULT_RATE_LIMIT.per) == (100, 10.0)
    assert (SHIPBOB_DEFAULT_RATE_LIMIT.requests, SHIPBOB_DEFAULT_RATE_LIMIT.per) == (150, 60.0)
    assert FOURTHWALL_DEFAULT_RATE_LIMIT.margin_seconds == pytest.approx(0.1)


@pytest.mark.parametrize(
    "bad", [{"requests": 0, "per": 1.0}, {"requests": 1, "per": 0}, {"requests": 1, "per": 1, "margin": -1}]
)
def test_rate_limit_rejects_nonsense(bad):
    with pytest.raises(ValueError):
        RateLimit(**bad)


def test_threads_share_one_budget():
    budget = RequestBudget(LIMIT)
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
    budget = RequestBudget(LIMIT)

    async def main():
        async def one():
            await budget.acquire_async()
            return time.monotonic()

        return await asyncio.wait_for(asyncio.gather(*(one() for _ in range(12))), 10)

    times = asyncio.run(main())
    assert_window_respected(times, LIMIT)


def test_sync_and_async_clients_can_share_one_budget():
    budget = RequestBudget(LIMIT)
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
    budget = RequestBudget(RateLimit(requests=10_000, per=0.001))
    for _ in range(1_000):
        budget.acquire()
    assert budget._bucket.count() < 1_000


def test_transports_take_a_slot_per_request():
    seen: list[float] = []

    def handler(request):
        seen.append(time.monotonic())
        return httpx.Response(200, json={"ok": True})

    budget = RequestBudget(LIMIT)
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
