"""Find every schema object in an OpenAPI document, wherever it sits.

Passes that repair schemas (type typos, enum names, property names) need them all: component
schemas, parameter and header schemas, request and response bodies, and everything nested below
(properties, items, compositions). Example: ``for where, schema in walk_schemas(doc): ...``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipeline.passes._context import operations

Schema = dict[str, Any]
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_ONE = ("items", "not", "additionalProperties", "contains", "propertyNames", "if", "then", "else")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions")


def _escape(key: object) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _below(schema: Schema, where: str) -> Iterator[tuple[str, Schema]]:
    for key in _SUBSCHEMA_ONE:
        value = schema.get(key)
        if isinstance(value, dict):
            yield f"{where}/{key}", value
    for key in _SUBSCHEMA_LISTS:
        value = schema.get(key)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield f"{where}/{key}/{index}", item
    for key in _SUBSCHEMA_MAPS:
        value = schema.get(key)
        if isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, dict):
                    yield f"{where}/{key}/{_escape(name)}", item


def _content_schemas(content: Any, where: str) -> Iterator[tuple[str, Schema]]:
    if isinstance(content, dict):
        for media_type, media in content.items():
            if isinstance(media, dict) and isinstance(media.get("schema"), dict):
                yield f"{where}/content/{_escape(media_type)}/schema", media["schema"]


def _parameter_like(holder: Any, where: str) -> Iterator[tuple[str, Schema]]:
    """Schemas of a parameter or a header object."""
    if isinstance(holder, dict):
        if isinstance(holder.get("schema"), dict):
            yield f"{where}/schema", holder["schema"]
        yield from _content_schemas(holder.get("content"), where)


def _response(response: Any, where: str) -> Iterator[tuple[str, Schema]]:
    if isinstance(response, dict):
        yield from _content_schemas(response.get("content"), where)
        for name, header in (response.get("headers") or {}).items():
            yield from _parameter_like(header, f"{where}/headers/{_escape(name)}")


def _component_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, Schema]]:
    components = doc.get("components") or {}
    for name, schema in (components.get("schemas") or {}).items():
        if isinstance(schema, dict):
            yield f"#/components/schemas/{_escape(name)}", schema
    for name, param in (components.get("parameters") or {}).items():
        yield from _parameter_like(param, f"#/components/parameters/{_escape(name)}")
    for name, header in (components.get("headers") or {}).items():
        yield from _parameter_like(header, f"#/components/headers/{_escape(name)}")
    for name, response in (components.get("responses") or {}).items():
        yield from _response(response, f"#/components/responses/{_escape(name)}")
    for name, body in (components.get("requestBodies") or {}).items():
        if isinstance(body, dict):
            yield from _content_schemas(body.get("content"), f"#/components/requestBodies/{_escape(name)}")


def _path_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, Schema]]:
    for path, item in (doc.get("paths") or {}).items():
        if isinstance(item, dict):
            for index, param in enumerate(item.get("parameters") or []):
                yield from _parameter_like(param, f"#/paths/{_escape(path)}/parameters/{index}")
    for path, method, op in operations(doc):
        where = f"#/paths/{_escape(path)}/{method}"
        for index, param in enumerate(op.get("parameters") or []):
            yield from _parameter_like(param, f"{where}/parameters/{index}")
        body = op.get("requestBody")
        if isinstance(body, dict):
            yield from _content_schemas(body.get("content"), f"{where}/requestBody")
        for status, response in (op.get("responses") or {}).items():
            yield from _response(response, f"{where}/responses/{_escape(status)}")


def top_level_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, Schema]]:
    """Schemas that are not nested in another schema, with their JSON pointer."""
    yield from _component_schemas(doc)
    yield from _path_schemas(doc)


def walk_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, Schema]]:
    """Every schema object (top-level and nested, depth first) with its JSON pointer; each one once."""
    seen: set[int] = set()
    stack = list(reversed(list(top_level_schemas(doc))))
    while stack:
        where, schema = stack.pop()
        if id(schema) in seen:
            continue
        seen.add(id(schema))
        yield where, schema
        stack.extend(reversed(list(_below(schema, where))))
