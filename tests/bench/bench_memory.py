"""Memory: peak RSS growth while streaming 100,000 Fourthwall stock records through pagination.

Each side runs in a fresh child process (peak RSS is per process) against a local server holding 100,000 records
for one product: ours iterates `Fourthwall.iter_inventory` (typed models, then `StockLevel`s) and keeps nothing;
the baseline pages through the same URLs with plain httpx + json at the same page size. Target: growth < 50 MB.

Example::

    rows = run(repeats=1)
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from tests.bench._clients import missing
from tests.bench._report import Row, Target
from tests.bench._server import LocalServer

__all__ = ["run"]

RECORDS = 100_000
_TIMEOUT_S = 300
_MB = 1024 * 1024


def _probe(url: str, side: str, size: int = 0) -> dict[str, Any]:
    command = [sys.executable, "-m", "tests.bench._memory_probe", "--url", url, "--side", side, "--size", str(size)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"memory probe ({side}) exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["records"] != RECORDS:
        raise RuntimeError(f"memory probe ({side}) streamed {result['records']} records, expected {RECORDS}")
    return result


def _growth_mb(result: dict[str, Any]) -> float:
    growth_kib = int(result["peak_kib"]) - int(result["rss_before_kib"])
    return max(0, growth_kib) * 1024 / _MB


def run(*, repeats: int) -> list[Row]:
    """One streaming run per side (``repeats`` ignored: peak RSS is not a noisy timing)."""
    del repeats
    metric = f"peak RSS growth streaming {RECORDS:,} records (Fourthwall.iter_inventory)"
    reason = missing("Fourthwall.iter_inventory")
    if reason:
        return [Row(metric=metric, unit="MB", ours=None, note=reason)]
    with LocalServer(fw_total=RECORDS) as server:
        ours = _probe(server.url, "facade")
        size = int(ours["page_size"][0])
        base = _probe(server.url, "raw", size)
        listed = _probe(server.url, "facade-list")
    return [
        Row(
            metric=metric,
            unit="MB",
            ours=_growth_mb(ours),
            baseline=_growth_mb(base),
            target=Target.at_most(50, on_value=True),
            note=f"page size {size} (the facade's default); baseline = httpx + json paging, same pages",
            details={"ours": ours, "baseline": base},
        ),
        Row(
            metric=f"peak RSS growth, Fourthwall.inventory() holding all {RECORDS:,} records",
            unit="MB",
            ours=_growth_mb(listed),
            note="informational: the list API keeps every StockLevel (and its raw model); stream for big listings",
            details={"ours": listed},
        ),
    ]
