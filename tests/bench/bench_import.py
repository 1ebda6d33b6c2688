"""Import time: `import facade` vs `import httpx, attrs`, each in a fresh interpreter, median of many.

Only the import itself is timed (inside the child, around the `import` statement), not interpreter start-up,
so the ratio compares what our package adds on top of its two main dependencies.

Example::

    rows = run(repeats=15)
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from tests.bench._report import Row, Target

__all__ = ["run"]

_PROBE = "import time; t = time.perf_counter(); import {modules}; print(time.perf_counter() - t)"


def _import_seconds(modules: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(modules=modules)], capture_output=True, text=True, timeout=60, check=True
    )
    return float(done.stdout.strip())


def run(*, repeats: int) -> list[Row]:
    """Alternate fresh-interpreter imports of both sides ``repeats`` times; medians in milliseconds."""
    _import_seconds("facade")  # warm the OS page cache and write .pyc files, untimed
    _import_seconds("httpx, attrs")
    ours: list[float] = []
    base: list[float] = []
    for index in range(repeats):
        pair = [("facade", ours), ("httpx, attrs", base)]
        for modules, samples in pair if index % 2 == 0 else reversed(pair):
            samples.append(_import_seconds(modules) * 1000)
    return [
        Row(
            metric="import facade vs import httpx, attrs (fresh interpreter)",
            unit="ms",
            ours=statistics.median(ours),
            baseline=statistics.median(base),
            target=Target.at_most(1.5),
            details={"ours_ms": ours, "baseline_ms": base},
        )
    ]
