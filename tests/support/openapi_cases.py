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
import functools
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import httpx
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from pipeline.loading import load_document
from pipeline.prepare import prepare
from pipeline.vendors import vendors

__all__ = ["OPENAPI_STRING_FORMATS", "ResponseCase", "openapi_to_json_schema", "response_cases"]

REPO = Path(__file__).resolve().parents[2]
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


def _json_2xx(raw: dict[str, Any]) -> Iterator[tuple[str, str, int, Any]]:
    """``(path, method, status, schema)`` for each 2xx response with a JSON schema in ``raw``."""
    for path, item in raw["paths"].items():
        for method in _METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            for status, response in (operation or {}).get("responses", {}).items():
                content = _resolve(response, raw).get("content") or {}
                schemas = [m["schema"] for t, m in content.items() if _is_json(t) and "schema" in m]
                if str(status).startswith("2") and schemas:
                    yield path, method, int(str(status).upper().replace("X", "0")), schemas[0]


def response_cases(root: Path = REPO) -> list[ResponseCase]:
    """Every (operation, 2xx status) with a JSON schema, across all vendored specs, in a stable order."""
    cases: list[ResponseCase] = []
    for vendor in vendors(root):
        raw = load_document(vendor.spec, vendor=vendor.name)
        prepared = prepare(vendor).document
        components = copy.deepcopy(raw.get("components", {}).get("schemas", {}))
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
