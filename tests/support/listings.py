"""Every list operation of the vendored specs, found from the spec alone, and a server that plays each one.

A list operation is found by what its spec declares for the 200 answer, independently of the facade's own rule
(``facade.pagination.scheme_for``), so the test of that rule is not the rule checking itself:

- ``page_wrapper``: an object with ``results`` (array) and ``totalPages`` (Fourthwall);
- ``links``: an object with an ``items`` or ``data`` array and a ``next`` string (ShipBob dated versions);
- ``header_pages``: an array, with ``Page`` and ``Limit`` query parameters (ShipBob ``GET /order``...).

``ListingServer`` is an ``httpx.MockTransport`` handler answering every list path with ``pages`` pages of
minimal spec-valid items (the last page shorter), playing each scheme as the spec declares it: page numbers and
sizes from the query; ``next`` links (absolute and relative, same origin) or cursor tokens (holding ``/``, like
ShipBob's base64 cursors) for operations that take ``Cursor``; a ``next-page`` header for ``Page``/``Limit``.
It logs every request and every item it served, so a test checks "every item exactly once"::

    server = ListingServer(operation, base_url="https://shipbob.test")
    client = ShipBob(auth="t", base_url="https://shipbob.test", transport=httpx.MockTransport(server))
"""

from __future__ import annotations

import functools
import inspect
import re
import uuid
from collections.abc import Iterator, Mapping
from types import ModuleType
from typing import Any, Literal

import attrs
import httpx

from tests.support.openapi_cases import ResponseCase, response_cases

__all__ = ["ListOperation", "ListingServer", "list_operations", "minimal_instance", "path_arguments"]

Kind = Literal["page_wrapper", "links", "header_pages"]

_SIZE_NAMES = ("size", "PageSize", "RecordsPerPage", "Limit")


@attrs.frozen(kw_only=True)
class ListOperation:
    """One list operation: its response case, the scheme its spec declares and its query parameter names."""

    case: ResponseCase
    kind: Kind
    query: frozenset[str]
    items_key: str | None

    @property
    def id(self) -> str:
        return f"{self.case.vendor}:{self.case.operation_id}"

    @property
    def module(self) -> ModuleType:
        return self.case.module

    @property
    def item_schema(self) -> dict[str, Any]:
        schema = _resolve(self.case.schema, self.case.schema)
        if self.items_key is None:
            return dict(schema["items"])
        return dict(_resolve(_properties(schema, self.case.schema)[self.items_key], self.case.schema)["items"])


