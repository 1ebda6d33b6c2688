"""The benchmark harness itself: verdicts, the report, the server's pacing and bodies (no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bench._report import Row, Target, render, write_json
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


def test_interleaved_and_round_robin_run_every_side_every_round():
    calls: list[str] = []
    interleaved(lambda: calls.append("a"), lambda: calls.append("b"), repeats=3, warmup=0)
    assert calls == ["a", "b", "b", "a", "a", "b"]
    calls.clear()
    medians, walls, cpus = round_robin([lambda: calls.append("x"), lambda: calls.append("y")], repeats=2, warmup=0)
    assert calls == ["x", "y", "y", "x"]
    assert len(medians) == 2
    assert [len(each) for each in walls] == [len(each) for each in cpus] == [2, 2]
