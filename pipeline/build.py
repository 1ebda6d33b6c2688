"""The whole run: prepare -> generate -> format -> verify -> swap (or compare, for ``check_generated``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import attrs

from pipeline import names
from pipeline.api_diff import ApiDiff, diff
from pipeline.errors import PipelineError
from pipeline.generate import Generated, generate
from pipeline.prepare import prepare, write_prepared
from pipeline.provenance import write_atomic
from pipeline.surface import surface
from pipeline.swap import swap_in
from pipeline.vendors import Vendor
from pipeline.verify import verify

CACHE = ".pipeline-cache"
_BREAKING_SHOWN = 20
# Formatting is part of the pinned pipeline: explicit rules, no config discovery (--isolated).
_RUFF_CHECK = ["check", "--isolated", "--fix-only", "--select", "F,I,UP", "--target-version", "py311",
               "--line-length", "120", "--quiet"]  # fmt: skip
_RUFF_FORMAT = ["format", "--isolated", "--target-version", "py311", "--line-length", "120", "--quiet"]


@attrs.frozen(kw_only=True)
class VendorResult:
    generated: Generated
    seconds: float
    notes: tuple[str, ...]


@attrs.frozen(kw_only=True)
class BuildResult:
    vendors: tuple[VendorResult, ...]
    verify_seconds: float
    differences: tuple[str, ...] = ()
    # What changed in each client's public surface (generate only); details: `nox -s api_diff`.
    api_diffs: tuple[ApiDiff, ...] = ()

    def summary(self) -> str:
        lines = []
        for item in self.vendors:
            g = item.generated
            lines.append(
                f"{g.vendor:<11} {g.operations:>4} operations  {g.models:>4} models  "
                f"{g.typed_responses:>4} typed 2xx responses  {item.seconds:6.2f}s"
            )
        lines.append(f"{'verify':<11} imports + mypy --strict  {self.verify_seconds:6.2f}s")
        for api_diff in self.api_diffs:
            lines.append(api_diff.summary())
            lines += [f"  {change}" for change in api_diff.breaking[:_BREAKING_SHOWN]]
            if len(api_diff.breaking) > _BREAKING_SHOWN:
                lines.append(f"  ... {len(api_diff.breaking) - _BREAKING_SHOWN} more breaking; see `nox -s api_diff`")
        return "\n".join(lines)


def _ruff(args: list[str], dirs: list[Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *args, *map(str, dirs)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise PipelineError(f"ruff {args[0]} failed on generated code: {(result.stdout + result.stderr).strip()}")


def tree_differences(expected: Path, actual: Path) -> list[str]:
    """Files that differ between two package trees (``__pycache__`` ignored), as readable lines."""

    want, have = _files(expected), _files(actual)
    out = []
    for name in sorted(want.keys() | have.keys()):
        if name not in have:
            out.append(f"missing: {actual / name}")
        elif name not in want:
            out.append(f"not produced by the pipeline: {actual / name}")
        elif want[name] != have[name]:
            out.append(f"differs: {actual / name}")
    return out


def _files(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def _api_diff(package: str, old: Path, new: Path) -> ApiDiff:
    """The API diff between two package trees, reading only the files that differ."""
    before, after = _files(old), _files(new)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    return diff(package, surface(old, only=changed), surface(new, only=changed))


def build(root: Path, selected: list[Vendor], *, check: bool = False) -> BuildResult:
    """Regenerate ``selected`` vendors. ``check=True`` compares instead of swapping.

    ``generated/`` is only written after every vendor generated and verified; any ``PipelineError``
    before that leaves it byte-identical.
    """
    cache = root / CACHE
    stage_root = cache / "stage"
    results = []
    records: dict[str, str] = {}
    for vendor in selected:
        started = time.perf_counter()
        prepared = prepare(vendor)
        write_prepared(prepared, cache / "prepared")
        out = stage_root / vendor.package
        shutil.rmtree(out, ignore_errors=True)
        generated = generate(prepared, out)
        records[vendor.name] = names.render(prepared.names)
        results.append(VendorResult(generated=generated, seconds=time.perf_counter() - started, notes=prepared.notes))
    dirs = [stage_root / v.package for v in selected]
    started = time.perf_counter()
    _ruff(_RUFF_CHECK, dirs)
    _ruff(_RUFF_FORMAT, dirs)
    sources = {v.package: f"[{v.name}] {v.rel(v.spec)}" for v in selected}
    verify(stage_root, [v.package for v in selected], cache_dir=cache / "mypy", sources=sources)
    verify_seconds = time.perf_counter() - started
    if check:
        differences = [
            d for v in selected for d in tree_differences(stage_root / v.package, root / "generated" / v.package)
        ]
        differences += [
            f"stale model-name record: {v.names} (run `nox -s generate` and commit it)"
            for v in selected
            if not v.names.exists() or v.names.read_text(encoding="utf-8") != records[v.name]
        ]
        return BuildResult(vendors=tuple(results), verify_seconds=verify_seconds, differences=tuple(differences))
    api_diffs = tuple(_api_diff(v.package, root / "generated" / v.package, stage_root / v.package) for v in selected)
    for vendor in selected:
        swap_in(stage_root / vendor.package, root / "generated" / vendor.package)
        if not vendor.names.exists() or vendor.names.read_text(encoding="utf-8") != records[vendor.name]:
            write_atomic(vendor.names, records[vendor.name].encode())
    return BuildResult(vendors=tuple(results), verify_seconds=verify_seconds, api_diffs=api_diffs)
