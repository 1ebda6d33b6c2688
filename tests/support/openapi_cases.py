"""Every JSON 2xx response of every vendored spec, as a JSON Schema plus the generated code that parses it.

The property tests iterate these generically, so a new operation or a new vendor is covered without
editing a test. The schema comes from the RAW vendored spec (what the vendor promises to send); the
generated module is found through the prepared spec's ``operationId`` (what the generator saw).

    for case in response_cases():
        strategy = case.bodies()
        parsed = case.parse(200, body)
"""

from __future__ import annotations

import base64
import copy
import datetime
import enum
import functools
import importlib
import inspect
import pkgutil
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import httpx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from openapi_python_client.strings import PythonIdentifier

from pipeline.loading import load_document
from pipeline.prepare import prepare
from pipeline.vendors import Vendor, vendors
from tests.support.paths import REPO

__all__ = [
    "EXAMPLES",
    "OPENAPI_STRING_FORMATS",
    "SAMPLED",
    "OperationCase",
    "ResponseCase",
    "call_arguments",
    "minimal_instance",
    "openapi_to_json_schema",
    "operation_case_for",
    "operation_cases",
    "response_cases",
]


# How the property tests sample each response case: ``EXAMPLES`` bodies, derandomized (the same on every run and
# machine, so a failure reproduces), no example database; building a big schema's strategy is what costs.
EXAMPLES = 2
SAMPLED = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_COMPONENTS = "#/components/schemas/"
# Keywords that only OpenAPI gives meaning to; JSON Schema tools must not see them as constraints.
_OPENAPI_ONLY = frozenset({"discriminator", "xml", "externalDocs", "example", "nullable", "readOnly", "writeOnly"})

# String formats OpenAPI uses that hypothesis-jsonschema does not know (it rejects unknown ones, which
# is what we want: a new format in a spec then fails loudly here instead of being ignored).
OPENAPI_STRING_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "uuid": st.uuids().map(str),
    "byte": st.binary(max_size=32).map(lambda b: base64.b64encode(b).decode()),
    "binary": st.text(max_size=32),
    "password": st.text(max_size=32),
    "int32": st.integers(-(2**31), 2**31 - 1).map(str),
    "int64": st.integers(-(2**63), 2**63 - 1).map(str),
}


# A component reached again through itself (ShipBob ``TaxonomyViewModel.parent``) is inlined this many
# times; below that the reference becomes ``{"not": {}}`` (no value): optional properties are then
# left out and arrays stay empty. hypothesis-jsonschema cannot resolve recursive references at all.
RECURSION_DEPTH = 2


_INTEGER_BOUNDS = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def openapi_to_json_schema(schema: Any, components: dict[str, Any]) -> dict[str, Any]:
    """A standalone JSON Schema for an OpenAPI schema: only the components it reaches, inlined.

    3.0 ``nullable`` becomes a type; recursion is cut at ``RECURSION_DEPTH``. Inlining only what a
    response reaches keeps hypothesis-jsonschema fast on specs with hundreds of components.
    """
    converted = _inline(_convert(schema), {name: _convert(s) for name, s in components.items()}, ())
    if not isinstance(converted, dict):
        raise TypeError(f"response schema is {type(converted).__name__}, expected an object")
    return converted


