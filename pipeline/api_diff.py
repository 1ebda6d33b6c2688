"""What a regeneration changed in a client's public surface, which changes break callers, and who breaks.

``diff(package, old, new)`` compares two ``pipeline.surface`` snapshots: operations added or removed,
parameters added, removed, retyped or newly required, return types, models, fields and enum members.
A change is *breaking* when code written against the old client may stop working (a removed
operation, model, field or member; a retyped one; a new required parameter or field).

Operations are named ``METHOD path (tag.function)``, with the path as the spec writes it. A model
removed while another with exactly the same fields (or enum members) appears is reported as one
rename (breaking: the old name is gone), and so is an operation whose endpoint stays while its
function name changes. Renames cascade: fields are compared with the renames found so far applied,
so ``StockPage`` (``results: list[Stock]``) -> ``InventoryStockPage`` is a rename too.

``check_facade(root)`` then runs mypy on ``facade/`` against the new clients, so the handwritten
lines broken by the change are named. ``build()`` prints the summary after ``generate``; ``nox -s
api_diff`` prints the full report against git ``HEAD`` plus the facade check.

Example: ``print(diff("shipbob_client", before, after).report())``.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
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


def _typed_items(
    kind: str, where: str, old: dict[str, Any], new: dict[str, Any], *, param: bool, renamed: Callable[[str], str]
) -> list[Change]:
    """Parameters or fields: ``{"type": str, "required": bool}`` per name; ``renamed`` rewrites old type names."""
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
        elif renamed(before["type"]) != after["type"]:
            what = f"retyped {before['type']} -> {after['type']}"
            changes.append(Change(kind=kind, where=here, what=what, breaking=True))
        elif before["required"] != after["required"]:
            # an optional parameter breaks nobody; a field that may now be UNSET breaks its readers
            became = "now required" if after["required"] else "now optional"
            changes.append(Change(kind=kind, where=here, what=became, breaking=bool(after["required"]) or not param))
    return changes


def _label(name: str, operation: dict[str, Any]) -> str:
    endpoint = operation.get("endpoint")
    return f"{endpoint} ({name})" if endpoint else name


def _renames(old: dict[str, Any], new: dict[str, Any], key: Any) -> dict[str, str]:
    """``{old name: new name}`` for removed/added pairs whose ``key(value)`` matches exactly one each."""
    removed: dict[str, list[str]] = {}
    added: dict[str, list[str]] = {}
    for name in sorted(old.keys() - new.keys()):
        removed.setdefault(repr(key(old[name])), []).append(name)
    for name in sorted(new.keys() - old.keys()):
        added.setdefault(repr(key(new[name])), []).append(name)
    return {
        names[0]: added[signature][0]
        for signature, names in removed.items()
        if len(names) == 1 and len(added.get(signature, [])) == 1
    }


class _Renamer:
    """Rewrites old model names in type strings to their new names: ``list[Stock]`` -> ``list[InventoryStock]``."""

    def __init__(self, renames: dict[str, str]) -> None:
        self.renames = renames
        self._pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(renames, key=len, reverse=True))) + r")\b")

    def __call__(self, text: str) -> str:
        return self._pattern.sub(lambda m: self.renames[m.group(1)], text) if self.renames else text

    def model(self, model: dict[str, Any]) -> Any:
        """What identifies a model apart from its name: kind and fields (types rewritten) or enum members."""
        if model["kind"] == "enum":
            return (model["kind"], sorted(model["members"].items()))
        fields = model["fields"].items()
        return (model["kind"], sorted((n, self(f["type"]), f["required"]) for n, f in fields))


def _model_renames(old: dict[str, Any], new: dict[str, Any]) -> _Renamer:
    """Renamed models, to a fixpoint: once ``Stock`` is known as ``InventoryStock``, a ``StockPage`` of
    ``list[Stock]`` matches an ``InventoryStockPage`` of ``list[InventoryStock]``."""
    renamer = _Renamer({})
    while True:
        gone = {n: m for n, m in old.items() if n not in renamer.renames}
        arrived = {n: m for n, m in new.items() if n not in set(renamer.renames.values())}
        found = _renames(gone, arrived, renamer.model)
        if not found:
            return renamer
        renamer = _Renamer({**renamer.renames, **found})


def _placeholders(endpoint: str) -> str:
    """An endpoint with its path placeholders blanked, to match ``{orderId}`` with ``{order_id}``."""
    return re.sub(r"\{[^}]*\}", "{}", endpoint)


def diff(package: str, old: Surface, new: Surface) -> ApiDiff:
    """All changes from ``old`` to ``new`` (two ``surface()`` results), in a stable order.

    Type strings of the old side are compared with the models' renames applied, so a rename is
    reported once (``model InventoryStock: renamed from Stock``), not again in every field,
    parameter and return type that names it.
    """
    renamed = _model_renames(old["models"], new["models"])
    old_ops, new_ops = old["operations"], new["operations"]
    op_renames = _renames(old_ops, new_ops, lambda op: _placeholders(op.get("endpoint") or "") or id(op))
    changes = [
        Change(kind="operation", where=_label(r, new_ops[r]), what=f"renamed from {n} to {r}", breaking=True)
        for n, r in op_renames.items()
    ]
    pairs = [(name, name) for name in old_ops.keys() & new_ops.keys()] + list(op_renames.items())
    gone = {name: old_ops[name] for name in old_ops.keys() - new_ops.keys() - op_renames.keys()}
    new_only = {name: new_ops[name] for name in new_ops.keys() - old_ops.keys() - set(op_renames.values())}
    changes += [Change(kind="operation", where=_label(n, op), what="removed", breaking=True) for n, op in gone.items()]
    changes += [
        Change(kind="operation", where=_label(n, op), what="added", breaking=False) for n, op in new_only.items()
    ]
    for before_name, name in sorted(pairs):
        before, after = old_ops[before_name], new_ops[name]
        label = _label(name, after)
        changes += _typed_items("parameter", label, before["params"], after["params"], param=True, renamed=renamed)
        if renamed(before["returns"]) != after["returns"]:
            what = f"returns {after['returns']} (was {before['returns']})"
            changes.append(Change(kind="operation", where=label, what=what, breaking=True))
    changes += [
        Change(kind="model", where=new_name, what=f"renamed from {name}", breaking=True)
        for name, new_name in renamed.renames.items()
    ]
    kept = {n: m for n, m in old["models"].items() if n not in renamed.renames}
    arrived = {n: m for n, m in new["models"].items() if n not in set(renamed.renames.values())}
    changes += _added_removed("model", kept, arrived)
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
            changes += _typed_items("field", name, before["fields"], after["fields"], param=False, renamed=renamed)
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
