"""The benchmark harness itself: verdicts, the report, the server's pacing and bodies (no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.bench._report import Row, Target, render, write_json
from tests.bench._timing import interleaved, paired_ratio, round_robin


def test_throughput_row_passes_or_fails_on_its_ratio() -> None:
    fast = Row(metric="m", unit="calls/s", ours=90.0, baseline=100.0, target=Target.at_least(0.8))
    slow = Row(metric="m", unit="calls/s", ours=70.0, baseline=100.0, target=Target.at_least(0.8))
    assert fast.ratio == pytest.approx(0.9)
    assert fast.verdict() == "pass"
    assert slow.verdict() == "FAIL"


def test_value_target_ignores_the_baseline() -> None:
    row = Row(metric="rss", unit="MB", ours=60.0, baseline=1.0, target=Target.at_most(50, on_value=True))
    assert row.verdict() == "FAIL"
    assert row.target is not None
    assert row.target.describe("MB") == "<= 50 MB"


def test_missing_part_is_reported_not_faked(tmp_path: Path) -> None:
    rows = [Row(metric="overhead", unit="calls/s", ours=None, target=Target.at_least(0.8), note="no facade yet")]
    text = render(rows)
    assert "not available" in text
    assert "no facade yet" in text
    write_json(tmp_path / "out.json", rows, extra={"quick": True})
    document = json.loads((tmp_path / "out.json").read_text())
    assert document["rows"][0]["ours"] is None
    assert document["rows"][0]["result"] == "not available"
    assert document["machine"]["cpus"] >= 1


def test_interleaved_and_round_robin_run_every_side_every_round() -> None:
    calls: list[str] = []
    interleaved(lambda: calls.append("a"), lambda: calls.append("b"), repeats=3, warmup=0)
    assert calls == ["a", "b", "b", "a", "a", "b"]
    calls.clear()
    medians, walls, cpus = round_robin([lambda: calls.append("x"), lambda: calls.append("y")], repeats=2, warmup=0)
    assert calls == ["x", "y", "y", "x"]
    assert len(medians) == 2
    assert [len(each) for each in walls] == [len(each) for each in cpus] == [2, 2]


def test_paired_ratio_compares_each_round_and_ignores_a_slow_moment() -> None:
    # Round 2 ran while the machine was twice as slow: both of its samples doubled, its ratio did not.
    ours, base = [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]
    assert paired_ratio(ours, base) == 0.5
    assert paired_ratio([1.0, 1.0, 3.0], [1.0, 2.0, 3.0]) == 1.0  # the median round, not a mean
    with pytest.raises(ValueError, match="same, non-zero number"):
        paired_ratio([1.0], [1.0, 2.0])


def test_canned_transport_replays_recorded_bytes_and_refuses_the_unrecorded() -> None:
    from tests.bench._canned import CannedTransport, RecordingTransport

    def server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Total-Pages": "3"}, content=b'{"n": 1}')

    recorder = RecordingTransport(httpx.MockTransport(server))
    with httpx.Client(transport=recorder, base_url="http://127.0.0.1:9") as client:
        client.get("/items", params={"b": 2, "a": 1})
    with httpx.Client(transport=CannedTransport(recorder.answers), base_url="http://127.0.0.1:9") as client:
        again = client.get("/items", params={"a": 1, "b": 2})  # same request, parameters in another order
        assert again.content == b'{"n": 1}'
        assert again.headers["total-pages"] == "3"
        with pytest.raises(KeyError, match="no recorded answer"):
            client.get("/items", params={"a": 2})


def test_calls_bench_quick_mode_gives_numbers_for_every_facade_method() -> None:
    from tests.bench import bench_calls

    rows = bench_calls.run(repeats=1, skus=60, sample_s=0.0)
    metrics = " ".join(row.metric for row in rows)
    for method in ("Fourthwall.inventory", "Fourthwall.stock", "Fourthwall.catalog", "Fourthwall.paginate"):
        assert method in metrics
    for method in ("ShipBob.inventory", "ShipBob.stock", "ShipBob.catalog", "ShipBob.paginate"):
        assert method in metrics
    for row in rows:
        assert row.ours is not None and row.ours > 0, row
        assert row.baseline is not None and row.baseline > 0, row
        assert row.ratio is not None and row.verdict() in ("pass", "FAIL")
        assert row.details["requests_per_call"] >= 1


def test_lazy_shop_pages_cover_every_item_once() -> None:
    from facade import BasicAuth, Fourthwall, ShipBob
    from tests.bench.bench_memory import LazyShop, Templates

    templates = Templates.record()
    fw_shop, sb_shop = LazyShop(1001, templates), LazyShop(501, templates)
    with Fourthwall(
        auth=BasicAuth("u", "p"), base_url="http://127.0.0.1:9", transport=fw_shop, allow_insecure_http=True
    ) as fw:
        fw_skus = [level.sku for level in fw.iter_stock()]
    with ShipBob(auth="t", base_url="http://127.0.0.1:10", transport=sb_shop, allow_insecure_http=True) as sb:
        sb_levels = list(sb.iter_stock(page_size=100))
    assert fw_skus == [f"fw-{n}" for n in range(1001)]
    assert [level.sku for level in sb_levels] == [f"sb-{n}" for n in range(10_000_000, 10_000_501)]
    assert all(level.locations for level in sb_levels)
    assert sb_shop.requests == 3 * 6  # 6 pages of totals (100 each), each with its two views


def test_memory_bench_quick_mode_gives_numbers() -> None:
    from tests.bench import bench_memory

    rows = bench_memory.run(repeats=1, sizes=(300, 900))
    assert [row.metric.split(".")[0] for row in rows] == ["Fourthwall", "ShipBob"]
    for row in rows:
        assert row.ours is not None and row.ours > 0, row
        assert row.baseline is not None and row.baseline > 0, row
        assert row.ratio is not None
        assert row.details["requests"]["900"] > row.details["requests"]["300"]