def _inline(node: Any, components: dict[str, Any], stack: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, components, stack) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.removeprefix("#/$defs/")
        if stack.count(name) >= RECURSION_DEPTH:
            return {"not": {}}
        target = _inline(components[name], components, (*stack, name))
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return {**siblings, **target} if isinstance(target, dict) else target
    return {k: v if k in ("enum", "const", "default", "examples") else _inline(v, components, stack)
            for k, v in node.items()}  # fmt: skip


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _convert(v) for k, v in node.items() if k not in _OPENAPI_ONLY and not k.startswith("x-")}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith(_COMPONENTS):
        out["$ref"] = "#/$defs/" + ref.removeprefix(_COMPONENTS)
    bounds = _INTEGER_BOUNDS.get(str(node.get("format", ""))) if node.get("type") in ("integer", "number") else None
    if bounds:  # JSON Schema does not enforce numeric formats; the spec's int32 is a real limit
        out.setdefault("minimum", bounds[0])
        out.setdefault("maximum", bounds[1])
    if node.get("nullable") is True:
        if isinstance(out.get("type"), str):
            out["type"] = [out["type"], "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
    return out


@attrs.frozen(kw_only=True)
class ResponseCase:
    """One (operation, 2xx status) pair with a JSON body."""

    vendor: str
    package: str
    method: str
    path: str
    status: int
    operation_id: str
    schema: dict[str, Any] = attrs.field(eq=False, repr=False)

    @property
    def id(self) -> str:
        return f"{self.vendor}:{self.method.upper()} {self.path} {self.status}"

    def bodies(self) -> st.SearchStrategy[Any]:
        """Spec-valid bodies for this response (the strategy is built once per case)."""
        return _strategy(self)

    @property
    def module(self) -> ModuleType:
        """The generated endpoint module for this operation."""
        return _operation_modules(self.package)[self.operation_id]

    def parse(self, body: bytes | Any, *, status: int | None = None) -> Any:
        """Run the generated client's response parsing on ``body`` (JSON value, or raw bytes)."""
        client_module = importlib.import_module(f"{self.package}.client")
        client = client_module.Client(base_url="http://127.0.0.1")
        content = body if isinstance(body, bytes) else None
        response = httpx.Response(
            status or self.status,
            content=content,
            json=None if content is not None else body,
            headers={"content-type": "application/json"},
        )
        # The generated module's own parsing step: exactly what its sync()/asyncio() run on a response.
        return self.module._parse_response(client=client, response=response)


@functools.cache
def _strategy(case: ResponseCase) -> st.SearchStrategy[Any]:
    return from_schema(case.schema, custom_formats=OPENAPI_STRING_FORMATS)


@functools.cache
def _operation_modules(package: str) -> dict[str, ModuleType]:
    api = importlib.import_module(f"{package}.api")
    modules: dict[str, ModuleType] = {}
    for info in pkgutil.walk_packages(api.__path__, prefix=f"{api.__name__}."):
        if not info.ispkg:
            module = importlib.import_module(info.name)
            modules[info.name.rsplit(".", 1)[1]] = module
    return modules


def _is_json(media_type: str) -> bool:
    kind = media_type.split(";", 1)[0].strip().lower()
    return kind in ("application/json", "text/json") or kind.endswith("+json")


def _resolve(node: Any, document: dict[str, Any]) -> Any:
    """Follow a local ``$ref`` (say ``#/components/responses/X``) to the node it names."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
        for part in node["$ref"][2:].split("/"):
            node = document[part.replace("~1", "/").replace("~0", "~")]
    return node


def _operations(raw: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """``(path, method, path item, operation)`` for each operation in ``raw``, in spec order."""
    for path, item in raw["paths"].items():
        for method in _METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict):
                yield path, method, item, operation


def _json_schemas(content: dict[str, Any]) -> list[Any]:
    """The schemas of a ``content`` map's JSON media types, in order."""
    return [m["schema"] for t, m in content.items() if _is_json(t) and "schema" in m]


def _json_2xx(raw: dict[str, Any]) -> Iterator[tuple[str, str, int, Any]]:
    """``(path, method, status, schema)`` for each 2xx response with a JSON schema in ``raw``."""
    for path, method, _item, operation in _operations(raw):
        for status, response in operation.get("responses", {}).items():
            schemas = _json_schemas(_resolve(response, raw).get("content") or {})
            if str(status).startswith("2") and schemas:
                yield path, method, int(str(status).upper().replace("X", "0")), schemas[0]


def _vendor_specs(root: Path) -> Iterator[tuple[Vendor, dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """``(vendor, raw spec, prepared spec, copy of the raw component schemas)`` for each vendor below ``root``."""
    for vendor in vendors(root):
        raw = load_document(vendor.spec, vendor=vendor.name)
        yield vendor, raw, prepare(vendor).document, copy.deepcopy(raw.get("components", {}).get("schemas", {}))


def response_cases(root: Path = REPO) -> list[ResponseCase]:
    """Every (operation, 2xx status) with a JSON schema, across all vendored specs, in a stable order."""
    cases: list[ResponseCase] = []
    for vendor, raw, prepared, components in _vendor_specs(root):
        for path, method, status, schema in _json_2xx(raw):
            try:
                operation_id = prepared["paths"][path][method]["operationId"]
            except KeyError as err:
                raise LookupError(f"{vendor.name}: {method.upper()} {path} is not in the prepared spec") from err
            cases.append(
                ResponseCase(
                    vendor=vendor.name,
                    package=vendor.package,
                    method=method,
                    path=path,
                    status=status,
                    operation_id=operation_id,
                    schema=openapi_to_json_schema(schema, components),
                )
            )
    return cases


# --- operations: every operation with deterministic, spec-valid arguments ---------------------------

# Minimal values per string format; Prism checks formats, so a plain "x" would break `uuid`/`date-time`.
_FORMAT_VALUES: dict[str, Any] = {
    "uuid": "00aa4abd-5778-4199-8161-0b49b2f212e5",
    "date-time": "2026-01-02T03:04:05Z",
    "date": "2026-01-02",
    "email": "shop@example.com",
    "uri": "https://example.com/x",
    "url": "https://example.com/x",
    "ipv4": "127.0.0.1",
}


def minimal_instance(schema: Any) -> Any:
    """The smallest deterministic value valid against ``schema`` (a ``openapi_to_json_schema`` result).

    Objects get their required properties only, arrays ``minItems`` items, ``oneOf``/``anyOf`` their
    first member, ``enum`` its first non-null value, numbers their minimum (or 1).
    """
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list):
        return next((v for v in schema["enum"] if v is not None), None)
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    for key in ("oneOf", "anyOf"):
        if isinstance(schema.get(key), list) and schema[key]:
            members = [m for m in schema[key] if not (isinstance(m, dict) and m.get("type") == "null")]
            return minimal_instance(members[0] if members else schema[key][0])
    if isinstance(schema.get("allOf"), list):
        properties, required = _object_parts(schema)
        return {name: minimal_instance(properties.get(name, {"type": "string"})) for name in required}
    types = schema.get("type")
    kind = next((t for t in types if t != "null"), "null") if isinstance(types, list) else types
    if kind is None and ("properties" in schema or "required" in schema):
        kind = "object"
    if kind == "object":
        properties = schema.get("properties") or {}
        return {name: minimal_instance(properties.get(name, {"type": "string"})) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal_instance(schema.get("items", {})) for _ in range(int(schema.get("minItems", 0)))]
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0)) or 0
        value = max(1, int(low) + (1 if "exclusiveMinimum" in schema else 0))
        return value if kind == "integer" else float(value)
    if kind == "boolean":
        return True
    if kind == "string":
        text = _FORMAT_VALUES.get(str(schema.get("format", "")), "x")
        if schema.get("format") in ("int32", "int64"):
            text = "1"  # .NET numbers typed as strings
        return text + "x" * max(0, int(schema.get("minLength", 0)) - len(text))
    return None


