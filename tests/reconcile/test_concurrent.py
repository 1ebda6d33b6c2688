"""Both twins read the two vendors concurrently: at the servers, each vendor's requests arrive while the other's
are still coming (an ordering of arrival times, never a duration).

Every response is held a while at the server (`latency`), so a listing's next page cannot be asked for before the
other vendor's first request has been sent, if (and only if) the two listings run at the same time. Read one after
the other, one vendor's requests would all arrive before the other's first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from facade import AsyncFourthwall, AsyncShipBob, Fourthwall, ShipBob
from facade.reconcile import areconcile, reconcile
from facade.sandbox import Sandbox

LATENCY = 0.2  # seconds each response is held: far longer than it takes to send the other vendor's first request


@pytest.fixture(scope="module")
def slow() -> Iterator[Sandbox]:
    # 700 SKUs: two Fourthwall pages at the largest size, so each vendor has at least two requests.
    with Sandbox.start(seed=5, skus=700, latency=LATENCY) as running:
        yield running


def _spans(sandbox: Sandbox) -> dict[str, tuple[float, float]]:
    spans: dict[str, tuple[float, float]] = {}
    for vendor in ("fourthwall", "shipbob"):
        arrived = [record.arrived for record in sandbox.requests.records(vendor=vendor)]
        assert len(arrived) >= 2, vendor
        spans[vendor] = (min(arrived), max(arrived))
    return spans


def _run_sync(sandbox: Sandbox) -> None:
    env = sandbox.environ()
    with (
        Fourthwall.from_env(environ=env, rate_limit=None, max_retries=0) as fw,
        ShipBob.from_env(environ=env, rate_limit=None, max_retries=0) as sb,
    ):
        reconcile(fw, sb)


def _run_async(sandbox: Sandbox) -> None:
    env = sandbox.environ()

    async def run() -> None:
        async with (
            AsyncFourthwall.from_env(environ=env, rate_limit=None, max_retries=0) as fw,
            AsyncShipBob.from_env(environ=env, rate_limit=None, max_retries=0) as sb,
        ):
            await areconcile(fw, sb)

    asyncio.run(run())


@pytest.mark.parametrize("mode", ["async", "sync"])
def test_the_two_vendors_request_spans_overlap(slow: Sandbox, mode: str) -> None:
    slow.requests.clear()
    (_run_async if mode == "async" else _run_sync)(slow)
    spans = _spans(slow)
    (fw_first, fw_last), (sb_first, sb_last) = spans["fourthwall"], spans["shipbob"]
    # Each vendor's first request arrived before the other vendor's last one: the spans overlap.
    assert fw_first < sb_last and sb_first < fw_last, spans
