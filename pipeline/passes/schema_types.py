"""Repair ``type`` keywords: typos (``type: int``), 3.1 type arrays, and numeric parameters typed as strings.

- ``type: int`` / ``long`` / ``bool`` / ``float`` / ``str`` ... appear in real vendor specs (ShipBob response
  headers); the generator rejects the whole document for one of them. They become the JSON Schema type
  they obviously mean, keeping a ``format`` where the typo implies one. Any other unknown type stops the
  build, naming where it is.
- OpenAPI 3.1 type arrays: a one-element array (``[object]``) becomes the plain type (the generator would
  otherwise make a one-member union and drop the model); duplicates go. ``["string", "null"]`` stays.
- ``type: array`` without ``items`` gets ``items: {}`` (any item); the generator would drop the model.
- A path, query or header parameter typed ``string`` with an integer or number ``format`` (``int64``) is
  typed as the number it is, so callers pass an ``int``; it is serialized the same way in a URL.
- A query parameter typed ``string`` that also declares ``items`` (.NET: a comma-separated list,
  ``?InventoryIds=1,2``) becomes ``type: array`` with ``style: form, explode: false``, which is what
  OpenAPI calls a comma-separated list: callers pass ``list[int]``, and the endpoint template
  (``pipeline/templates/endpoint_macros.py.jinja``) joins it with commas. Elsewhere the stray
  ``items`` is dropped and the parameter stays a string.

Example: ``{"type": "int"}`` -> ``{"type": "integer", "format": "int32"}``.
"""

from __future__ import annotations

from typing import Any

from pipeline.passes._context import PassContext, operations
from pipeline.passes._schemas import walk_schemas

JSON_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null")
# typo -> (type, format implied by the typo or None)
_TYPOS: dict[str, tuple[str, str | None]] = {
    "int": ("integer", "int32"),
    "int32": ("integer", "int32"),
    "int64": ("integer", "int64"),
    "long": ("integer", "int64"),
    "short": ("integer", None),
    "float": ("number", "float"),
    "double": ("number", "double"),
    "decimal": ("number", None),
    "bool": ("boolean", None),
    "str": ("string", None),
    "text": ("string", None),
    "date": ("string", "date"),
    "datetime": ("string", "date-time"),
    "dict": ("object", None),
    "map": ("object", None),
    "list": ("array", None),
}
_NUMERIC_FORMATS = {"int32": "integer", "int64": "integer", "float": "number", "double": "number"}


def _fix_one(value: Any, schema: dict[str, Any], where: str, ctx: PassContext) -> str:
    if isinstance(value, str) and value in JSON_TYPES:
        return value
    known = _TYPOS.get(str(value).strip().lower())
    if known is None:
        raise ctx.fail(f"{where}: unknown schema type {value!r} (expected one of {', '.join(JSON_TYPES)})")
    json_type, implied_format = known
    if implied_format and "format" not in schema:
        schema["format"] = implied_format
    return json_type


def _fix_schema(schema: dict[str, Any], where: str, ctx: PassContext) -> int:
    if "type" not in schema:
        return 0
    before = schema["type"]
    if isinstance(before, list):
        fixed: list[str] = []
        for item in before:
            json_type = _fix_one(item, schema, where, ctx)
            if json_type not in fixed:
                fixed.append(json_type)
        if not fixed:
            del schema["type"]
        else:
            schema["type"] = fixed[0] if len(fixed) == 1 else fixed
    else:
        schema["type"] = _fix_one(before, schema, where, ctx)
    return 0 if schema.get("type") == before else 1


def _parameters(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[Any] = list(((doc.get("components") or {}).get("parameters") or {}).values())
    for item in (doc.get("paths") or {}).values():
        if isinstance(item, dict):
            found += item.get("parameters") or []
    for _, _, op in operations(doc):
        found += op.get("parameters") or []
    return [p for p in found if isinstance(p, dict) and p.get("in") in ("path", "query", "header")]


def _give_items(schema: dict[str, Any]) -> int:
    """``type: array`` without ``items``: the generator drops the model; any item is what it means."""
    types = schema.get("type")
    if (types == "array" or (isinstance(types, list) and "array" in types)) and not (
        "items" in schema or "prefixItems" in schema
    ):
        schema["items"] = {}
        return 1
    return 0


def fix_schema_types(doc: dict[str, Any], ctx: PassContext) -> None:
    fixed = 0
    for where, schema in list(walk_schemas(doc)):
        fixed += _fix_schema(schema, where, ctx) + _give_items(schema)
    retyped = 0
    for param in _parameters(doc):
        param_schema = param.get("schema")
        if isinstance(param_schema, dict) and param_schema.get("type") == "string" and "enum" not in param_schema:
            numeric = _NUMERIC_FORMATS.get(str(param_schema.get("format", "")))
            if numeric:
                param_schema["type"] = numeric
                retyped += 1
    listed = sum(_comma_separated(param) for param in _parameters(doc))
    if listed:
        ctx.note(f"typed {listed} comma-separated string parameter(s) (`string` with `items`) as lists")
    if fixed:
        ctx.note(f"repaired {fixed} schema `type` keyword(s) (typos, one-element type arrays, arrays without items)")
    if retyped:
        ctx.note(f"typed {retyped} numeric parameter(s) declared as strings as numbers")


def _comma_separated(param: dict[str, Any]) -> int:
    schema = param.get("schema")
    if not (isinstance(schema, dict) and schema.get("type") == "string" and isinstance(schema.get("items"), dict)):
        return 0
    if param.get("in") != "query":
        del schema["items"]
        return 0
    schema["type"] = "array"
    schema.pop("format", None)
    param["style"] = "form"
    param["explode"] = False
    return 1


def comma_separated_parameters(doc: dict[str, Any]) -> frozenset[tuple[str, str, str]]:
    """``(METHOD, path, name)`` of every array query parameter sent comma-separated (``explode: false``)."""
    found = set()
    for path, method, op in operations(doc):
        item = (doc.get("paths") or {}).get(path) or {}
        for param in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            schema = param.get("schema") if isinstance(param, dict) else None
            if (
                isinstance(schema, dict)
                and param.get("in") == "query"
                and schema.get("type") == "array"
                and param.get("explode") is False
                and param.get("style", "form") == "form"
            ):
                found.add((method.upper(), path, str(param["name"])))
    return frozenset(found)
