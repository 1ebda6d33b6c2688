"""Reduce request and response content maps to media types the generator can type.

.NET vendors offer one body under several JSON names (``application/json``, ``text/json``,
``application/*+json``, ``application/json-patch+json``). The generator rejects ``text/json`` request
bodies, parses ``text/json`` responses as plain text, and for responses uses whichever supported type
comes first (``text/plain`` before ``application/json`` gives an untyped ``str``). Binary responses
(``application/pdf``, images) are "unsupported" and dropped with a warning.

So, per content map: when any JSON-ish type is offered, exactly one JSON entry is kept (``application/json``
if offered, else a concrete ``+json`` type, else the first one, renamed ``application/json``); a response
keeps only that entry, and so does a request body: one body offered both as JSON and as a form
(``application/x-www-form-urlencoded``, ``multipart/form-data``) makes the generator emit a union body
whose module uses ``Unset`` without importing it (it fails at import), and the JSON entry carries the same
schema with nested objects intact. A response offering only binary types keeps one ``application/octet-stream``
entry: the generated function then returns the raw bytes as a ``File``. Nothing is sent differently
except that a request declared only as ``text/json`` goes out as ``application/json``.

Example: ``{"text/plain": A, "application/json": A, "text/json": A}`` -> ``{"application/json": A}``.
"""

from __future__ import annotations

from typing import Any

from pipeline.passes._context import PassContext, operations

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _base(media_type: str) -> str:
    return media_type.split(";", maxsplit=1)[0].strip().lower()


def is_json(media_type: str) -> bool:
    base = _base(media_type)
    return base in ("application/json", "text/json") or base.endswith("+json")


def _is_binary(media_type: str) -> bool:
    base = _base(media_type)
    return not (is_json(base) or base.startswith("text/") or base in _FORMS or base == "*/*")


def _chosen_json(content: dict[str, Any]) -> tuple[str, str]:
    """``(offered type, type to keep it as)``."""
    offered = [str(t) for t in content if is_json(str(t))]
    for media_type in offered:
        if _base(media_type) == "application/json":
            return media_type, media_type
    for media_type in offered:
        if _base(media_type).endswith("+json") and "*" not in media_type:
            return media_type, media_type
    return offered[0], "application/json"


def _normalize(content: dict[str, Any], *, response: bool) -> dict[str, Any] | None:
    """The new content map, or ``None`` when it needs no change."""
    if any(is_json(str(t)) for t in content):
        offered, kept = _chosen_json(content)
        new = {kept: content[offered]}
    elif response and content and all(_is_binary(str(t)) for t in content):
        new = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    else:
        return None
    return None if list(new.items()) == list(content.items()) else new


def _bodies(doc: dict[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    components = doc.get("components") or {}
    found: list[tuple[Any, bool]] = [(b, False) for b in (components.get("requestBodies") or {}).values()]
    found += [(r, True) for r in (components.get("responses") or {}).values()]
    for _, _, op in operations(doc):
        found.append((op.get("requestBody"), False))
        found += [(r, True) for r in (op.get("responses") or {}).values()]
    return [(holder, response) for holder, response in found if isinstance(holder, dict)]


def normalize_media_types(doc: dict[str, Any], ctx: PassContext) -> None:
    changed = 0
    dropped: list[str] = []
    for holder, response in _bodies(doc):
        content = holder.get("content")
        if isinstance(content, dict):
            new = _normalize(content, response=response)
            if new is not None:
                if not response:
                    dropped += [str(t) for t in content if not is_json(str(t))]
                holder["content"] = new
                changed += 1
    if changed:
        ctx.note(f"reduced {changed} content map(s) to one JSON or binary media type")
    if dropped:
        ctx.note(f"request bodies also offered as {', '.join(sorted(set(dropped)))} are sent as JSON only")
