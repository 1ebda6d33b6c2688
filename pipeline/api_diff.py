"""What a regeneration changed in a client's public surface, which changes break callers, and who breaks.

``diff(package, old, new)`` compares two ``pipeline.surface`` snapshots: operations added or removed,
parameters added, removed, retyped or newly required, return types, models, fields and enum members.
A change is *breaking* when code written against the old client may stop working (a removed
operation, model, field or member; a retyped one; a new required parameter or field).

``check_facade(root)`` then runs mypy on ``facade/`` against the new clients, so the handwritten
lines broken by the change are named. ``build()`` prints the summary after ``generate``; ``nox -s
api_diff`` prints the full report against git ``HEAD`` plus the facade check.

Example: ``print(diff("shipbob_client", before, after).report())``.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import attrs

from pipeline.surface import Surface, surface


@attrs.frozen(kw_only=True)
class Change:
    kind: str
    where: str
    what: str
    breaking: bool

    def __str__(self) -> str:
        return f"{'BREAKING ' if self.breaking else ''}{self.kind} {self.where}: {self.what}"


@attrs.frozen(kw_only=True)
class ApiDiff:
    package: str
    changes: tuple[Change, ...]

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    def summary(self) -> str:
        if not self.changes:
            return f"{self.package}: no API changes"
        return f"{self.package}: {len(self.changes)} API change(s), {len(self.breaking)} breaking"

    def report(self) -> str:
        return "\n".join([self.summary(), *(f"  {change}" for change in self.changes)])


def _added_removed(kind: str, old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[Change]:
    changes = [Change(kind=kind, where=f"{prefix}{name}", what="removed", breaking=True) for name in old.keys() - new]
    changes += [Change(kind=kind, where=f"{prefix}{name}", what="added", breaking=False) for name in new.keys() - old]
    return changes


def _typed_items(kind: str, where: str, old: dict[str, Any], new: dict[str, Any], *, param: bool) -> list[Change]:
    """Parameters or fields: ``{"type": str, "required": bool}`` per name."""
    changes = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        here = f"{where}.{name}" if not param else f"{where}({name})"
        if before is None or after is None:
            if after is not None:
                what = "added (required)" if after["required"] else "added"
                changes.append(Change(kind=kind, where=here, what=what, breaking=bool(after["required"])))
            else:
                changes.append(Change(kind=kind, where=here, what="removed", breaking=True))
        elif before["type"] != after["type"]:
            what = f"retyped {before['type']} -> {after['type']}"
            changes.append(Change(kind=kind, where=here, what=what, breaking=True))
        elif before["required"] != after["required"]:
            # an optional parameter breaks nobody; a field that may now be UNSET breaks its readers
            became = "now required" if after["required"] else "now optional"
            changes.append(Change(kind=kind, where=here, what=became, breaking=bool(after["required"]) or not param))
    return changes


def diff(package: str, old: Surface, new: Surface) -> ApiDiff:
    """All changes from ``old`` to ``new`` (two ``surface()`` results), in a stable order."""
    changes = _added_removed("operation", old["operations"], new["operations"])
    for name in sorted(old["operations"].keys() & new["operations"].keys()):
        before, after = old["operations"][name], new["operations"][name]
        changes += _typed_items("parameter", name, before["params"], after["params"], param=True)
        if before["returns"] != after["returns"]:
            what = f"returns {after['returns']} (was {before['returns']})"
            changes.append(Change(kind="operation", where=name, what=what, breaking=True))
    changes += _added_removed("model", old["models"], new["models"])
    for name in sorted(old["models"].keys() & new["models"].keys()):
        before, after = old["models"][name], new["models"][name]
        if before["kind"] != after["kind"]:
            changes.append(Change(kind="model", where=name, what=f"{before['kind']} -> {after['kind']}", breaking=True))
        elif after["kind"] == "enum":
            changes += _added_removed("enum member", before["members"], after["members"], prefix=f"{name}.")
            for member in sorted(before["members"].keys() & after["members"].keys()):
                if before["members"][member] != after["members"][member]:
                    what = f"value {before['members'][member]} -> {after['members'][member]}"
                    changes.append(Change(kind="enum member", where=f"{name}.{member}", what=what, breaking=True))
        else:
            changes += _typed_items("field", name, before["fields"], after["fields"], param=False)
    order = {"operation": 0, "parameter": 1, "model": 2, "field": 3, "enum member": 4}
    return ApiDiff(package=package, changes=tuple(sorted(changes, key=lambda c: (order[c.kind], c.where, c.what))))


def surface_at_ref(root: Path, ref: str, package: str) -> Surface:
    """The surface of ``generated/<package>`` as committed at git ``ref`` (empty if it was not there)."""
    result = subprocess.run(
        ["git", "-C", str(root), "archive", "--format=tar", ref, f"generated/{package}"],
        capture_output=True,
        check=False,
    )
    with tempfile.TemporaryDirectory() as tmp:
        if result.returncode == 0:
            with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
                archive.extractall(tmp, filter="data")
        return surface(Path(tmp) / "generated" / package)


def check_facade(root: Path) -> tuple[bool, str]:
    """``(clean, mypy output)`` for ``mypy -p facade`` with the project's config (``generated/`` on the path)."""
    if not (root / "facade").is_dir():
        return True, "no facade/ to check"
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "-p", "facade"], cwd=root, capture_output=True, text=True, check=False
    )
    return result.returncode == 0, (result.stdout + result.stderr).strip()
