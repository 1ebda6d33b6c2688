"""Order ``oneOf``/``anyOf`` members so that a subtype is tried before the type it extends.

Without a discriminator the generated ``from_dict`` tries the members in order and keeps the first
that parses. .NET specs list the base first (ShipBob ``variants: oneOf [VariantViewModel,
VariantInternalViewModel]``, where the second is ``allOf: [VariantViewModel, ...]``); with optional
fields the base always parses, so the subtype's extra fields would never be typed. A member whose
``allOf`` chain reaches another member moves in front of it; otherwise the vendor's order is kept.

Example: ``oneOf: [Base, Sub(allOf Base)]`` -> ``oneOf: [Sub, Base]``.
"""

from __future__ import annotations

from typing import Any

from pipeline.passes._context import PassContext
from pipeline.passes._schemas import walk_schemas

_PREFIX = "#/components/schemas/"


def _ancestors(schemas: dict[str, Any], ref: str) -> set[str]:
    """Every ``$ref`` reached through ``allOf`` from ``ref`` (not ``ref`` itself)."""
    found: set[str] = set()
    stack = [ref]
    while stack:
        schema = schemas.get(stack.pop()[len(_PREFIX) :])
        members = schema.get("allOf") if isinstance(schema, dict) else None
        for member in members if isinstance(members, list) else []:
            parent = member.get("$ref") if isinstance(member, dict) else None
            if isinstance(parent, str) and parent.startswith(_PREFIX) and parent not in found:
                found.add(parent)
                stack.append(parent)
    return found


def _ordered(members: list[Any], schemas: dict[str, Any]) -> list[Any]:
    refs = [m.get("$ref") if isinstance(m, dict) else None for m in members]
    ancestors = [_ancestors(schemas, r) if isinstance(r, str) else set() for r in refs]
    # depth = how many other members this one extends; deeper first, ties keep the vendor's order
    depth = [sum(1 for other in refs if other is not None and other in ancestors[i]) for i in range(len(members))]
    order = sorted(range(len(members)), key=lambda i: -depth[i])
    return [members[i] for i in order]


def order_union_members(doc: dict[str, Any], ctx: PassContext) -> None:
    schemas = (doc.get("components") or {}).get("schemas") or {}
    reordered = 0
    for _where, schema in walk_schemas(doc):
        if "discriminator" in schema:
            continue
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and len(members) > 1:
                new = _ordered(members, schemas)
                if new != members:
                    schema[key] = new
                    reordered += 1
    if reordered:
        ctx.note(f"put subtypes before their bases in {reordered} oneOf/anyOf union(s)")
