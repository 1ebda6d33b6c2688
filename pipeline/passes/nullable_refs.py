"""Carry nullability across ``$ref``: a reference to a nullable schema, or a ``$ref`` with ``nullable: true``.

The generator reads ``nullable`` (3.0) only where it sits: a property ``{$ref: Status}`` whose target
``Status`` is ``nullable: true``, or a ``$ref`` with a sibling ``nullable: true`` (common in .NET
specs), is typed as never ``None``, and parsing a ``null`` the vendor sends raises. Such a reference
becomes ``oneOf: [{$ref}, {type: "null"}]``, which the generator types as ``X | None``. References
already inside a composition (``oneOf``/``anyOf``/``allOf`` members) are left alone.

An enum with ``nullable: true`` (3.0) gets ``null`` among its values instead: the generator reads an
enum's nullability only from its values, so a ``null`` the vendor sends (ShipBob tracking ``status``)
raised ``ValueError`` while parsing. The class is then named ``<Parent><Property>Type1`` (the
generator's name for the enum member of ``Enum | None``).

Example: ``{$ref: "#/components/schemas/Address", nullable: true}`` -> ``Address | None``.
"""

from __future__ import annotations

from typing import Any

from pipeline.passes._context import PassContext
from pipeline.passes._schemas import walk_schemas

_KEPT_SIBLINGS = ("description", "readOnly", "writeOnly", "deprecated")


def _nullable(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    types = schema.get("type")
    return (
        schema.get("nullable") is True
        or (isinstance(types, list) and "null" in types)
        or (isinstance(schema.get("enum"), list) and None in schema["enum"])
    )


def _is_component(where: str) -> bool:
    """A component that is itself a reference (an alias): its users' references are wrapped instead."""
    return where.startswith("#/components/schemas/") and where.count("/") == 3


def carry_nullable_refs(doc: dict[str, Any], ctx: PassContext) -> None:
    enums = 0
    for _where, schema in walk_schemas(doc):
        values = schema.get("enum")
        if schema.get("nullable") is True and isinstance(values, list):
            # `nullable` must go too: beside a null value the generator splits the enum in three classes
            del schema["nullable"]
            if None not in values:
                values.append(None)
            enums += 1
    if enums:
        ctx.note(f"listed null among the values of {enums} nullable enum(s)")
    components = (doc.get("components") or {}).get("schemas") or {}
    nullable_targets = {
        "#/components/schemas/" + str(key).replace("~", "~0").replace("/", "~1")
        for key, schema in components.items()
        if _nullable(schema)
    }
    sites = [
        (where, schema)
        for where, schema in walk_schemas(doc)
        if isinstance(schema.get("$ref"), str)
        and (schema["$ref"] in nullable_targets or schema.get("nullable") is True)
        and where.rsplit("/", 2)[-2] not in ("oneOf", "anyOf", "allOf")
        and not _is_component(where)
    ]
    for _, schema in sites:
        kept = {key: schema[key] for key in _KEPT_SIBLINGS if key in schema}
        ref = schema["$ref"]
        schema.clear()
        schema.update({"oneOf": [{"$ref": ref}, {"type": "null"}], **kept})
    if sites:
        ctx.note(f"made {len(sites)} reference(s) to nullable schemas nullable")
