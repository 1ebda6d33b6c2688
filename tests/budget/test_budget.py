"""The request budget: a sliding window shared by threads and asyncio tasks, applied per HTTP request, each slot
held until its response arrives (ported from tests/facade/test_ratelimit.py).

Gaps are asserted only from below and with half the window as slack: a limiter that let the (N+1)th request
through early would show a gap near zero, while a loaded machine can only make gaps longer.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from typing import Any

import httpx
import pytest

from facade import AsyncFourthwall, BasicAuth, Fourthwall, RateLimit, RequestBudget, ShipBob
from facade.budget import AsyncRateLimitedTransport, RateLimitedTransport, default_margin
from facade.errors import ConfigurationError

LIMIT = RateLimit(requests=5, per_seconds=0.3)


def assert_window_respected(times: list[float], limit: RateLimit) -> None:
    times = sorted(times)
    for first, later in zip(times, times[limit.requests :], strict=False):
        assert later - first >= limit.per_seconds / 2, f"{limit.requests + 1} requests in {later - first:.3f}s"


def budget_of(client: Any) -> RequestBudget | None:
    # Internal on purpose: which budget a client's transport chain holds (other wrappers may sit around it).
    transport = client._http._transport
    for _ in range(10):
        if isinstance(transport, RateLimitedTransport | AsyncRateLimitedTransport):
            return transport.budget
        transport = getattr(transport, "_inner", None)
    return None


def test_clients_pace_at_the_published_vendor_limits_by_default() -> None:
    with Fourthwall(auth=BasicAuth("u", "p")) as fw, ShipBob(auth="t") as sb:
        fw_budget, sb_budget = budget_of(fw), budget_of(sb)
        assert fw_budget is not None and sb_budget is not None
        assert fw_budget.limit == RateLimit(requests=100, per_seconds=10.0)
        assert sb_budget.limit == RateLimit(requests=150, per_seconds=60.0)
        assert fw_budget.margin == pytest.approx(0.1)
        assert fw_budget is not sb_budget


def test_rate_limit_is_configurable_and_can_be_switched_off() -> None:
    async def main() -> None:
        async with AsyncFourthwall(auth=BasicAuth("u", "p"), rate_limit=RateLimit(requests=3, per_seconds=1)) as fw:
            budget = budget_of(fw)
            assert budget is not None and budget.limit.requests == 3
        async with AsyncFourthwall(auth=BasicAuth("u", "p"), rate_limit=None) as fw:
            assert budget_of(fw) is None

    asyncio.run(main())


def test_margin_is_a_small_fraction_of_the_window() -> None:
    assert default_margin(RateLimit(requests=150, per_seconds=60.0)) == pytest.approx(0.6)
    assert default_margin(RateLimit(requests=20, per_seconds=1.0)) == pytest.approx(0.02)


@pytest.mark.parametrize(
    ("kwargs", "named"), [({"margin": -1}, "margin"), ({"hold": 0}, "hold"), ({"hold": True}, "hold")]
)
def test_bad_budget_settings_are_configuration_errors(kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        RequestBudget(LIMIT, **kwargs)


def _take(budget: RequestBudget, count: int, times: list[float]) -> None:
    """Take and settle ``count`` slots from the calling thread, noting the time of each."""
    for _ in range(count):
        budget.acquire().settle()
        times.append(time.monotonic())


def test_threads_share_one_budget() -> None:
    budget = RequestBudget(LIMIT, margin=0.0)
    times: list[float] = []
    threads = [threading.Thread(target=_take, args=(budget, 4, times)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(times) == 12
    assert_window_respected(times, LIMIT)


def test_asyncio_tasks_share_one_budget() -> None:
    budget = RequestBudget(LIMIT, margin=0.0)

    async def main() -> list[float]:
        async def one() -> float:
            await (await budget.acquire_async()).asettle()
            return time.monotonic()

        return await asyncio.wait_for(asyncio.gather(*(one() for _ in range(12))), 10)

    assert_window_respected(asyncio.run(main()), LIMIT)


def test_sync_and_async_clients_can_share_one_budget() -> None:
    budget = RequestBudget(LIMIT, margin=0.0)
    times: list[float] = []

    async def main() -> None:
        for _ in range(5):
            await (await budget.acquire_async()).asettle()
            times.append(time.monotonic())

    thread = threading.Thread(target=_take, args=(budget, 5, times))
    thread.start()
    asyncio.run(asyncio.wait_for(main(), 10))
    thread.join(10)
    assert len(times) == 10
    assert_window_respected(times, LIMIT)


def test_a_slot_in_flight_holds_the_window_until_it_is_settled() -> None:
    # The window of a slot counts from its settle (the response), not from its grant: with the window full of
    # requests in flight, nothing more is granted however much time passes within their lease.
    budget = RequestBudget(RateLimit(requests=2, per_seconds=0.05), margin=0.0, hold=60.0)
    slots = [budget.acquire(), budget.acquire()]

    async def third() -> None:
        await budget.acquire_async()

    with pytest.raises(TimeoutError):
        asyncio.run(asyncio.wait_for(third(), 0.5))  # ten windows pass; both slots still in flight
    slots[0].settle()
    asyncio.run(asyncio.wait_for(third(), 10))  # one settled slot leaves the window, and a grant follows
    assert budget.in_window() == 2


def test_expired_slots_are_dropped_so_memory_stays_bounded() -> None:
    budget = RequestBudget(RateLimit(requests=10, per_seconds=0.001), margin=0.0)
    for _ in range(1_000):
        budget.acquire().settle()
    assert budget.in_window() <= 10


def test_transports_hold_a_slot_per_request_until_its_response() -> None:
    seen: list[float] = []
    budget = RequestBudget(LIMIT, margin=0.0)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(time.monotonic())
        assert budget.in_window() >= 1  # this request's own slot is taken while it is in flight
        return httpx.Response(200, json={"ok": True})

    with httpx.Client(transport=RateLimitedTransport(httpx.MockTransport(handler), budget)) as client:
        for _ in range(7):
            assert client.get("https://api.example.test/x").status_code == 200
    assert_window_respected(seen, LIMIT)

    async def main() -> None:
        async with httpx.AsyncClient(transport=AsyncRateLimitedTransport(httpx.MockTransport(handler), budget)) as c:
            await asyncio.gather(*(c.get("https://api.example.test/y") for _ in range(7)))

    seen.clear()
    asyncio.run(asyncio.wait_for(main(), 10))
    assert len(seen) == 7
    assert_window_respected(seen, LIMIT)


def test_a_failed_request_settles_its_slot_too() -> None:
    budget = RequestBudget(RateLimit(requests=1, per_seconds=0.05), margin=0.0, hold=60.0)

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with httpx.Client(transport=RateLimitedTransport(httpx.MockTransport(handler), budget)) as client:
        for _ in range(3):  # with the slot left in flight, the second request would wait out the 60 s lease
            with pytest.raises(httpx.ConnectError):
                client.get("https://api.example.test/x")


def test_slot_names_differ_across_threads_and_a_forked_child() -> None:
    # Slot names key the shared Redis set: two processes (a forked worker included) must never reuse one.
    budget = RequestBudget(LIMIT, margin=0.0)
    names: list[str] = []

    def take() -> None:
        for _ in range(50):
            slot = budget.acquire()
            names.append(slot._member)
            slot.settle()

    threads = [threading.Thread(target=take) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one slot name to the parent, then leave at once
        os.write(write, budget.acquire()._member.encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        child = pipe.read()
    parent = budget.acquire()._member
    assert len(set(names)) == 150
    assert child and child not in names and child.split(":")[0] != parent.split(":")[0]


def test_a_limit_never_reached_does_not_keep_an_entry_per_request() -> None:
    """A local budget swept only when its window was full kept every slot of a limit never reached (the calls bench's
    10**9 per second): ~100 bytes per request for the life of the process. Now old slots go as entries double."""
    import tracemalloc

    budget = RequestBudget(RateLimit(requests=10**9, per_seconds=0.001), margin=0.0, hold=0.001)
    for _ in range(2_000):  # past the first sweeps, so the steady state is measured
        budget.acquire().settle()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(30_000):
            budget.acquire().settle()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 512 * 1024, f"{grown} bytes kept after 30,000 requests"  # 4.3 MB before
