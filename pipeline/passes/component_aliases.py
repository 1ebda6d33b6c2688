"""Resolve components that are only a ``$ref`` to another component (responses, parameters, bodies, headers).

``components.responses.Chained: {$ref: "#/components/responses/Real"}`` is valid OpenAPI; the generator
supports one level of reference only ("Top-level $ref inside components/responses is not supported")
and drops every response using the alias. Each alias becomes a copy of what it finally points at.
Schemas are left alone: the generator follows schema aliases itself.

Example: ``Chained: {$ref: ".../Real"}`` -> ``Chained: {description: ..., content: ...}`` (Real's copy).
"""

from __future__ import annotations

import copy
from typing import Any

from pipeline.passes._context import PassContext
from pipeline.passes.refs import resolve_pointer

_KINDS = ("responses", "parameters", "requestBodies", "headers", "examples", "links")


def _final(doc: dict[str, Any], node: Any, ctx: PassContext, where: str) -> Any:
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen:
            raise ctx.fail(f"{where}: $ref cycle through {ref!r}")
        seen.add(ref)
        node = resolve_pointer(doc, ref)
    return node


def resolve_component_aliases(doc: dict[str, Any], ctx: PassContext) -> None:
    components = doc.get("components")
    if not isinstance(components, dict):
        return
    resolved = 0
    for kind in _KINDS:
        items = components.get(kind)
        if not isinstance(items, dict):
            continue
        for name, item in items.items():
            if isinstance(item, dict) and isinstance(item.get("$ref"), str):
                items[name] = copy.deepcopy(_final(doc, item, ctx, f"#/components/{kind}/{name}"))
                resolved += 1
    if resolved:
        ctx.note(f"resolved {resolved} component alias(es) (a component that is only a $ref)")
