"""Readable, unique, stable model class names derived from schema keys (never from ``title``).

The generator names a model after its ``title`` when there is one. Vendor titles collide (both of
Fourthwall's inventory schemas are titled ``Stock``, and the generator then drops both models and the
response) and dotted keys come out unreadable. This pass sets each component schema's ``title`` to a
name computed from its key alone:

1. Java generics (``pkg.OpenApiPageResponseCom.pkg.StockV1``) split into outer and inner names and
   are named by the vendor's ``generics`` template (default ``{outer}{inner}``).
2. Namespaces go: lowercase package segments (``com.fourthwall.openapi.model.``) or, for dotted
   PascalCase keys (``Inventory.InventoryViewModel``), the leading module segment.
3. The vendor's ``rename`` rules (regex substitutions, e.g. drop a ``V1`` suffix) apply.
4. Names that still collide fall back, for the colliding keys only, to the name without the rename
   rules, then to ever more qualified names (``com.acme.support.money.Money`` -> ``SupportMoney``
   next to a plain ``Money``) and finally to the whole key. So a name changes only when a schema
   with the same name is added, never when an unrelated one is.
5. Names already assigned (``specs/<vendor>.names.json``, the committed record ``generate`` keeps;
   see ``pipeline.names``) win: a schema whose key is recorded keeps its name, and only the newly
   added schemas fall back to more qualified names when they collide with it.
6. A name the generated modules already bind (``T``, ``Response``, ``File``...: ``RESERVED``) gets
   a ``Model`` suffix.

Inline schemas lose their ``title`` so the generator names them ``<Parent><Property>``, which is
unique by construction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, TypeGuard

from openapi_python_client.strings import pascal_case

from pipeline.passes._context import PassContext, operations

_GENERIC = re.compile(r"^(?P<outer>[A-Z][A-Za-z0-9]*?)(?P<pkg>[A-Z][a-z0-9]*)$")
_JSON_TYPE_WORDS = {"Object", "Integer", "String", "Number", "Boolean", "Array"}
# Names the generated modules already use (model modules bind ``T = TypeVar("T", bound=...)``; api
# modules import ``Response``, ``Client``...): a schema called ``T`` broke mypy and the import.
RESERVED = frozenset(
    {"T", "Any", "TypeVar", "Mapping", "Unset", "File", "FileTypes", "Response", "Client", "AuthenticatedClient",
     "BinaryIO", "TextIO", "IO", "Literal", "HTTPStatus", "Errors", "UnexpectedStatus", "Sequence"}
)  # fmt: skip


def pascal(text: str) -> str:
    words = re.split(r"[^0-9A-Za-z]+", text)
    name = "".join(w[:1].upper() + w[1:] for w in words if w)
    if not name:
        return "Model"
    return f"Model{name}" if name[0].isdigit() else name


def _split_generic(key: str) -> tuple[str, str] | None:
    """``a.b.OuterCom.x.Inner`` -> (``a.b.Outer``, ``com.x.Inner``) for Java generic instantiations."""
    segments = key.split(".")
    for i in range(len(segments) - 1):
        here, following = segments[i], segments[i + 1]
        if here[:1].isupper() and following[:1].islower():
            match = _GENERIC.match(here)
            if match:
                outer = ".".join([*segments[:i], match["outer"]])
                inner = ".".join([match["pkg"].lower(), *segments[i + 1 :]])
                return outer, inner
    return None


def _local_name(key: str) -> str:
    """The key without its namespace."""
    segments = [s for s in key.split(".") if s]
    if not segments:
        return pascal(key)
    if any(s[:1].islower() for s in segments[:-1]):  # Java/Kotlin package path
        return pascal(segments[-1])
    if len(segments) > 1 and segments[-1] not in _JSON_TYPE_WORDS:
        # .NET-style ``Module.Type``: drop the module; keep deeper qualifiers of a nested name
        return pascal("".join(segments[1:]) if len(segments) > 2 else segments[-1])
    if len(segments) > 1:
        return pascal("".join(segments[1:]))
    return pascal(segments[0])


def base_name(key: str, generics: dict[str, str]) -> str:
    split = _split_generic(key)
    if split is None:
        return _local_name(key)
    outer_key, inner_key = split
    outer, inner = _local_name(outer_key), base_name(inner_key, generics)
    template = generics.get(outer, "{outer}{inner}")
    return pascal(template.format(outer=outer, inner=inner))


def _apply_renames(name: str, rules: list[dict[str, str]]) -> str:
    for rule in rules:
        name = re.sub(rule["pattern"], rule.get("replace", ""), name)
    return pascal(name)


def qualified_name(key: str, depth: int) -> str:
    """The last ``depth`` distinct segments of a dotted key: ``com.acme.support.money.Money``, 2 -> ``SupportMoney``."""
    segments: list[str] = []
    for segment in reversed([s for s in key.split(".") if s]):
        if not segments or segment.lower() != segments[0].lower():
            segments.insert(0, segment)
    return pascal(".".join(segments[-depth:]))


def compute_names(keys: list[str], options: dict[str, Any], recorded: dict[str, str] | None = None) -> dict[str, str]:
    """``{key: class name}``; keys in ``recorded`` keep their recorded name, the others avoid those names."""
    pinned = {key: name for key, name in (recorded or {}).items() if key in set(keys)}
    taken = {name.lower() for name in pinned.values()}
    free = [key for key in keys if key not in pinned]
    names = _compute_free(free, options, taken)
    return {key: pinned.get(key) or names[key] for key in keys}


def _unreserved(name: str) -> str:
    return f"{name}Model" if name in RESERVED else name


def _compute_free(keys: list[str], options: dict[str, Any], taken: set[str]) -> dict[str, str]:
    naming = options.get("naming") or {}
    generics: dict[str, str] = naming.get("generics") or {}
    rules: list[dict[str, str]] = naming.get("rename") or []
    plain = {key: _unreserved(base_name(key, generics)) for key in keys}
    renamed = {key: _unreserved(_apply_renames(name, rules)) for key, name in plain.items()}
    names = dict(renamed)
    deepest = max((len(key.split(".")) for key in keys), default=1)
    qualified = [{key: _unreserved(qualified_name(key, depth)) for key in keys} for depth in range(2, deepest + 1)]
    for fallback in (plain, *qualified, {key: _unreserved(pascal(key)) for key in keys}):
        groups: dict[str, list[str]] = defaultdict(list)
        for key, name in names.items():
            groups[name.lower()].append(key)
        for lowered, colliding in groups.items():
            if len(colliding) > 1 or lowered in taken:
                for key in colliding:
                    names[key] = fallback[key]
    # Keys equal but for case or punctuation (``order`` and ``Order``), or still equal to a recorded
    # name: number them in key order.
    groups = defaultdict(list)
    for key, name in names.items():
        groups[name.lower()].append(key)
    for lowered, group in groups.items():
        colliding = sorted(group)
        start = 0 if lowered in taken else 1
        for index, key in enumerate(colliding[start:], start=2):
            number = index
            while f"{names[key]}{number}".lower() in taken:
                number += 1
            names[key] = f"{names[key]}{number}"
    return names


def _strip_inline_titles(node: Any, *, top: bool) -> None:
    if isinstance(node, dict):
        if (
            not top
            and "title" in node
            and isinstance(node.get("title"), str)
            and ("properties" in node or "enum" in node)
        ):
            del node["title"]
        for key, value in node.items():
            if key in ("example", "examples", "default", "enum", "const"):
                continue
            _strip_inline_titles(value, top=False)
    elif isinstance(node, list):
        for value in node:
            _strip_inline_titles(value, top=False)


def _is_inline_class(schema: Any) -> TypeGuard[dict[str, Any]]:
    """Whether the generator makes a class of its own for this inline schema."""
    return isinstance(schema, dict) and "$ref" not in schema and ("properties" in schema or "enum" in schema)


def _untangle_inline_names(schema: Any, class_name: str, taken: set[str]) -> int:
    """Title inline classes whose generated name (``<Parent><Property>``) is a component's name.

    The generator names an inline object or enum after its parent class and property (array items
    add ``Item``); when a component schema already has that name it drops the parent model. Such an
    inline class gets a title, which the generator uses instead: ``<Parent><Property>Inline``.
    """
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return 0
    fixed = 0
    for prop, sub in schema["properties"].items():
        for child, suffix in ((sub, ""), (sub.get("items") if isinstance(sub, dict) else None, "_item")):
            if not _is_inline_class(child):
                continue
            title = f"{prop}{suffix}"
            name = pascal_case(class_name) + pascal_case(title)
            if name.lower() in taken:
                title = f"{title}_inline"
                child["title"] = title
                name = pascal_case(class_name) + pascal_case(title)
                fixed += 1
            fixed += _untangle_inline_names(child, name, taken)
    return fixed


def _operation_inline_schemas(op: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """``(inline schema, the name the generator gives it before the operation's name)`` per operation."""
    found: list[tuple[Any, str]] = []
    for status, response in (op.get("responses") or {}).items():
        for media in ((response.get("content") or {}) if isinstance(response, dict) else {}).values():
            schema = media.get("schema") if isinstance(media, dict) else None
            found.append((schema, f"response_{status}"))
            found.append((schema.get("items") if isinstance(schema, dict) else None, f"response_{status}_item"))
    body = op.get("requestBody")
    for media in ((body.get("content") or {}) if isinstance(body, dict) else {}).values():
        found.append((media.get("schema") if isinstance(media, dict) else None, "body"))
    for param in op.get("parameters") or []:
        if isinstance(param, dict) and "name" in param:
            found.append((param.get("schema"), str(param["name"])))
    return [(schema, title) for schema, title in found if _is_inline_class(schema)]


def _untangle_operation_names(doc: dict[str, Any], taken: set[str]) -> int:
    """Like ``_untangle_inline_names`` for inline responses, bodies and parameter enums of operations."""
    fixed = 0
    for _, _, op in operations(doc):
        prefix = pascal_case(str(op.get("operationId", "")))
        for schema, default in _operation_inline_schemas(op):
            title = default
            if (prefix + pascal_case(default)).lower() in taken:
                title = schema["title"] = f"{default}_inline"
                fixed += 1
            fixed += _untangle_inline_names(schema, prefix + pascal_case(title), taken)
    return fixed


def assign_model_names(doc: dict[str, Any], ctx: PassContext) -> None:
    schemas = (doc.get("components") or {}).get("schemas") or {}
    if not isinstance(schemas, dict):
        return
    for schema in schemas.values():
        _strip_inline_titles(schema, top=True)
    for path_item in (doc.get("paths") or {}).values():
        _strip_inline_titles(path_item, top=False)
    names = compute_names([str(k) for k in schemas], ctx.options, ctx.recorded_names)
    ctx.assigned_names.update(names)
    final: dict[str, str] = {}
    for key, schema in schemas.items():
        name = names[str(key)]
        if name.lower() in final:
            raise ctx.fail(f"schemas {final[name.lower()]!r} and {key!r} both map to model name {name!r}")
        final[name.lower()] = str(key)
        if isinstance(schema, dict) and "$ref" not in schema:
            schema["title"] = name
    untangled = sum(_untangle_inline_names(schema, names[str(key)], set(final)) for key, schema in schemas.items())
    untangled += _untangle_operation_names(doc, set(final))
    if untangled:
        ctx.note(f"renamed {untangled} inline class(es) whose generated name is a component schema's")
    ctx.note(f"named {len(schemas)} component schema(s) from their keys")
