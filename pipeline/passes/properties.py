"""Make object properties generator-safe: ``required`` names that exist, one property per Python name.

- ``required`` lists names missing from ``properties`` (``productId`` while the property is
  ``product_id``). They are dropped: a missing required field would make parsing raise, and the vendor
  evidently does not send a field under the listed name. Only objects that define ``properties`` and
  no composition are touched (an ``allOf`` member may require a sibling's property).
- Two properties that map to one Python name (``$type`` and ``type``, ``createdAt`` and ``created_at``)
  make the generator drop the whole model. The property whose name already is snake_case (or
  else the first one) is kept; the others are removed from ``properties`` so their values stay
  reachable through the model's ``additional_properties`` (``event["$type"]``).

Example: ``{"$type": ..., "type": ...}`` -> ``{"type": ...}``; ``model.additional_properties["$type"]``.
"""

from __future__ import annotations

import re
from typing import Any

from openapi_python_client.strings import PythonIdentifier

from pipeline.passes._context import PassContext
from pipeline.passes._schemas import walk_schemas

_FIELD_PREFIX = "field_"  # the generator's default ``field_prefix``
_SNAKE = re.compile(r"[a-z_][a-z0-9_]*")


def python_name(name: str) -> str:
    return str(PythonIdentifier(name, _FIELD_PREFIX))


def _drop_missing_required(schema: dict[str, Any]) -> int:
    required, properties = schema.get("required"), schema.get("properties")
    if required == []:  # invalid in 3.0 (minItems 1) and meaningless
        del schema["required"]
        return 0
    if not isinstance(required, list) or not isinstance(properties, dict):
        return 0
    if any(key in schema for key in ("allOf", "anyOf", "oneOf")):
        return 0
    kept = [name for name in required if name in properties]
    if len(kept) == len(required):
        return 0
    if kept:
        schema["required"] = kept
    else:
        del schema["required"]
    return len(required) - len(kept)


def _drop_colliding(schema: dict[str, Any]) -> list[str]:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return []
    groups: dict[str, list[str]] = {}
    for name in properties:
        groups.setdefault(python_name(str(name)), []).append(str(name))
    dropped = []
    for names in groups.values():
        if len(names) < 2:
            continue
        keep = next((n for n in names if _SNAKE.fullmatch(n)), names[0])
        for name in names:
            if name != keep:
                del properties[name]
                dropped.append(name)
                if isinstance(schema.get("required"), list) and name in schema["required"]:
                    schema["required"] = [r for r in schema["required"] if r != name]
                    if not schema["required"]:
                        del schema["required"]
    return dropped


def repair_properties(doc: dict[str, Any], ctx: PassContext) -> None:
    missing = 0
    for where, schema in walk_schemas(doc):
        dropped = _drop_colliding(schema)
        if dropped:
            ctx.note(f"{where}: properties {', '.join(dropped)} collide with another Python name; "
                     "kept in additional_properties")  # fmt: skip
        missing += _drop_missing_required(schema)
    if missing:
        ctx.note(f"dropped {missing} `required` name(s) that no property has")
