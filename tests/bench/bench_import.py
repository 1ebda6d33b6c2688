"""Import time: `import facade` and its first use vs `import httpx, attrs`, each in a fresh interpreter, medians.

Only the import itself is timed (inside the child, around the statement), not interpreter start-up. Since
``import facade`` loads its names lazily (PEP 562, ``facade._lazy``), it no longer imports httpx or attrs at all;
the second row, ``from facade import Fourthwall, ShipBob`` (what an app does first), is what our package adds on
top of its two main dependencies.

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
    "import time; w, c = time.perf_counter(), time.process_time(); {statement}; "
    "print(time.perf_counter() - w, time.process_time() - c)"
)
_BASELINE = "import httpx, attrs"
_BARE = "import facade"
_FIRST_USE = "from facade import Fourthwall, ShipBob"


def _import_seconds(statement: str) -> tuple[float, float]:
    """(wall, CPU) seconds of the import statement in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(statement=statement)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def _row(
    metric: str, statement: str, target: Target | None, walls: dict[str, list[float]], cpus: dict[str, list[float]]
) -> Row:
    cpu_ours, cpu_base = statistics.median(cpus[statement]), statistics.median(cpus[_BASELINE])
    return Row(
        metric=metric,
        unit="ms",
        ours=statistics.median(walls[statement]),
        baseline=statistics.median(walls[_BASELINE]),
        target=target,
        note=(
            f"wall clock; in CPU time (steadier on a busy machine) {cpu_ours:.0f} vs {cpu_base:.0f} ms, "
            f"{cpu_ours / cpu_base:.2f}x"
        ),
        details={
            "ours_ms": walls[statement],
            "baseline_ms": walls[_BASELINE],
            "cpu_ms_median": {"ours": cpu_ours, "baseline": cpu_base},
            "cpu_ratio": cpu_ours / cpu_base,
        },
    )


def run(*, repeats: int) -> list[Row]:
    """Fresh-interpreter imports of the three statements ``repeats`` times, in a rotated order; medians in ms."""
    statements = [_BARE, _FIRST_USE, _BASELINE]
    for statement in statements:  # warm the OS page cache and write .pyc files, untimed
        _import_seconds(statement)
    walls: dict[str, list[float]] = {statement: [] for statement in statements}
    cpus: dict[str, list[float]] = {statement: [] for statement in statements}
    for index in range(repeats):
        shift = index % len(statements)
        for statement in statements[shift:] + statements[:shift]:
            wall, cpu = _import_seconds(statement)
            walls[statement].append(wall * 1000)
            cpus[statement].append(cpu * 1000)
    return [
        _row("import facade vs import httpx, attrs (fresh interpreter)", _BARE, Target.at_most(1.5), walls, cpus),
        # No target yet: what a first use costs is reported (issue 12 pins only the bare import).
        _row("from facade import Fourthwall, ShipBob vs import httpx, attrs", _FIRST_USE, None, walls, cpus),
    ]
