"""Facade clients pointed at a FaultServer, with fast retries and short timeouts, plus the expected truth."""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from facade import AsyncFourthwall, AsyncShipBob, BasicAuth, Fourthwall, RateLimit, RetryPolicy, ShipBob
from tests.faults.server import Catalog

T = TypeVar("T")

FW_USER = "shop-api-user"
FW_PASSWORD = "pw-S3CRET-fault-7f3a"
SB_TOKEN = "sb-S3CRET-fault-91c2"
# Every form in which a credential could leak: as given, and as it travels in a Basic Authorization header.
SECRETS = (FW_PASSWORD, SB_TOKEN, base64.b64encode(f"{FW_USER}:{FW_PASSWORD}".encode()).decode())

# Tiny waits so retries cost milliseconds; a server hint is honoured up to 0.5 s.
FAST = RetryPolicy(max_retries=2, backoff_initial=0.001, backoff_max=0.005, backoff_jitter=0.001, retry_after_max=0.5)
# The read timeout is what a stalled server runs into; connect stays generous for a loaded machine.
TIMEOUT = httpx.Timeout(5.0, read=1.0)
# Upper bound for any single test action: a hang fails the test instead of blocking the suite.
BOUND = 20.0


_Client = TypeVar("_Client", Fourthwall, ShipBob, AsyncFourthwall, AsyncShipBob)


def _configured(cls: type[_Client], url: str, rate_limit: RateLimit | None, options: dict[str, Any]) -> _Client:
    """A client of ``cls`` on ``url`` with the fault suite's credentials, timeout and fast retries."""
    fourthwall_side = cls is Fourthwall or cls is AsyncFourthwall
    auth = BasicAuth(FW_USER, FW_PASSWORD) if fourthwall_side else SB_TOKEN
    client = cls(auth=auth, base_url=url, timeout=TIMEOUT, rate_limit=rate_limit, **options)
    return client.with_options(retry_policy=FAST)


def fourthwall(url: str, *, rate_limit: RateLimit | None = None, **options: Any) -> Fourthwall:
    return _configured(Fourthwall, url, rate_limit, options)


def shipbob(url: str, *, rate_limit: RateLimit | None = None, **options: Any) -> ShipBob:
    return _configured(ShipBob, url, rate_limit, options)


def async_fourthwall(url: str, *, rate_limit: RateLimit | None = None, **options: Any) -> AsyncFourthwall:
    return _configured(AsyncFourthwall, url, rate_limit, options)


def async_shipbob(url: str, *, rate_limit: RateLimit | None = None, **options: Any) -> AsyncShipBob:
    return _configured(AsyncShipBob, url, rate_limit, options)


def bounded(fn: Callable[[], T], seconds: float = BOUND) -> T:
    """Run ``fn`` on a worker thread and fail (instead of hanging) if it takes longer than ``seconds``."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(fn).result(timeout=seconds)
    finally:
        pool.shutdown(wait=False)


def run_bounded(coro: Awaitable[T], seconds: float = BOUND) -> T:
    async def main() -> T:
        return await asyncio.wait_for(coro, seconds)

    return asyncio.run(main())


def fourthwall_truth(pid: str) -> list[tuple[str, int]]:
    return [(v["variantId"], v["quantity"]) for v in Catalog.fourthwall_variants(pid)]


def shipbob_truth(pid: int) -> list[tuple[str, int]]:
    return [(str(i["id"]), i["total_fulfillable_quantity"]) for i in Catalog.shipbob_items(pid)]


def summary(levels: Any) -> list[tuple[str, int]]:
    return [(level.item_id, level.available) for level in levels]
