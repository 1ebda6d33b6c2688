"""Make ``allOf`` inheritance generate: untyped bases typed as objects, own properties moved into a member.

Two shapes from .NET and Java generators that openapi-python-client gets wrong:

- ``Sub: {type: object, properties: {...}, allOf: [{$ref: Base}]}``: properties beside a one-member
  ``allOf``. The generator treats ``Sub`` as an alias of ``Base``: it silently drops ``Sub``'s own
  properties and the class (ShipBob ``VariantViewModelV5`` lost ``barcodes`` and ``channel_metadata``).
  The sibling object keywords (``properties``, ``required``, ``additionalProperties``) move into a
  new ``allOf`` member, which the generator merges.

- Java generators emit bases with no ``type`` (only a ``title``, only ``properties``, or only a
  ``discriminator``), and subtypes ``allOf: [{$ref: Base}, {type: object, ...}]``. The generator says
  "Cannot take allOf a non-object" and drops the subtypes, and every model and response using them.
  A schema that is only annotations, properties or a discriminator can only describe an object when
  it is merged into an object, so it is typed as one. Schemas with any other shape (enums, consts,
  compositions, ``items``) are left alone.

Examples: ``Base: {title: Base}`` used in ``allOf`` -> ``Base: {title: Base, type: object}``;
``{properties: P, allOf: [R]}`` -> ``{allOf: [R, {type: object, properties: P}]}``.
"""

from __future__ import annotations

from typing import Any

from pipeline.passes._context import PassContext
from pipeline.passes._schemas import walk_schemas

_PREFIX = "#/components/schemas/"
# keywords that say nothing against an object (annotations and object keywords)
_OBJECT_ONLY = frozenset(
    {
        "title",
        "description",
        "properties",
        "required",
        "additionalProperties",
        "discriminator",
        "example",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "nullable",
        "minProperties",
        "maxProperties",
        "patternProperties",
        "propertyNames",
    }
)


def _untyped_object(schema: dict[str, Any]) -> bool:
    return (
        "type" not in schema
        and "$ref" not in schema
        and all(key in _OBJECT_ONLY or key.startswith("x-") for key in schema)
    )


def type_allof_bases(doc: dict[str, Any], ctx: PassContext) -> None:
    schemas = (doc.get("components") or {}).get("schemas") or {}
    typed: list[str] = []
    for _where, schema in walk_schemas(doc):
        members = schema.get("allOf")
        if not isinstance(members, list):
            continue
        for member in members:
            if not isinstance(member, dict):
                continue
            target = member
            ref = member.get("$ref")
            if isinstance(ref, str) and ref.startswith(_PREFIX):
                found = schemas.get(ref[len(_PREFIX) :])
                if not isinstance(found, dict):
                    continue
                target = found
            if _untyped_object(target):
                target["type"] = "object"
                typed.append(ref if isinstance(ref, str) else "an inline allOf member")
    if typed:
        shown = sorted({t.removeprefix(_PREFIX) for t in typed})
        ctx.note(f"typed {len(shown)} untyped allOf base(s) as objects: {', '.join(shown[:5])}")


_MOVED = ("properties", "required", "additionalProperties", "patternProperties", "minProperties", "maxProperties")


def fold_allof_siblings(doc: dict[str, Any], ctx: PassContext) -> None:
    folded = 0
    for _where, schema in list(walk_schemas(doc)):
        members = schema.get("allOf")
        if not isinstance(members, list) or not isinstance(schema.get("properties"), dict):
            continue
        own: dict[str, Any] = {"type": "object"}
        for key in _MOVED:
            if key in schema:
                own[key] = schema.pop(key)
        members.append(own)
        folded += 1
    if folded:
        ctx.note(f"moved the own properties of {folded} allOf subtype(s) into an allOf member")