def _resolve(node: Any, root: Mapping[str, Any]) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = root["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def _properties(schema: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    props = dict(schema.get("properties") or {})
    for part in schema.get("allOf") or ():
        props.update(_properties(_resolve(part, root), root))
    return props


def _kind(case: ResponseCase, query: frozenset[str]) -> tuple[Kind, str | None] | None:
    schema = _resolve(case.schema, case.schema)
    types = schema.get("type")
    if types == "array" or (isinstance(types, list) and "array" in types):
        return ("header_pages", None) if {"Page", "Limit"} <= query else None
    props = _properties(schema, case.schema)

    def is_array(name: str) -> bool:
        node = _resolve(props.get(name), case.schema)
        kind = node.get("type") if isinstance(node, dict) else None
        return kind == "array" or (isinstance(kind, list) and "array" in kind)

    if is_array("results") and "totalPages" in props:
        return "page_wrapper", "results"
    key = next((k for k in ("items", "data") if is_array(k)), None)
    if key is not None and "next" in props:
        return "links", key
    return None


@functools.cache
def list_operations() -> tuple[ListOperation, ...]:
    """Every list operation of both vendored specs (their 200 answers), in a stable order."""
    from pipeline.loading import load_document
    from pipeline.vendors import vendors
    from tests.support.paths import REPO

    raw = {v.name: load_document(v.spec, vendor=v.name) for v in vendors(REPO)}
    found: list[ListOperation] = []
    for case in response_cases():
        if case.status != 200:
            continue
        operation = raw[case.vendor]["paths"][case.path][case.method]
        query = frozenset(p["name"] for p in operation.get("parameters", ()) if p.get("in") == "query")
        shape = _kind(case, query)
        if shape is not None:
            found.append(ListOperation(case=case, kind=shape[0], query=query, items_key=shape[1]))
    return tuple(found)


def minimal_instance(schema: Any, root: Mapping[str, Any], n: int = 0, depth: int = 0) -> Any:
    """The smallest spec-valid JSON value for ``schema`` (required properties only); id-like fields get ``n``."""
    schema = _resolve(schema, root)
    if not isinstance(schema, dict) or depth > 12:
        return None
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return next(v for v in schema["enum"] if v is not None)
    for key in ("oneOf", "anyOf"):
        if schema.get(key):
            options = [o for o in schema[key] if _resolve(o, root).get("type") != "null"]
            return minimal_instance(options[0], root, n, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if schema.get("allOf") or kind == "object" or (kind is None and "properties" in schema):
        return _object(schema, root, n, depth)
    if kind == "array":
        return [minimal_instance(schema.get("items", {}), root, n, depth + 1) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return float(max(schema.get("minimum", 1), 1))
    if kind == "boolean":
        return True
    return _string(schema.get("format"), n, schema.get("minLength", 1))


def _object(schema: Mapping[str, Any], root: Mapping[str, Any], n: int, depth: int) -> dict[str, Any]:
    props = _properties(schema, root)
    required: list[str] = list(schema.get("required") or ())
    for part in schema.get("allOf") or ():
        required.extend(_resolve(part, root).get("required") or ())
    value = {name: minimal_instance(props[name], root, n, depth + 1) for name in required if name in props}
    if depth == 0:  # the item itself: every id-like field, required or not, unique per item
        for name, prop in props.items():
            if re.search(r"(^id|Id|_id)$", name):
                value[name] = _unique(_resolve(prop, root), n)
    return value


def _unique(prop: Mapping[str, Any], n: int) -> Any:
    kind = prop.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "integer" in kinds or "number" in kinds:
        return n + 1
    return _string(prop.get("format"), n, 1)


def _string(fmt: object, n: int, min_length: int) -> str:
    if fmt == "date-time":
        return "2026-01-01T00:00:00Z"
    if fmt == "date":
        return "2026-01-01"
    if fmt == "uuid":
        return str(uuid.UUID(int=n + 1))
    if fmt == "email":
        return f"u{n}@example.com"
    if fmt in ("uri", "url"):
        return f"https://example.com/{n}"
    if fmt in ("int32", "int64"):
        return str(n + 1)
    return f"v{n}".ljust(min_length, "x")


def path_arguments(module: ModuleType) -> dict[str, Any]:
    """Values for the operation's required (path) arguments, by annotation: ``int`` 1, otherwise a string."""
    out: dict[str, Any] = {}
    for name, param in inspect.signature(module.sync_detailed).parameters.items():
        if name != "client" and param.default is inspect.Parameter.empty:
            out[name] = 1 if "int" in str(param.annotation) else "00000000-0000-0000-0000-000000000001"
    return out


class ListingServer:
    """Plays one list operation as its spec declares, ``pages`` pages of ``per_page`` items (last one shorter)."""

    def __init__(self, operation: ListOperation, *, base_url: str, per_page: int = 2, pages: int = 3) -> None:
        self.operation = operation
        self.base_url = base_url.rstrip("/")
        self.per_page = per_page
        self.total = per_page * (pages - 1) + 1
        root = operation.case.schema
        self.items = [minimal_instance(operation.item_schema, root, n) for n in range(self.total)]
        self.requests: list[httpx.Request] = []
        self.served: list[int] = []  # item positions, in the order served
        template = re.sub(r"\{[^}]+\}", "[^/]+", re.escape(operation.case.path).replace(r"\{", "{").replace(r"\}", "}"))
        self._path = re.compile(f"^{template}$")

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.method.lower() != self.operation.case.method or not self._path.match(request.url.path):
            return httpx.Response(404, json={"title": f"not a path of this server: {request.url.path}"})
        query = request.url.params
        size = next((int(float(query[k])) for k in _SIZE_NAMES if k in query), self.per_page)
        kind = self.operation.kind
        if kind == "page_wrapper":
            return self._wrapper(query, size)
        if kind == "links":
            return self._links(query, size)
        return self._header_pages(query, size)

    def _slice(self, start: int, size: int) -> list[Any]:
        positions = list(range(start, min(start + size, self.total)))
        self.served.extend(positions)
        return [self.items[i] for i in positions]

    def _wrapper(self, query: httpx.QueryParams, size: int) -> httpx.Response:
        if "page" not in query:  # an operation without a page parameter: everything at once
            size = self.total
        page = int(query.get("page", 0))
        pages = -(-self.total // size)
        results = self._slice(page * size, size)
        body = {"results": results, "total": self.total, "page": page, "size": size, "totalPages": pages}
        return httpx.Response(200, json=body)

    def _links(self, query: httpx.QueryParams, size: int) -> httpx.Response:
        cursor = next((name for name in self.operation.query if name.lower() == "cursor"), None)
        uses_token = cursor is not None
        position = _position(query.get(cursor) if cursor is not None else query.get("position"))
        items = self._slice(position, size)
        following = position + size
        link: str | None = None
        if following < self.total:
            if uses_token:
                link = f"c/{following}=="  # like ShipBob's base64 cursors: not a URL, may hold "/"
            else:
                path = f"{self.operation.case.path}?position={following}&PageSize={size}"
                link = path if (following // size) % 2 == 0 else f"{self.base_url}{path}"  # relative and absolute
        return httpx.Response(200, json={self.operation.items_key or "items": items, "next": link, "prev": None})

    def _header_pages(self, query: httpx.QueryParams, size: int) -> httpx.Response:
        page = int(float(query.get("Page", 1)))
        items = self._slice((page - 1) * size, size)
        more = page * size < self.total
        headers = {"next-page": f"{self.operation.case.path}?Page={page + 1}&Limit={size}" if more else ""}
        return httpx.Response(200, json=items, headers=headers)


def _position(value: str | None) -> int:
    if not value:
        return 0
    return int(value.removeprefix("c/").removesuffix("=="))


def operations_by_kind() -> Iterator[tuple[Kind, int]]:
    """How many list operations each scheme has (for a test's sanity floor)."""
    kinds: dict[Kind, int] = {}
    for op in list_operations():
        kinds[op.kind] = kinds.get(op.kind, 0) + 1
    yield from kinds.items()
