"""One benchmark figure (`Row`) and the two ways it is shown: a plain-text table and JSON.

Example::

    row = Row(metric="import time", unit="ms", ours=40.0, baseline=30.0, target=Target.at_most(1.5))
    print(render([row]))
"""

from __future__ import annotations

import enum
import json
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

__all__ = ["Direction", "Row", "Target", "machine", "render", "render_breakdowns", "write_json"]


class Direction(enum.Enum):
    """Whether a ratio must stay below its limit (costs: time, memory) or reach it (throughputs)."""

    AT_MOST = "<="
    AT_LEAST = ">="


@attrs.frozen(kw_only=True)
class Target:
    """A bound on a row's ratio (or, with ``on_value``, on its own figure, e.g. memory in MB).

    Example::

        Target.at_least(0.8).met(0.93)  # True
    """

    direction: Direction
    limit: float
    on_value: bool = False

    @classmethod
    def at_most(cls, limit: float, *, on_value: bool = False) -> Target:
        """The ratio (or the figure itself, ``on_value=True``) must not exceed ``limit``."""
        return cls(direction=Direction.AT_MOST, limit=limit, on_value=on_value)

    @classmethod
    def at_least(cls, limit: float, *, on_value: bool = False) -> Target:
        """The ratio (or the figure itself, ``on_value=True``) must reach ``limit``."""
        return cls(direction=Direction.AT_LEAST, limit=limit, on_value=on_value)

    def met(self, figure: float) -> bool:
        """Whether ``figure`` (a ratio, or the row's own value) satisfies the bound."""
        return figure <= self.limit if self.direction is Direction.AT_MOST else figure >= self.limit

    def describe(self, unit: str) -> str:
        """The bound as the table shows it: ``>= 0.8x`` or ``<= 50 MB``."""
        return f"{self.direction.value} {self.limit:g}" + (f" {unit}" if self.on_value else "x")


@attrs.frozen(kw_only=True)
class Row:
    """One line of the table: our figure, the baseline's, their ratio and the verdict against ``target``.

    ``ours`` is ``None`` when the thing measured is not available yet (``note`` says why); such a row is
    reported as "not available", never as a number. ``target`` ``None`` means the row is informational.
    """

    metric: str
    unit: str
    ours: float | None
    baseline: float | None = None
    target: Target | None = None
    note: str = ""
    details: dict[str, Any] = attrs.field(factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.ours is None or self.baseline is None or self.baseline == 0:
            return None
        return self.ours / self.baseline

    @property
    def passed(self) -> bool | None:
        if self.target is None or self.ours is None:
            return None
        figure = self.ours if self.target.on_value else self.ratio
        return None if figure is None else self.target.met(figure)

    def verdict(self) -> str:
        if self.ours is None:
            return "not available"
        return {True: "pass", False: "FAIL", None: "-"}[self.passed]

    def as_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "unit": self.unit,
            "ours": self.ours,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "target": None if self.target is None else self.target.describe(self.unit),
            "result": self.verdict(),
            "note": self.note,
            "details": self.details,
        }


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def render(rows: Sequence[Row], *, markdown: bool = False) -> str:
    """The table as aligned plain text, or as a Markdown table with ``markdown=True``."""
    header = ["metric", "unit", "ours", "baseline", "ratio", "target", "result"]
    body = [
        [
            row.metric,
            row.unit,
            "not available" if row.ours is None else _number(row.ours),
            _number(row.baseline),
            "-" if row.ratio is None else f"{row.ratio:.2f}x",
            "-" if row.target is None else row.target.describe(row.unit),
            row.verdict(),
        ]
        for row in rows
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
    else:
        widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)) for cells in [header, *body]
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
    notes = [f"- {row.metric}: {row.note}" for row in rows if row.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def render_breakdowns(rows: Sequence[Row]) -> str:
    """Where the time goes, for rows that measured it: per-layer cost per call, and profile shares per layer."""
    lines: list[str] = []
    for row in rows:
        per_call = row.details.get("per_call_us")
        if per_call:
            note = "client CPU time, median; each includes the one above"
            lines.append(f"{row.metric}: microseconds per call, by layer ({note})")
            lines += [f"  {value:>10,.0f}  {layer}" for layer, value in per_call.items()]
        phases = row.details.get("pipeline_phases")
        if phases:
            lines.append(f"{row.metric}: the pipeline's own phase times (last timed run)")
            lines += [f"  {phase}" for phase in phases]
        profile = row.details.get("profile")
        if profile:
            lines.append(f"{row.metric}: share of own time (cProfile), by layer")
            lines += [f"  {share:>10.0%}  {layer}" for layer, share in profile["by_layer"].items()]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """What the figures were measured on: CPU count and model, Python, platform."""
    import os

    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": model,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }


def write_json(path: Path, rows: Sequence[Row], *, extra: dict[str, Any]) -> None:
    """Write the rows, the machine and ``extra`` (run settings) as JSON to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"machine": machine(), **extra, "rows": [row.as_json() for row in rows]}
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
