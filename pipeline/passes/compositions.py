"""Make ``allOf`` subtypes that pin an inherited property with ``const`` mergeable.

A subtype ``allOf: [Base, {properties: {kind: {const: card}}}]`` narrows the base's ``kind: string``.
The generator cannot merge ``str`` with ``Literal['card']``, warns and drops the subtype (and every
model or response using it). The narrowing is kept as documentation instead: the ``const`` moves
into the description, and the property keeps the base's type. Top-level ``const`` elsewhere is fine
for the generator and is left alone.

Example: ``{const: card}`` inside an ``allOf`` member -> ``{type: string, description: "Always 'card'."}``.
"""

from __future__ import annotations

from typing import Any

from pipeline.passes._context import PassContext
from pipeline.passes._schemas import walk_schemas

_JSON_TYPE_OF = {str: "string", bool: "boolean", int: "integer", float: "number"}


def _relax(prop: dict[str, Any]) -> bool:
    if "const" not in prop:
        return False
    value = prop.pop("const")
    json_type = _JSON_TYPE_OF.get(type(value))
    if json_type and "type" not in prop:
        prop["type"] = json_type
    prop["description"] = f"{prop.get('description', '')} Always {value!r}.".strip()
    return True


def relax_allof_consts(doc: dict[str, Any], ctx: PassContext) -> None:
    relaxed = 0
    for _where, schema in walk_schemas(doc):
        members = schema.get("allOf")
        if not isinstance(members, list) or len(members) < 2:
            continue
        for member in members:
            properties = member.get("properties") if isinstance(member, dict) else None
            if isinstance(properties, dict):
                relaxed += sum(_relax(p) for p in properties.values() if isinstance(p, dict))
    if relaxed:
        ctx.note(f"documented {relaxed} `const` narrowing(s) inside allOf subtypes instead of typing them")
