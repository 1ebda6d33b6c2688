"""Load against a request budget: client worker processes, and the measure of what the server saw.

The vendor is the sandbox in its own process (so its clock and its event loop are not ours), limited and held as
a test needs::

    limits = RateLimits(fourthwall=Limit(requests=20, window=1.0))
    with Sandbox.spawn(skus=1, rate_limits=limits) as proc:
        ...  # run_worker(mode, proc.environ(), ...) in worker processes
        arrivals = [r.arrived for r in proc.requests()]  # the server process's clock
        assert max_in_window(arrivals, 1.0) <= 20

``run_worker`` is one client process's work (sync or async ``Fourthwall`` over a Redis ``RequestBudget``), for
``multiprocessing`` (spawn) in tests and the bench. ``cheap_call``/``cheap_call_async`` are the request the
workers and tests make: ``GET /products/{id}`` of the sandbox shop's ``first_product``.
"""

from __future__ import annotations

import asyncio
import bisect
import threading
from collections import Counter
from collections.abc import Mapping
from typing import Any

from fourthwall_client.api.products_offers import get_product

from facade import AsyncFourthwall, Fourthwall, RateLimit, RequestBudget
from facade.sandbox import SandboxProcess

__all__ = ["cheap_call", "cheap_call_async", "first_product", "max_in_window", "run_worker"]


def max_in_window(times: list[float], window: float) -> int:
    """The most arrivals in any half-open window ``[t, t + window)``."""
    times = sorted(times)
    return max((bisect.bisect_left(times, t + window) - i for i, t in enumerate(times)), default=0)


def first_product(proc: SandboxProcess) -> str:
    """The id of the first Fourthwall product the sandbox serves (the one ``cheap_call`` asks for)."""
    return proc.shop.fourthwall_products[0].id


def cheap_call(fw: Fourthwall, product: str) -> Any:
    """One small request the sandbox serves: ``GET /open-api/v1.0/products/{product}``."""
    return fw.call(get_product.sync_detailed, product)


async def cheap_call_async(fw: AsyncFourthwall, product: str) -> Any:
    return await fw.call(get_product.asyncio_detailed, product)


def run_worker(
    mode: str,
    environ: Mapping[str, str],
    product: str,
    redis_url: str,
    account: str,
    limit: tuple[int, float],
    calls: int,
    concurrency: int,
) -> dict[str, int]:
    """One client process: ``calls`` requests for ``product`` (``concurrency`` at a time: tasks in async mode,
    threads in sync mode) through its own client, built from ``environ`` (the sandbox's ``proc.environ()``), over
    the shared Redis budget; returns outcome counts by error type name (``ok``)."""
    budget = RequestBudget.redis(
        redis_url, vendor="fourthwall", account=account, limit=RateLimit(requests=limit[0], per_seconds=limit[1])
    )
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def note(outcome: str) -> None:
        with lock:
            outcomes[outcome] += 1

    if mode == "sync":
        with Fourthwall.from_env(environ=environ, rate_limit=budget, max_retries=0) as fw:
            shares = [calls // concurrency + (1 if k < calls % concurrency else 0) for k in range(concurrency)]

            def loop(share: int) -> None:
                for _ in range(share):
                    try:
                        cheap_call(fw, product)
                        note("ok")
                    except Exception as exc:  # counted by type for the test to judge
                        note(type(exc).__name__)

            threads = [threading.Thread(target=loop, args=(share,)) for share in shares]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(300)
    else:

        async def main() -> None:
            gate = asyncio.Semaphore(concurrency)
            try:
                async with AsyncFourthwall.from_env(environ=environ, rate_limit=budget, max_retries=0) as fw:

                    async def one() -> None:
                        async with gate:
                            try:
                                await cheap_call_async(fw, product)
                                note("ok")
                            except Exception as exc:
                                note(type(exc).__name__)

                    await asyncio.wait_for(asyncio.gather(*(one() for _ in range(calls))), 300)
            finally:
                await budget.aclose()  # this loop's Redis connections, before the loop ends

        asyncio.run(main())
    budget.close()
    return dict(outcomes)