def _object_parts(schema: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Properties and required names of an object schema, merged through (nested) ``allOf`` members."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for member in [schema, *(m for m in schema.get("allOf", []) if isinstance(m, dict))]:
        if member is not schema and "allOf" in member:
            inner_properties, inner_required = _object_parts(member)
        else:
            inner_properties, inner_required = member.get("properties") or {}, member.get("required") or []
        for name, value in inner_properties.items():
            # a later member narrows an inherited property (`const` beside the base's `type: string`)
            properties[name] = {**properties.get(name, {}), **value} if isinstance(value, dict) else value
        required += [name for name in inner_required if name not in required]
    return properties, required


@attrs.frozen(kw_only=True)
class OperationCase:
    """One operation of a vendored spec, with what a call needs: raw parameters, body schema, 2xx JSON."""

    vendor: str
    package: str
    method: str
    path: str
    operation_id: str
    parameters: tuple[tuple[str, str, bool, Any], ...] = attrs.field(eq=False, repr=False)  # name, in, required, schema
    body_schema: Any = attrs.field(eq=False, repr=False)  # None: no (required) JSON body
    json_2xx: bool = False
    # how a call may authenticate per the operation's `security`: "bearer" (OAuth2/bearer), "basic", "none"
    auth: str = "bearer"

    @property
    def id(self) -> str:
        return f"{self.vendor}:{self.method.upper()} {self.path}"

    @property
    def module(self) -> ModuleType:
        return _operation_modules(self.package)[self.operation_id]


def operation_cases(root: Path = REPO) -> list[OperationCase]:
    """Every operation of every vendored spec, in a stable order (raw spec facts + generated module)."""
    cases: list[OperationCase] = []
    for vendor, raw, prepared, components in _vendor_specs(root):
        json_2xx = {(path, method) for path, method, _status, _schema in _json_2xx(raw)}
        for path, method, item, operation in _operations(raw):
            parameters = []
            for declared in [*item.get("parameters", []), *operation.get("parameters", [])]:
                param = _resolve(declared, raw)
                schema = openapi_to_json_schema(param.get("schema", {"type": "string"}), components)
                parameters.append((param["name"], param["in"], bool(param.get("required")), schema))
            body = _resolve(operation.get("requestBody"), raw) if operation.get("requestBody") else None
            body_schema = None
            if isinstance(body, dict):
                content = body.get("content") or {}
                schemas = _json_schemas(content)
                if schemas:
                    body_schema = openapi_to_json_schema(schemas[0], components)
            cases.append(
                OperationCase(
                    auth=_auth(raw, operation),
                    vendor=vendor.name,
                    package=vendor.package,
                    method=method,
                    path=path,
                    operation_id=prepared["paths"][path][method]["operationId"],
                    parameters=tuple(parameters),
                    body_schema=body_schema,
                    json_2xx=(path, method) in json_2xx,
                )
            )
    return cases


def _auth(raw: dict[str, Any], operation: dict[str, Any]) -> str:
    schemes = raw.get("components", {}).get("securitySchemes", {})
    requirements = operation.get("security", raw.get("security"))
    if not requirements:
        return "bearer"  # no security declared: the client's bearer header is what the vendor wants
    kinds = set()
    for requirement in requirements:
        for name in requirement:
            scheme = schemes.get(name, {})
            bearer = scheme.get("type") == "oauth2" or scheme.get("scheme", "").lower() == "bearer"
            kinds.add("bearer" if bearer else scheme.get("scheme", "").lower() or "none")
    return "bearer" if "bearer" in kinds else "basic" if "basic" in kinds else "none"


def operation_case_for(case: ResponseCase) -> OperationCase:
    """The ``OperationCase`` of a response case's operation."""
    return _operation_index()[case.vendor, case.method, case.path]


@functools.cache
def _operation_index() -> dict[tuple[str, str, str], OperationCase]:
    return {(c.vendor, c.method, c.path): c for c in operation_cases()}


# --- spec-valid arguments for a generated function -------------------------------------------------


def _members(hint: Any) -> list[Any]:
    """The alternatives of a union annotation without ``Unset``/``None``; ``[hint]`` otherwise."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return [m for m in typing.get_args(hint) if m is not type(None) and getattr(m, "__name__", "") != "Unset"]
    return [hint]


def to_python(hint: Any, value: Any) -> Any:
    """``value`` (JSON) as the generated function's annotation ``hint`` wants it."""
    problems = []
    fits = []
    for member in _members(hint):
        try:
            fits.append(_to_member(member, value))
        except (TypeError, ValueError, KeyError, AttributeError) as err:
            problems.append(err)
    # a oneOf without discriminator: the member that takes every field (nothing left over) is meant
    exact = [fit for fit in fits if not getattr(fit, "additional_properties", None)]
    if exact or fits:
        return (exact or fits)[0]
    raise TypeError(f"{value!r} fits none of {hint}: {problems}")


def _to_member(member: Any, value: Any) -> Any:
    if typing.get_origin(member) is list:
        (item,) = typing.get_args(member)
        return [to_python(item, v) for v in value]
    if isinstance(member, type) and issubclass(member, enum.Enum):
        return member(value)
    if hasattr(member, "from_dict"):
        if not isinstance(value, dict):
            raise TypeError(f"{member.__name__} needs an object")
        return member.from_dict(value)
    if member is datetime.datetime:
        return datetime.datetime.fromisoformat(value)
    if member is datetime.date:
        return datetime.date.fromisoformat(value)
    if member is int and isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)  # a number the raw spec types as a string (ShipBob ids): the client takes an int
    if member in (int, float, str, bool) and isinstance(value, member):
        return value
    if member is typing.Any or member is object:
        return value
    raise TypeError(f"cannot make {member} from {value!r}")


def call_arguments(case: OperationCase, function: Callable[..., Any]) -> tuple[list[Any], dict[str, Any]]:
    """Positional (path) and keyword arguments for a spec-valid call of ``function``."""
    hints = typing.get_type_hints(function)
    by_python_name = {
        str(PythonIdentifier(name, "field")): (required, schema) for name, _, required, schema in case.parameters
    }
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name == "client":
            continue
        if name == "body":
            kwargs["body"] = to_python(hints["body"], minimal_instance(case.body_schema))
            continue
        if name not in by_python_name:  # added by an overlay (Fourthwall page/size): optional
            assert parameter.default is not inspect.Parameter.empty, f"{case.id}: {name} is not in the raw spec"
            continue
        required, schema = by_python_name[name]
        if not required and parameter.default is not inspect.Parameter.empty:
            continue
        value = to_python(hints[name], minimal_instance(schema))
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            args.append(value)
        else:
            kwargs[name] = value
    return args, kwargs
