"""Coverage of a generated client, from the generator's own parse result: nothing dropped, nothing silently ``Any``.

The generator's habit is to drop what it cannot handle and exit 0, so after generation every
operation must have a function, keep its declared parameters, and every 2xx JSON response whose
schema declares a shape must have a typed parser. *Typed* means ``Any`` is not the whole type: not
``Any``, and not a union whose members other than ``None`` are all ``Any`` (what the generator makes
of an enum mixing strings, numbers and null: ``Response[Any | None]``).

A response declares a shape when its schema has one in the vendored spec (``declared_shapes``,
recorded before the passes run) or in the prepared spec: a pass that reduces a schema to
"anything" (an enum of mixed values becomes its documentation) must not hide it from this check.

Example: ``check_coverage(prepared, openapi, config.field_prefix, fail)`` -> ``(typed responses, operations)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from pipeline.errors import PipelineError
from pipeline.passes._context import operations
from pipeline.passes.refs import resolve_pointer

if TYPE_CHECKING:
    from pipeline.prepare import Prepared

# A schema with any of these keys says what the value is; one without them (``{}``, a description) means "anything".
_SCHEMA_SHAPE_KEYS = ("type", "$ref", "properties", "items", "allOf", "anyOf", "oneOf", "enum", "const")

Response = tuple[str, str, str]  # (path, method, status)


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", maxsplit=1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _declares_shape(schema: Any) -> bool:
    return isinstance(schema, dict) and any(key in schema for key in _SCHEMA_SHAPE_KEYS)


def resolved(doc: dict[str, Any], node: Any) -> Any:
    """``node``, or what its ``$ref`` points at (``None`` when it points at nothing)."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        try:
            return resolve_pointer(doc, node["$ref"])
        except KeyError:
            return None
    return node


def _shaped(doc: dict[str, Any], op: dict[str, Any]) -> Iterator[str]:
    responses = op.get("responses")
    for status, declared in responses.items() if isinstance(responses, dict) else ():
        response = resolved(doc, declared)
        if not str(status).startswith("2") or not isinstance(response, dict):
            continue
        content = response.get("content")
        if any(
            _is_json(str(media_type)) and isinstance(media, dict) and _declares_shape(media.get("schema"))
            for media_type, media in (content.items() if isinstance(content, dict) else ())
        ):
            yield str(status)


def declared_shapes(doc: dict[str, Any]) -> frozenset[Response]:
    """Every ``(path, method, status)`` whose 2xx JSON response declares a shape in ``doc``.

    >>> doc = {"paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"enum": ["a", 1]}}}}, "204": {}}}}}}
    >>> sorted(declared_shapes(doc))
    [('/a', 'get', '200')]
    """  # noqa: E501
    return frozenset((path, method, status) for path, method, op in operations(doc) for status in _shaped(doc, op))


def untyped(prop: Any) -> bool:
    """Whether a generator property is ``Any`` as a whole: ``Any``, or a union of only ``Any`` and ``None``."""
    from openapi_python_client.parser.properties import AnyProperty
    from openapi_python_client.parser.properties.none import NoneProperty
    from openapi_python_client.parser.properties.union import UnionProperty

    if isinstance(prop, AnyProperty):
        return True
    if isinstance(prop, UnionProperty):
        members = [p for p in prop.inner_properties if not isinstance(p, NoneProperty)]
        return all(untyped(p) for p in members)
    return False


def _declared_parameters(doc: dict[str, Any], path: str, op: dict[str, Any]) -> set[tuple[str, str]]:
    """``(name, location)`` of every parameter of an operation, path-level ones included."""
    declared = set()
    for declared_param in [
        *((doc.get("paths") or {}).get(path, {}).get("parameters") or []),
        *(op.get("parameters") or []),
    ]:
        param = resolved(doc, declared_param)
        if isinstance(param, dict) and "name" in param and "in" in param:
            declared.add((str(param["name"]), str(param["in"])))
    return declared


def _generated_parameters(endpoint: Any) -> set[tuple[str, str]]:
    def name(prop: Any) -> str:
        return str(prop.name.get_untrusted_value() if hasattr(prop.name, "get_untrusted_value") else prop.name)

    return {
        (name(prop), where)
        for where in ("query", "path", "header", "cookie")
        for prop in getattr(endpoint, f"{where}_parameters")
    }


def function_name(op: dict[str, Any], field_prefix: str) -> str:
    """The name the generator gives an operation's module and endpoint (its ``operationId``, as an identifier)."""
    from openapi_python_client.strings import PythonIdentifier

    return str(PythonIdentifier(str(op.get("operationId")), field_prefix))


def spec_endpoints(doc: dict[str, Any], field_prefix: str) -> dict[str, str]:
    """``{function name: "METHOD path"}`` with the path as the spec writes it (``{orderId}``, not ``{order_id}``)."""
    return {function_name(op, field_prefix): f"{method.upper()} {path}" for path, method, op in operations(doc)}


def _pointer(path: str, method: str, status: str) -> str:
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + f"/{method}/responses/{status}"


def check_coverage(
    prepared: Prepared, openapi: Any, field_prefix: str, fail: Callable[[str], PipelineError]
) -> tuple[int, list[tuple[str, str, dict[str, Any]]]]:
    """``(typed 2xx responses, operations)``; raise naming each operation that was dropped or went untyped."""
    endpoints = {
        str(ep.name): ep for collection in openapi.endpoint_collections_by_tag.values() for ep in collection.endpoints
    }
    shaped: dict[tuple[str, str], set[str]] = {}
    for path, method, status in declared_shapes(prepared.document) | prepared.declared_shapes:
        shaped.setdefault((path, method), set()).add(status)
    typed = 0
    problems = []
    ops = list(operations(prepared.document))
    for path, method, op in ops:
        where = f"{method.upper()} {path}"
        endpoint = endpoints.get(function_name(op, field_prefix))
        if endpoint is None:
            problems.append(f"{where}: no function was generated")
            continue
        missing = sorted(_declared_parameters(prepared.document, path, op) - _generated_parameters(endpoint))
        problems += [f"{where}: {kind} parameter {name!r} was dropped" for name, kind in missing]
        for status in sorted(shaped.get((path, method), ())):
            parsed = [r for r in endpoint.responses if r.status_code.pattern == status]
            made = (
                "no parser" if not parsed else "generated as " + parsed[0].prop.get_type_string().as_unembedded_code()
            )
            if not parsed or untyped(parsed[0].prop):
                at = _pointer(path, method, status)
                problems.append(f"{where}: {status} JSON response is not typed ({made}) at {at}")
            else:
                typed += 1
    if problems:
        raise fail("incomplete client: " + "; ".join(problems))
    return typed, ops
