"""Give every parameter a ``schema``: parameters described by ``content`` are sent as JSON text.

OpenAPI lets a parameter carry ``content: {application/json: {schema: ...}}`` instead of ``schema``
(a JSON-encoded filter in the query string). The generator silently skips such a parameter: the
function simply lacks the argument. Here it becomes a ``string`` parameter whose description
says what JSON to send, so the argument exists and goes out verbatim; a parameter with neither
``schema`` nor ``content`` becomes a plain string too.

Example: ``{name: filter, in: query, content: {application/json: {schema: S}}}`` -> ``filter: str``.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.passes._context import PassContext, operations


def _all_parameters(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[Any] = list(((doc.get("components") or {}).get("parameters") or {}).values())
    for item in (doc.get("paths") or {}).values():
        if isinstance(item, dict):
            found += item.get("parameters") or []
    for _, _, op in operations(doc):
        found += op.get("parameters") or []
    return [p for p in found if isinstance(p, dict) and "$ref" not in p]


def give_parameters_schemas(doc: dict[str, Any], ctx: PassContext) -> None:
    changed = 0
    for param in _all_parameters(doc):
        if isinstance(param.get("schema"), dict):
            continue
        content = param.pop("content", None)
        note = ""
        if isinstance(content, dict) and content:
            media_type, media = next(iter(content.items()))
            shape = json.dumps(media.get("schema", {}), sort_keys=True) if isinstance(media, dict) else "{}"
            note = f"Send {media_type} text matching this schema: {shape}"
        param["schema"] = {"type": "string"}
        if note:
            param["description"] = f"{param.get('description', '')}\n\n{note}".strip()
        changed += 1
    if changed:
        ctx.note(f"typed {changed} parameter(s) without a schema as strings (the generator skips them)")
