"""One budget per vendor account in a real Redis (issue 19): four client processes share it, and stay under it.

The Redis server is a real redis-server on 127.0.0.1 started by this module (``conftest.py``); the vendor is the
sandbox in a separate process, recording arrival times (``Sandbox.spawn``; workers in ``tests.support.budget_load``).
Scaled down: 20 requests per 1 s.
Only upper bounds are checked (the server's windows, 429s), never timing.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import signal
import time
import uuid
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx
import pytest
from fourthwall_client.api.shop import get_current_shop

from facade import AsyncFourthwall, BasicAuth, Fourthwall, RateLimit, RequestBudget
from facade.budget import default_margin
from facade.errors import BudgetUnavailableError, ConfigurationError
from facade.sandbox import Limit, RateLimits, Sandbox
from tests.support.budget_load import cheap_call_async, first_product, max_in_window, run_worker
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


VICTIM_HOLD = 4.0  # the killed worker's lease (s): still running when it is killed, so the kill is what frees them
VICTIM_SLOTS = LIMIT.requests // 2  # it holds half the window in flight; the others go on with the other half


def _hold_in_flight(environ: dict[str, str], product: str, redis_url: str, shop: str) -> None:
    # A worker whose requests all hang at the server: it holds VICTIM_SLOTS slots in flight until it is killed.
    budget = RequestBudget.redis(redis_url, vendor="fourthwall", account=shop, limit=LIMIT, hold=VICTIM_HOLD)

    async def main() -> None:
        async with AsyncFourthwall.from_env(environ=environ, rate_limit=budget, max_retries=0, timeout=600) as fw:
            await asyncio.gather(*(cheap_call_async(fw, product) for _ in range(VICTIM_SLOTS)))

    asyncio.run(main())


def redis_ms(store: Any) -> int:
    """The Redis server's clock (TIME) in milliseconds: the clock the store's scores are on."""
    now_s, now_us = store.time()
    return int(now_s) * 1000 + int(now_us) // 1000


def wait_until(done: Callable[[], bool], *, within: float, what: str) -> None:
    """Poll ``done`` every 50 ms; fail naming ``what`` if it is still false after ``within`` s (a hang guard)."""
    deadline = time.monotonic() + within
    while not done():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {within:g} s for {what}")
        time.sleep(0.05)


def test_a_killed_worker_leaks_no_slot_beyond_its_lease_and_one_window(redis_server: RedisServer) -> None:
    # 1 of 4 workers holds half the window in flight (its requests hang at a second server) and is killed mid-run;
    # the other 3 go on. Its slots must leave the store by kill + hold + window + margin (Redis's clock), the
    # servers together must never see more than the limit in a window, and the account's budget must come back.
    shop = account()
    key = f"facade:budget:fourthwall:{shop}"
    store = redis.Redis.from_url(redis_server.url)
    context = multiprocessing.get_context("spawn")
    calls = 35  # per other worker: 105 requests, running on past the killed worker's bound
    limit = (LIMIT.requests, LIMIT.per_seconds)
    hang = RateLimits(fourthwall=Limit(requests=1000, window=LIMIT.per_seconds))
    with (
        Sandbox.spawn(skus=1, rate_limits=hang, latency=120) as hanging,
        Sandbox.spawn(skus=1, rate_limits=AT_THE_SERVER) as srv,
        ProcessPoolExecutor(3, mp_context=context) as pool,
    ):
        victim = context.Process(
            target=_hold_in_flight, args=(hanging.environ(), first_product(hanging), redis_server.url, shop)
        )
        victim.start()
        try:
            # The victim starts alone, so every member of the set is one of its slots.
            wait_until(lambda: store.zcard(key) >= VICTIM_SLOTS, within=60, what="the victim's slots")
            victims = store.zrange(key, 0, -1)
            assert len(victims) == VICTIM_SLOTS
            environ, product = srv.environ(), first_product(srv)
            jobs = [
                pool.submit(run_worker, mode, environ, product, redis_server.url, shop, limit, calls, 5)
                for mode in ("sync", "sync", "async")
            ]
            wait_until(lambda: len(srv.requests()) >= VICTIM_SLOTS, within=60, what="the others' requests")
            killed_ms = redis_ms(store)
        finally:
            if victim.pid is not None and victim.is_alive():
                victim.kill()  # SIGKILL, mid-run: no finally, no settle, no goodbye to Redis
            victim.join(30)
        assert victim.exitcode == -signal.SIGKILL
        # What it left: leases ending at most `hold` after the kill (or already swept)...
        hold_ms = VICTIM_HOLD * 1000
        assert all(score is None or score <= killed_ms + hold_ms for score in store.zmscore(key, victims))
        # ...gone from the set by kill + hold + window + margin, swept by the others' grants as they go on.
        bound_ms = killed_ms + hold_ms + (LIMIT.per_seconds + default_margin(LIMIT)) * 1000
        while True:  # bounded by the Redis clock
            left = [m for m, score in zip(victims, store.zmscore(key, victims), strict=True) if score is not None]
            now_ms = redis_ms(store)
            if not left or now_ms > bound_ms:
                break
            time.sleep(0.05)
        assert not left, f"{len(left)} of the killed worker's slots still in the set {now_ms - killed_ms} ms after"
        outcomes = [job.result(timeout=120) for job in jobs]
        served, hung = srv.requests(), hanging.requests()
    assert outcomes == [{"ok": calls}] * 3  # the others went on: no 429 (nor anything else) reached them
    assert [r.status for r in served] == [200] * (3 * calls)
    worst = max_in_window([r.arrived for r in (*served, *hung)], LIMIT.per_seconds)  # one clock for all processes
    assert len(hung) == VICTIM_SLOTS and worst <= LIMIT.requests, f"the servers saw {worst} requests in one window"
    # And the whole window comes back: a fresh client of the account holds all of it in flight at once. Bounded: a
    # leaked slot makes the last acquire wait, and the deadline fails the test instead of hanging it.
    fresh = RequestBudget.redis(redis_server.url, vendor="fourthwall", account=shop, limit=LIMIT, hold=60)

    async def take_the_window() -> None:
        for _ in range(LIMIT.requests):
            await fresh.acquire_async()
        await fresh.aclose()

    asyncio.run(asyncio.wait_for(take_the_window(), 30))
    assert fresh.in_window() == LIMIT.requests
    fresh.close()
    store.delete(key)
    store.close()


def test_old_entries_leave_the_set_so_a_live_key_grants_again(redis_server: RedisServer) -> None:
    # The key lives `hold` + window + margin + 1 s past each grant: 61 s here. Within the 15 s deadline, only
    # settled entries leaving the set can free a slot; a store that never drops them would refuse until the key
    # itself expired.
    limit = RateLimit(requests=2, per_seconds=0.1)
    budget = RequestBudget.redis(
        redis_server.url, vendor="fourthwall", account=account(), limit=limit, margin=0.0, hold=60.0
    )
    store = redis.Redis.from_url(redis_server.url)
    granted: list[int] = []
    sizes: list[int] = []

    async def cycles() -> None:
        for _ in range(3 * limit.requests):  # three windows' worth on one key
            await (await budget.acquire_async()).asettle()
            granted.append(redis_ms(store))
            sizes.append(store.zcard(budget.key))
        await budget.aclose()

    asyncio.run(asyncio.wait_for(cycles(), 15))
    assert granted[-1] - granted[0] >= 2 * limit.per_seconds * 1000  # more than two windows passed (the limit's own)
    assert store.pttl(budget.key) > 30_000  # the key stayed alive throughout: entries expired, not the key
    assert max(sizes) <= limit.requests  # and the set stays bounded
    budget.close()
    store.close()


def test_aclose_closes_the_event_loops_connections(redis_server: RedisServer) -> None:
    budget = RequestBudget.redis(redis_server.url, vendor="fourthwall", account=account(), limit=LIMIT)

    async def use_then_close(budget: RequestBudget) -> None:
        await (await budget.acquire_async()).asettle()
        await budget.aclose()
        await (await budget.acquire_async()).asettle()  # still usable: a new client for this loop
        await budget.aclose()

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        asyncio.run(asyncio.wait_for(use_then_close(budget), 30))
        assert budget.in_window() == 2  # the sync side still works too
        budget.close()
        del budget
        gc.collect()  # an unclosed client or connection warns when it is collected
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_two_accounts_never_share_a_budget(redis_server: RedisServer) -> None:
    full = RequestBudget.redis(redis_server.url, vendor="fourthwall", account=account(), limit=LIMIT, hold=60)
    other = RequestBudget.redis(redis_server.url, vendor="fourthwall", account=account(), limit=LIMIT, hold=60)
    shipbob = RequestBudget.redis(redis_server.url, vendor="shipbob", account="same", limit=LIMIT, hold=60)
    fourthwall = RequestBudget.redis(redis_server.url, vendor="fourthwall", account="same", limit=LIMIT, hold=60)
    assert len({full.key, other.key, shipbob.key, fourthwall.key}) == 4
    for _ in range(LIMIT.requests):
        full.acquire()  # in flight, never settled: held for the 60 s lease

    async def third() -> None:
        try:
            await full.acquire_async()
        finally:
            await full.aclose()

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
            finally:
                await budget.aclose()

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


def test_a_stalled_redis_raises_a_typed_timeout_error_and_sends_nothing(redis_server: RedisServer) -> None:
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
