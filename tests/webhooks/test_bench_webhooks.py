"""The webhook bench runs and reports one targeted row per vendor (its timing is not asserted here)."""

from __future__ import annotations

from tests.bench.bench_webhooks import BODY_BYTES, run


def test_the_bench_gives_one_row_per_vendor_with_the_issue_target() -> None:
    rows = run(repeats=1)
    assert [row.metric.split()[3] for row in rows] == ["Fourthwall", "ShipBob"]
    for row in rows:
        assert row.ours is not None
        assert row.baseline is not None
        assert row.target is not None
        assert row.target.describe(row.unit) == "<= 1.5x"
    assert BODY_BYTES == 1 << 20
