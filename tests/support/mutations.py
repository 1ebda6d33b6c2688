"""Spec-invalid variants of a spec-valid body, found by walking the body alongside its JSON Schema.

Each ``Mutation`` breaks the body in one place and says where, so a failing example reads like a bug
report: "dropped required 'variantId' at $.results[0]".

    for mutation in mutations(body, case.schema):
        broken = mutation.apply(body)
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import attrs

__all__ = ["Mutation", "mutations"]

# A value of another JSON type for each schema type; none of them is valid where that type is required.
_WRONG_TYPE: dict[str, Any] = {
    "object": "not an object",
    "array": {"not": "an array"},
    "string": {"not": "a string"},
    "integer": "not an integer",
    "number": "not a number",
    "boolean": "not a boolean",
}
_STRUCTURAL = frozenset({"object", "array"})


@attrs.frozen(kw_only=True)
class Mutation:
    """One break at ``path`` (keys and indexes from the root): drop ``key``, or replace the value."""

    kind: str  # "drop-required" | "wrong-type"
    path: tuple[str | int, ...]
    key: str | None = None
    replacement: Any = None
    schema_type: str | None = None

    @property
    def structural(self) -> bool:
        """Whether this breaks the body's shape (an object or array replaced), not just a scalar's type."""
        return self.kind == "drop-required" or self.schema_type in _STRUCTURAL

    def describe(self) -> str:
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in self.path)
        if self.kind == "drop-required":
            return f"dropped required {self.key!r} at {where}"
        return f"{self.schema_type} replaced by {self.replacement!r} at {where}"

    def apply(self, body: Any) -> Any:
        """A broken deep copy of ``body``."""
        broken = copy.deepcopy(body)
        if not self.path and self.kind == "wrong-type":
            return self.replacement
        parent = broken
        for step in self.path[:-1] if self.kind == "wrong-type" else self.path:
            parent = parent[step]
        if self.kind == "drop-required":
            del parent[self.key]
        else:
            parent[self.path[-1]] = self.replacement
        return broken


def _resolve(schema: Any, root: dict[str, Any]) -> Any:
    seen = 0
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and seen < 32:
        node: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema, seen = node, seen + 1
    return schema


def mutations(body: Any, schema: dict[str, Any]) -> list[Mutation]:
    """Every single-place break of ``body`` that makes it invalid against ``schema`` (root has ``$defs``)."""
    return list(_walk(body, schema, schema, ()))


def _walk(value: Any, schema: Any, root: dict[str, Any], path: tuple[str | int, ...]) -> Iterator[Mutation]:
    schema = _resolve(schema, root)
    if not isinstance(schema, dict):
        return
    kind = schema.get("type")
    if isinstance(kind, str) and kind in _WRONG_TYPE and not _has_combinator(schema):
        yield Mutation(kind="wrong-type", path=path, replacement=_WRONG_TYPE[kind], schema_type=kind)
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key in value:
                yield Mutation(kind="drop-required", path=path, key=key)
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                yield from _walk(value[key], sub, root, (*path, key))
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            yield from _walk(item, schema["items"], root, (*path, index))


def _has_combinator(schema: dict[str, Any]) -> bool:
    # Combinators could make the replacement valid after all; such places are left alone.
    return any(k in schema for k in ("anyOf", "oneOf", "allOf", "not"))
