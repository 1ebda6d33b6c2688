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

_PROBE = (
    "import time; w, c = time.perf_counter(), time.process_time(); import {modules}; "
    "print(time.perf_counter() - w, time.process_time() - c)"
)


def _import_seconds(modules: str) -> tuple[float, float]:
    """(wall, CPU) seconds of the import in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(modules=modules)], capture_output=True, text=True, timeout=60, check=True
    )
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def run(*, repeats: int) -> list[Row]:
    """Alternate fresh-interpreter imports of both sides ``repeats`` times; medians in milliseconds."""
    _import_seconds("facade")  # warm the OS page cache and write .pyc files, untimed
    _import_seconds("httpx, attrs")
    ours: list[float] = []
    base: list[float] = []
    ours_cpu: list[float] = []
    base_cpu: list[float] = []
    for index in range(repeats):
        pair = [("facade", ours, ours_cpu), ("httpx, attrs", base, base_cpu)]
        for modules, walls, cpus in pair if index % 2 == 0 else reversed(pair):
            wall, cpu = _import_seconds(modules)
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
    cpu_ours, cpu_base = statistics.median(ours_cpu), statistics.median(base_cpu)
    return [
        Row(
            metric="import facade vs import httpx, attrs (fresh interpreter)",
            unit="ms",
            ours=statistics.median(ours),
            baseline=statistics.median(base),
            target=Target.at_most(1.5),
            note=(
                f"wall clock; in CPU time (steadier on a busy machine) {cpu_ours:.0f} vs {cpu_base:.0f} ms, "
                f"{cpu_ours / cpu_base:.2f}x"
            ),
            details={
                "ours_ms": ours,
                "baseline_ms": base,
                "cpu_ms_median": {"ours": cpu_ours, "baseline": cpu_base},
                "cpu_ratio": cpu_ours / cpu_base,
            },
        )
    ]
