"""`run_many`/`arun_many` (behind every `inventory_many`): bounded concurrency, one typed failure per product,
products fetched once, bugs propagate. Ported from tests/facade/test_bulk_inventory.py (its client halves now
live in test_bad_answers.py and test_sandbox_stock.py)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from facade.bulk import arun_many, run_many
from facade.errors import FacadeError, NotFoundError
from facade.stock import StockLevel


def test_duplicate_products_are_fetched_once() -> None:
    calls: list[str] = []
    lock = threading.Lock()

    def fetch(product_id: str) -> Sequence[StockLevel]:
        with lock:
            calls.append(product_id)
        return []

    result = run_many(fetch, ["a", "b", "a", "c", "b"], concurrency=2)
    assert sorted(calls) == ["a", "b", "c"]
    assert result.ok


def test_sync_runner_uses_but_never_exceeds_the_concurrency() -> None:
    concurrency = 3
    lock = threading.Lock()
    in_flight = most = 0
    # The first `concurrency` fetches meet here: they can only pass if that many run at the same time.
    meet = threading.Barrier(concurrency, timeout=30)

    def fetch(product_id: str) -> Sequence[StockLevel]:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        if int(product_id) < concurrency:
            meet.wait()
        with lock:
            in_flight -= 1
        return []

    result = run_many(fetch, [str(n) for n in range(20)], concurrency=concurrency)
    assert result.ok
    assert most == concurrency


def test_async_runner_uses_but_never_exceeds_the_concurrency() -> None:
    in_flight = most = done = 0

    async def fetch(product_id: int) -> Sequence[StockLevel]:
        nonlocal in_flight, most, done
        in_flight += 1
        most = max(most, in_flight)
        for _ in range(3):  # yield to the loop so other fetches can start, if the runner lets them
            await asyncio.sleep(0)
        in_flight -= 1
        done += 1
        return []

    result = asyncio.run(arun_many(fetch, range(20), concurrency=5))
    assert result.ok
    assert (most, done) == (5, 20)


def test_bugs_are_not_swallowed_sync_and_async() -> None:
    def fetch(product_id: str) -> Sequence[StockLevel]:
        if product_id == "bad":
            raise RuntimeError("bug in fetch")
        raise NotFoundError("missing", ids={"product_id": product_id})

    async def afetch(product_id: str) -> Sequence[StockLevel]:
        return fetch(product_id)

    with pytest.raises(RuntimeError, match="bug in fetch"):
        run_many(fetch, ["a", "bad", "c"], concurrency=2)
    with pytest.raises(RuntimeError, match="bug in fetch"):
        asyncio.run(arun_many(afetch, ["a", "bad", "c"], concurrency=2))


def test_failures_are_typed_facade_errors_in_product_order() -> None:
    def fetch(product_id: str) -> Sequence[StockLevel]:
        raise NotFoundError(f"no {product_id}", ids={"product_id": product_id})

    result = run_many(fetch, ["z", "a", "m"], concurrency=3)
    assert [f.product_id for f in result.failures] == ["z", "a", "m"]
    assert all(isinstance(f.error, FacadeError) for f in result.failures)
    assert result.failures[0].reason == "NotFoundError: no z"
    assert set(result.errors) == {"z", "a", "m"} and not result.ok


def test_a_product_failing_part_way_contributes_no_levels() -> None:
    level = StockLevel(provider="fourthwall", product_id="a", item_id="v", available=1, raw=None)

    def fetch(product_id: str) -> Sequence[StockLevel]:
        if product_id == "b":
            raise NotFoundError("page 2 vanished", ids={"product_id": product_id})
        return [level]

    result = run_many(fetch, ["a", "b"], concurrency=1)
    assert result.levels == (level,)
    assert [f.product_id for f in result.failures] == ["b"]


@pytest.mark.parametrize("concurrency", [0, -1])
def test_concurrency_must_be_positive(concurrency: int) -> None:
    with pytest.raises(ValueError, match="concurrency must be at least 1"):
        run_many(lambda product_id: [], ["a"], concurrency=concurrency)
