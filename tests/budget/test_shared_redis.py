"""One budget per vendor account in a real Redis (issue 19): four client processes share it, and stay under it.

The Redis server is a real redis-server on 127.0.0.1 started by this module (``conftest.py``); the vendor is the
sandbox in a separate process, recording arrival times (``Sandbox.spawn``; workers in ``tests.support.budget_load``).
Scaled down: 20 requests per 1 s.
Only upper bounds are checked (the server's windows, 429s), never timing.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import signal
import time
import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
import pytest
from fourthwall_client.api.shop import get_current_shop

from facade import AsyncFourthwall, BasicAuth, Fourthwall, RateLimit, RequestBudget
from facade.budget import BudgetUnavailableError
from facade.errors import ConfigurationError
from facade.sandbox import Limit, RateLimits, Sandbox
from tests.support.budget_load import cheap_call, cheap_call_async, first_product, max_in_window, run_worker
from tests.support.redis_server import RedisServer, free_port

redis = pytest.importorskip("redis", reason="could not import redis (pip install redis; test dependency group)")

LIMIT = RateLimit(requests=20, per_seconds=1.0)
AT_THE_SERVER = RateLimits(fourthwall=Limit(requests=LIMIT.requests, window=LIMIT.per_seconds))


def account() -> str:
    return f"shop_{uuid.uuid4().hex[:12]}"  # a fresh account per test: no state carried between tests


def test_four_processes_two_sync_two_async_share_one_budget(redis_server: RedisServer) -> None:
    shop = account()
    calls = 30  # per worker: 120 requests against 20 per second, about six windows
    limit = (LIMIT.requests, LIMIT.per_seconds)
    with (
        Sandbox.spawn(skus=1, rate_limits=AT_THE_SERVER) as srv,
        ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool,
    ):
        environ, product = srv.environ(), first_product(srv)
        jobs = [
            pool.submit(run_worker, mode, environ, product, redis_server.url, shop, limit, calls, 5)
            for mode in ("sync", "sync", "async", "async")
        ]
        outcomes = [job.result(timeout=240) for job in jobs]
        records = srv.requests()
    assert outcomes == [{"ok": calls}] * 4  # no 429 (nor anything else) reached a caller
    assert [r.status for r in records] == [200] * (4 * calls)  # the server never had to refuse
    worst = max_in_window([r.arrived for r in records], LIMIT.per_seconds)
    assert worst <= LIMIT.requests, f"the server saw {worst} requests in one window"


def _hold_in_flight(environ: dict[str, str], product: str, redis_url: str, shop: str) -> None:
    # A worker whose requests all hang at the server: it holds every slot until it is killed.
    budget = RequestBudget.redis(redis_url, vendor="fourthwall", account=shop, limit=LIMIT, hold=LIMIT.per_seconds)

    async def main() -> None:
        async with AsyncFourthwall.from_env(environ=environ, rate_limit=budget, max_retries=0, timeout=600) as fw:
            await asyncio.gather(*(cheap_call_async(fw, product) for _ in range(LIMIT.requests)))

    asyncio.run(main())


def test_a_killed_worker_leaks_no_slot_beyond_its_lease_and_one_window(redis_server: RedisServer) -> None:
    shop = account()
    key = f"facade:budget:fourthwall:{shop}"
    store = redis.Redis.from_url(redis_server.url)
    context = multiprocessing.get_context("spawn")
    hang = RateLimits(fourthwall=Limit(requests=1000, window=LIMIT.per_seconds))
    with Sandbox.spawn(skus=1, rate_limits=hang, latency=120) as hanging:
        worker = context.Process(
            target=_hold_in_flight, args=(hanging.environ(), first_product(hanging), redis_server.url, shop)
        )
        worker.start()
        try:
            for _ in range(600):  # bounded: until the worker holds the whole window in flight
                if store.zcard(key) >= LIMIT.requests or not worker.is_alive():
                    break
                time.sleep(0.1)
            assert store.zcard(key) == LIMIT.requests
        finally:
            if worker.pid is not None and worker.is_alive():
                worker.kill()  # SIGKILL: no finally, no settle, no goodbye to Redis
            worker.join(30)
        assert worker.exitcode == -signal.SIGKILL
        # What it left behind: leases that end at most `hold` after now, and a key that expires by itself.
        now_s, now_us = store.time()
        now_ms = now_s * 1000 + now_us // 1000
        scores = [score for _, score in store.zrange(key, 0, -1, withscores=True)]
        hold_ms, window_ms = LIMIT.per_seconds * 1000, LIMIT.per_seconds * 1000
        assert len(scores) == LIMIT.requests and all(score <= now_ms + hold_ms for score in scores)
        assert 0 < store.pttl(key) <= hold_ms + window_ms + 0.02 * 1000 + 1000
    # And the slots do come back: a fresh client of the same account gets a whole window's worth again.
    with Sandbox.spawn(skus=1, rate_limits=AT_THE_SERVER) as srv:
        budget = RequestBudget.redis(redis_server.url, vendor="fourthwall", account=shop, limit=LIMIT)
        product = first_product(srv)
        with Fourthwall.from_env(environ=srv.environ(), rate_limit=budget, max_retries=0) as fw:
            for _ in range(LIMIT.requests):
                cheap_call(fw, product)
        assert Counter(r.status for r in srv.requests()) == {200: LIMIT.requests}
    store.close()


def test_two_accounts_never_share_a_budget(redis_server: RedisServer) -> None:
    full = RequestBudget.redis(redis_server.url, vendor="fourthwall", account=account(), limit=LIMIT, hold=60)
    other = RequestBudget.redis(redis_server.url, vendor="fourthwall", account=account(), limit=LIMIT, hold=60)
    shipbob = RequestBudget.redis(redis_server.url, vendor="shipbob", account="same", limit=LIMIT, hold=60)
    fourthwall = RequestBudget.redis(redis_server.url, vendor="fourthwall", account="same", limit=LIMIT, hold=60)
    assert len({full.key, other.key, shipbob.key, fourthwall.key}) == 4
    for _ in range(LIMIT.requests):
        full.acquire()  # in flight, never settled: held for the 60 s lease

    async def third() -> None:
        await full.acquire_async()

    with pytest.raises(TimeoutError):
        asyncio.run(asyncio.wait_for(third(), 0.3))  # full is full (a lower bound: a slow machine only waits longer)
    other.acquire().settle()  # ...while another shop's budget is untouched
    assert (full.in_window(), other.in_window()) == (LIMIT.requests, 1)
    for budget in (full, other, shipbob, fourthwall):
        budget.close()


def _counting() -> tuple[list[httpx.Request], httpx.MockTransport, httpx.MockTransport]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": "s", "name": "S", "domain": "d", "publicDomain": "d"})

    return sent, httpx.MockTransport(handler), httpx.MockTransport(handler)


def _call_both(budget: RequestBudget, sync_transport: Any, async_transport: Any) -> list[BaseException]:
    raised: list[BaseException] = []
    with Fourthwall(
        auth=BasicAuth("u", "p"), base_url="http://127.0.0.1:9", rate_limit=budget, transport=sync_transport
    ) as fw:
        try:
            fw.call(get_current_shop.sync_detailed)
        except BudgetUnavailableError as exc:
            raised.append(exc)

    async def main() -> None:
        async with AsyncFourthwall(
            auth=BasicAuth("u", "p"), base_url="http://127.0.0.1:9", rate_limit=budget, transport=async_transport
        ) as afw:
            try:
                await afw.call(get_current_shop.asyncio_detailed)
            except BudgetUnavailableError as exc:
                raised.append(exc)

    asyncio.run(asyncio.wait_for(main(), 30))
    return raised


def test_an_unreachable_redis_fails_fast_with_a_typed_error_and_sends_nothing() -> None:
    url = f"redis://:hunter2-secret@127.0.0.1:{free_port()}/0"  # nothing listens there
    budget = RequestBudget.redis(url, vendor="fourthwall", account=account(), limit=LIMIT, timeout=0.5)
    sent, sync_transport, async_transport = _counting()
    raised = _call_both(budget, sync_transport, async_transport)
    assert len(raised) == 2 and sent == []  # both clients: a typed error, and no request left
    for exc in raised:
        assert "hunter2" not in str(exc) and "hunter2" not in repr(exc)
        assert "127.0.0.1" in str(exc) and "not sent" in str(exc)
    assert "hunter2" not in repr(budget)


def test_a_stalled_redis_fails_within_its_timeout_and_sends_nothing(redis_server: RedisServer) -> None:
    budget = RequestBudget.redis(redis_server.url, vendor="fourthwall", account=account(), limit=LIMIT, timeout=0.5)
    sent, sync_transport, async_transport = _counting()
    redis_server.pause()  # accepts connections, answers nothing
    try:
        raised = _call_both(budget, sync_transport, async_transport)
    finally:
        redis_server.resume()
    assert len(raised) == 2 and sent == []
    assert all("TimeoutError" in str(exc) for exc in raised)
    # Once Redis answers again, the same budget works again.
    _, sync_transport, async_transport = _counting()
    assert _call_both(budget, sync_transport, async_transport) == []
    budget.close()


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"vendor": "fourthwall", "account": ""}, "account"),
        ({"vendor": "fourthwall", "account": "shop 1"}, "account"),
        ({"vendor": "fourthwall", "account": "x" * 201}, "account"),
        ({"vendor": "Four wall", "account": "shop_1"}, "vendor"),
        ({"vendor": "acme", "account": "shop_1"}, "limit="),
        ({"vendor": "fourthwall", "account": "shop_1", "timeout": 0}, "timeout"),
    ],
)
def test_a_shared_budget_must_name_a_vendor_and_an_account(kwargs: dict[str, Any], named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        RequestBudget.redis("redis://127.0.0.1:6379/0", **kwargs)


def test_the_vendor_names_its_published_limit() -> None:
    fw = RequestBudget.redis("redis://127.0.0.1:6379/0", vendor="fourthwall", account="shop_1")
    sb = RequestBudget.redis("redis://127.0.0.1:6379/0", vendor="shipbob", account="user-42")
    assert (fw.limit, fw.key) == (RateLimit(requests=100, per_seconds=10.0), "facade:budget:fourthwall:shop_1")
    assert (sb.limit, sb.key) == (RateLimit(requests=150, per_seconds=60.0), "facade:budget:shipbob:user-42")
