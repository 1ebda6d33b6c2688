"""Make every component reachable by the generator: plain component keys and plain ``$ref`` strings.

JSON Pointers in ``$ref`` may be percent-encoded (``Page%C2%ABOrder%C2%BB``, as springfox writes them)
and keys may hold ``/`` or ``~`` (escaped ``~1``/``~0``). Both are valid OpenAPI; the generator looks
keys up verbatim, cannot find them, and drops the response or model that refers to them. Here
component keys holding ``/``, ``~`` or ``%`` get those characters replaced by ``_``, and every
``$ref`` to a component is rewritten in its decoded, unescaped form.

Example: ``$ref: "#/components/schemas/a~1b"`` -> key ``a_b``, ``$ref: "#/components/schemas/a_b"``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from pipeline.passes._context import PassContext

_UNSAFE = re.compile(r"[/~%]")
_COMPONENT_REF = re.compile(r"^#/components/(?P<kind>[^/]+)/(?P<name>[^/]+)(?P<rest>(/.*)?)$")


def _decode(name: str, known: set[str]) -> str:
    """The key ``name`` (a pointer segment) means: unescaped, and percent-decoded unless taken literally."""
    plain = name.replace("~1", "/").replace("~0", "~")
    if plain in known:
        return plain
    return unquote(name).replace("~1", "/").replace("~0", "~")


def _safe_keys(components: dict[str, Any]) -> dict[tuple[str, str], str]:
    renamed: dict[tuple[str, str], str] = {}
    for kind, items in components.items():
        if not isinstance(items, dict):
            continue
        for key in [k for k in items if _UNSAFE.search(str(k))]:
            new = _UNSAFE.sub("_", str(key))
            while new in items:
                new += "_"
            items[new] = items.pop(key)
            renamed[(kind, str(key))] = new
    return renamed


def _rewrite(node: Any, components: dict[str, Any], renamed: dict[tuple[str, str], str]) -> int:
    changed = 0
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            match = _COMPONENT_REF.match(ref) if isinstance(ref, str) else None
            if match:
                kind = match["kind"]
                items = components.get(kind)
                known = {str(k) for k in items} if isinstance(items, dict) else set()
                known |= {old for (k, old) in renamed if k == kind}  # keys as they were before renaming
                name = _decode(match["name"], known)
                name = renamed.get((kind, name), name)
                new = f"#/components/{kind}/{name}{match['rest']}"
                if new != ref:
                    current["$ref"] = new
                    changed += 1
            stack.extend(v for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend(v for v in current if isinstance(v, dict | list))
    return changed


def canonical_component_refs(doc: dict[str, Any], ctx: PassContext) -> None:
    components = doc.get("components")
    if not isinstance(components, dict):
        return
    renamed = _safe_keys(components)
    changed = _rewrite(doc, components, renamed)
    if renamed:
        ctx.note(f"renamed {len(renamed)} component key(s) holding '/', '~' or '%'")
    if changed:
        ctx.note(f"rewrote {changed} encoded $ref(s) in plain form")
