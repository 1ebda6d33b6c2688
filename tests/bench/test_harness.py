"""The benchmark harness itself: verdicts, the report, the server's pacing and bodies (no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.bench._report import Row, Target, render, write_json
from tests.bench._server import LocalServer, _SlidingWindow
from tests.bench._timing import interleaved, round_robin


def test_throughput_row_passes_or_fails_on_its_ratio():
    fast = Row(metric="m", unit="calls/s", ours=90.0, baseline=100.0, target=Target.at_least(0.8))
    slow = Row(metric="m", unit="calls/s", ours=70.0, baseline=100.0, target=Target.at_least(0.8))
    assert fast.ratio == pytest.approx(0.9)
    assert fast.verdict() == "pass"
    assert slow.verdict() == "FAIL"


def test_value_target_ignores_the_baseline():
    row = Row(metric="rss", unit="MB", ours=60.0, baseline=1.0, target=Target.at_most(50, on_value=True))
    assert row.verdict() == "FAIL"
    assert row.target is not None
    assert row.target.describe("MB") == "<= 50 MB"


def test_missing_part_is_reported_not_faked(tmp_path: Path):
    rows = [Row(metric="overhead", unit="calls/s", ours=None, target=Target.at_least(0.8), note="no facade yet")]
    text = render(rows)
    assert "not available" in text
    assert "no facade yet" in text
    write_json(tmp_path / "out.json", rows, extra={"quick": True})
    document = json.loads((tmp_path / "out.json").read_text())
    assert document["rows"][0]["ours"] is None
    assert document["rows"][0]["result"] == "not available"
    assert document["machine"]["cpus"] >= 1


def test_sliding_window_admits_the_limit_then_frees_one_slot_per_expiry():
    window = _SlidingWindow(2, 1.0)
    assert window.admit(0.0)
    assert window.admit(0.5)
    assert not window.admit(0.9)
    assert window.retry_after(0.9) == pytest.approx(0.1)
    assert window.admit(1.0)  # the request at 0.0 has left the window
    assert not window.admit(1.2)


def test_interleaved_and_round_robin_run_every_side_every_round():
    calls: list[str] = []
    interleaved(lambda: calls.append("a"), lambda: calls.append("b"), repeats=3, warmup=0)
    assert calls == ["a", "b", "b", "a", "a", "b"]
    calls.clear()
    medians, walls, cpus = round_robin([lambda: calls.append("x"), lambda: calls.append("y")], repeats=2, warmup=0)
    assert calls == ["x", "y", "y", "x"]
    assert len(medians) == 2
    assert [len(each) for each in walls] == [len(each) for each in cpus] == [2, 2]


def test_server_pages_fourthwall_and_enforces_each_vendors_429():
    with LocalServer(fw_total=5, sb_items=3, fourthwall_limit=(2, 60.0), shipbob_limit=(1, 60.0)) as server:
        with httpx.Client(base_url=server.url) as client:
            page = client.get("/open-api/v1.0/products/p/inventory", params={"page": 2, "size": 2}).json()
            assert (len(page["results"]), page["page"], page["totalPages"]) == (1, 2, 3)
            assert client.get("/open-api/v1.0/products/p/inventory").status_code == 200
            limited = client.get("/open-api/v1.0/products/p/inventory")
            assert limited.status_code == 429
            assert limited.json()["code"] == "OPEN_API_TOO_MANY_REQUESTS"
            assert len(client.get("/1.0/product/1/inventory").json()) == 3
            shipbob_limited = client.get("/1.0/product/1/inventory")
            assert shipbob_limited.status_code == 429
            assert int(shipbob_limited.headers["x-retry-after"]) >= 1
        assert server.stats() == {"requests": 5, "status_200": 3, "status_429": 2}
        assert [status for _, status in server.log()] == [200, 200, 429, 200, 429]


def test_missing_names_the_absent_facade_parts():
    from tests.bench._clients import missing

    assert missing("Fourthwall.inventory", "AsyncShipBob.inventory_many") is None
    reason = missing("Fourthwall.no_such_method", "NoSuchClient")
    assert reason is not None
    assert "facade.Fourthwall.no_such_method" in reason
    assert "facade.NoSuchClient" in reason
