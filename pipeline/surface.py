"""The public surface of a generated client, read with ``ast`` (nothing is imported or executed).

The surface is what code using the client depends on: every endpoint function's parameters and
return type, every model's fields (type and whether they are required) and every enum's members.
It is plain JSON-able data, so two versions can be compared (``pipeline.api_diff``) and stored.

An operation also records its ``endpoint``, ``METHOD path`` as the spec writes it
(``GET /2026-01/inventory-level/{inventoryId}``): the pipeline's endpoint template makes it the
module docstring. A module generated before that gives the path of its ``_get_kwargs``, whose
placeholders carry the Python parameter names (``{inventory_id}``).

Example: ``surface(Path("generated/shipbob_client"))["models"]["InventoryProblemDetails"]["fields"]["status"]``
is ``{"type": "int | None | Unset", "required": False}``.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

Surface = dict[str, dict[str, Any]]
_ENUM_BASES = {"StrEnum", "IntEnum", "Enum"}
_IGNORED_PARAMS = {"client"}


def _annotation(node: ast.expr | None) -> str:
    return ast.unparse(node) if node is not None else "Any"


def _function(tree: ast.Module, name: str) -> ast.FunctionDef | None:
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")


def endpoint(tree: ast.Module) -> str:
    """``METHOD path`` of an operation module: its docstring (the spec's path), else ``_get_kwargs``, else ``""``.

    >>> endpoint(ast.parse('"POST /order/{orderId}:cancel"\\ndef _get_kwargs(): return {"method": "post"}'))
    'POST /order/{orderId}:cancel'
    """
    method, _, path = (ast.get_docstring(tree) or "").partition(" ")
    if method in _METHODS and path.startswith("/"):
        return f"{method} {path}"
    kwargs = _function(tree, "_get_kwargs")
    for stmt in ast.walk(kwargs) if kwargs is not None else ():
        value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.Return) else None
        if not isinstance(value, ast.Dict):
            continue
        found: dict[str, str] = {}
        for key, item in zip(value.keys, value.values, strict=True):
            text = item.func.value if isinstance(item, ast.Call) and isinstance(item.func, ast.Attribute) else item
            if isinstance(key, ast.Constant) and isinstance(text, ast.Constant) and isinstance(text.value, str):
                found[str(key.value)] = text.value  # a constant, or the template of "/x/{id}".format(...)
        if "method" in found and "url" in found:
            return f"{found['method'].upper()} {found['url']}"
    return ""


def _operation(tree: ast.Module) -> dict[str, Any] | None:
    detailed = _function(tree, "sync_detailed")
    if detailed is None:
        return None
    args = detailed.args
    params: dict[str, Any] = {}
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    for index, arg in enumerate(positional):
        if arg.arg not in _IGNORED_PARAMS:
            params[arg.arg] = {"type": _annotation(arg.annotation), "required": index < first_default}
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if arg.arg not in _IGNORED_PARAMS:
            params[arg.arg] = {"type": _annotation(arg.annotation), "required": default is None}
    plain = _function(tree, "sync")
    returns = _annotation((plain or detailed).returns)
    return {"endpoint": endpoint(tree), "params": params, "returns": returns}


def _class(node: ast.ClassDef) -> dict[str, Any]:
    bases = {ast.unparse(b) for b in node.bases}
    if bases & _ENUM_BASES:
        members = {
            target.id: ast.unparse(stmt.value)
            for stmt in node.body
            if isinstance(stmt, ast.Assign)
            for target in stmt.targets
            if isinstance(target, ast.Name) and not target.id.startswith("_")
        }
        return {"kind": "enum", "members": members}
    fields = {
        stmt.target.id: {"type": _annotation(stmt.annotation), "required": stmt.value is None}
        for stmt in node.body
        if isinstance(stmt, ast.AnnAssign)
        and isinstance(stmt.target, ast.Name)
        and stmt.target.id != "additional_properties"
    }
    return {"kind": "model", "fields": fields}


def surface(package_dir: Path, *, only: set[str] | None = None) -> Surface:
    """``{"operations": {"tag.function": ...}, "models": {"Class": ...}}`` of a generated package.

    ``only`` limits the reading to these files (paths relative to ``package_dir``): diffing two trees
    needs only the files that differ, and parsing every file of a big client takes seconds.
    """
    operations: dict[str, Any] = {}
    models: dict[str, Any] = {}
    if not package_dir.is_dir():
        return {"operations": operations, "models": models}

    def wanted(file: Path) -> bool:
        return only is None or file.relative_to(package_dir).as_posix() in only

    for file in sorted((package_dir / "api").glob("*/*.py")):
        if file.name != "__init__.py" and wanted(file):
            operation = _operation(ast.parse(file.read_bytes()))
            if operation is not None:
                operations[f"{file.parent.name}.{file.stem}"] = operation
    for file in sorted(f for f in (package_dir / "models").glob("*.py") if wanted(f)):
        for node in ast.parse(file.read_bytes()).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                models[node.name] = _class(node)
    return {"operations": operations, "models": models}
