"""Every ``$ref`` must point at something in the same document.

The generator reports a dangling ref as a warning and drops the model that holds it (and every model
and response that depends on that one); we stop with the ref and where it was found instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from pipeline.passes._context import PassContext


def resolve_pointer(doc: Any, ref: str) -> Any:
    """The node ``ref`` (``#/a/b``) points at; ``KeyError`` if there is none."""
    node = doc
    for raw in ref[2:].split("/") if ref != "#" else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part not in node:
            # a URI fragment may be percent-encoded (RFC 6901, section 6): ``Page%C2%ABOrder%C2%BB``
            part = unquote(raw).replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise KeyError(ref)
    return node


def iter_refs(node: Any, where: str = "#") -> list[tuple[str, str]]:
    """All ``(ref, location)`` pairs below ``node``."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[Any, str]] = [(node, where)]
    while stack:
        current, loc = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str):
                found.append((ref, loc))
            for key, value in current.items():
                if isinstance(value, dict | list):
                    stack.append((value, f"{loc}/{str(key).replace('~', '~0').replace('/', '~1')}"))
        elif isinstance(current, list):
            for index, value in enumerate(current):
                if isinstance(value, dict | list):
                    stack.append((value, f"{loc}/{index}"))
    return sorted(found, key=lambda pair: pair[1])


def check_references(doc: dict[str, Any], ctx: PassContext) -> None:
    problems = []
    for ref, loc in iter_refs(doc):
        if not ref.startswith("#"):
            problems.append(f"{loc}: external $ref {ref!r} is not supported (vendor a bundled spec)")
            continue
        try:
            resolve_pointer(doc, ref)
        except KeyError:
            problems.append(f"{loc}: $ref {ref!r} points at nothing in the spec")
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise ctx.fail(f"{len(problems)} unresolvable reference(s): {shown}")
