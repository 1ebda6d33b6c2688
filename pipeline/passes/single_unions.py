"""Unwrap one-member ``oneOf``/``anyOf`` wrappers, and drop ``additionalProperties`` beside a ``$ref``.

.NET generators (Swashbuckle with polymorphism on) wrap error bodies as
``Wrapper: {additionalProperties: false, oneOf: [{additionalProperties: false, $ref: ValidationProblemDetails}]}``.
A union of one member is the member; but the generator parses the referenced model a second time
through the union, fails on its inline parts ("Invalid property in union", or duplicate
``...AdditionalProperty`` models) and drops the wrapper, the model and every response using them.

- A schema whose only non-annotation keyword is a one-member ``oneOf``/``anyOf`` becomes that member
  (keeping its own ``description``/``nullable``/``readOnly``...); a component wrapper thus becomes an
  alias of the model, which the generator follows.
- A component schema that is then only a ``$ref`` (an alias) is removed and references to it point at
  the model itself: through an alias the generator parses the model twice ("duplicate models").
- ``additionalProperties`` beside a ``$ref`` is dropped: OpenAPI 3.0 ignores siblings of ``$ref``,
  and on a wrapper without properties ``false`` would forbid every field of the body it wraps.

Example: ``{oneOf: [{$ref: VPD, additionalProperties: false}]}`` -> ``{$ref: VPD}``.
"""

from __future__ import annotations

from typing import Any

from pipeline.passes._context import PassContext
from pipeline.passes._schemas import walk_schemas

# siblings of the one-member union that do not change what it accepts (additionalProperties beside a
# union without properties is a generator artifact, see above)
_KEPT = ("title", "description", "nullable", "readOnly", "writeOnly", "deprecated", "example", "examples")
_IGNORED = ("additionalProperties",)
_PREFIX = "#/components/schemas/"
_ALIAS_KEPT = ("$ref", "title", "description", "example", "examples", "additionalProperties")


def _single_member(schema: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list) and len(members) == 1 and isinstance(members[0], dict):
            others = set(schema) - {key}
            if all(k in _KEPT or k in _IGNORED or k.startswith("x-") for k in others) and "discriminator" not in schema:
                return key, members[0]
    return None


def unwrap_single_unions(doc: dict[str, Any], ctx: PassContext) -> None:
    unwrapped = dropped = 0
    for _where, schema in list(walk_schemas(doc)):
        found = _single_member(schema)
        while found is not None:
            _key, member = found
            kept = {k: v for k, v in schema.items() if k in _KEPT or k.startswith("x-")}
            schema.clear()
            schema.update(member)
            for k, v in kept.items():
                schema.setdefault(k, v)
            unwrapped += 1
            found = _single_member(schema)
    aliases = _drop_aliases(doc)
    for _where, schema in walk_schemas(doc):
        if "$ref" in schema and "additionalProperties" in schema:
            del schema["additionalProperties"]
            dropped += 1
    if unwrapped:
        ctx.note(f"unwrapped {unwrapped} one-member oneOf/anyOf wrapper(s)")
    if aliases:
        ctx.note(f"replaced {aliases} schema alias(es) (a component that is only a $ref) by their target")
    if dropped:
        ctx.note(f"dropped additionalProperties beside {dropped} $ref(s) (siblings of $ref are ignored)")


def _drop_aliases(doc: dict[str, Any]) -> int:
    schemas = (doc.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return 0
    aliases = {
        name: schema["$ref"]
        for name, schema in schemas.items()
        if isinstance(schema, dict)
        and isinstance(schema.get("$ref"), str)
        and schema["$ref"].startswith(_PREFIX)
        and all(k in _ALIAS_KEPT for k in schema)
    }
    final: dict[str, str] = {}
    for name, first in aliases.items():
        seen = {name}
        target = first
        while target[len(_PREFIX) :] in aliases and target[len(_PREFIX) :] not in seen:
            seen.add(target[len(_PREFIX) :])
            target = aliases[target[len(_PREFIX) :]]
        if target[len(_PREFIX) :] not in aliases:  # an alias cycle is left for the generator to report
            final[_PREFIX + name] = target
    if not final:
        return 0
    for _where, schema in walk_schemas(doc):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref in final:
            schema["$ref"] = final[ref]
    for ref in final:
        del schemas[ref[len(_PREFIX) :]]
    return len(final)
