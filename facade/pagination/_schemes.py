"""Page schemes: which pagination a generated operation uses, how to ask for a page, how to read one.

`scheme_for(op)` decides from the operation alone (no request), generically, so an operation generated tomorrow
is handled the same way. It reads the return annotation of the operation module's `_parse_response` (the union
of every documented answer), keeps the members shaped like a page, and the operation's keyword parameters:

===============  =========================================================  =========================================
scheme           response member (generated model attributes)               parameters
===============  =========================================================  =========================================
`page_wrapper`   a model with a list `results` and `total_pages`            `page` (zero-based; optional) and `size`
                 (Fourthwall `{results,total,page,size,totalPages}`)
`links`          a model with a list `items` (or `data`) and `next_`        a size (`page_size`, `records_per_page` or
                 (ShipBob `{items, next, prev, first, last}`)               `limit`), optionally `cursor`
`header_pages`   a plain `list[...]`                                        `page` (one-based) and `limit`
                 (ShipBob `GET /order`: `next-page`/`total-pages` headers)
===============  =========================================================  =========================================

A `links` body's `next` is followed as a URL when it is one (absolute, or a path starting with `/`; same origin
only); otherwise it is a cursor token, sent back as the operation's `cursor` parameter (ShipBob channels, webhooks,
billing). An operation matching none of these (or more than one member) is not paginated: `scheme_for` raises
`InvalidArgumentError` naming it, before any request.

Example::

    from shipbob_client.api.orders import get_2026_01_order

    assert scheme_for(get_2026_01_order.sync_detailed).kind == "header_pages"
"""

from __future__ import annotations

import functools
import inspect
import sys
import types
import typing
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Literal
from uuid import UUID

import attrs
import httpx

from ..defaults import FOURTHWALL_PAGE_SIZE, SHIPBOB_PAGE_SIZE
from ..errors import InvalidArgumentError
from ._follow import is_link
from ._loop import Page, PageInfo

__all__ = ["Scheme", "SchemeKind", "item_key", "scheme_for"]

SchemeKind = Literal["page_wrapper", "links", "header_pages"]

_ITEM_FIELDS = ("results", "items", "data")
_SIZE_PARAMS = ("size", "page_size", "records_per_page", "limit")


@attrs.frozen(kw_only=True)
class Scheme:
    """How one generated operation paginates (see the module docstring for the rule that finds it).

    `items` is the body attribute holding the page's items (`None`: the body is the list); `page_param`,
    `size_param`, `cursor_param` are the operation's keyword names (`None`: it has none); `default_size` the
    page size used when the caller gives none (`facade.defaults`).

    Example::

        scheme = scheme_for(list_products.sync_detailed)
        scheme.kind, scheme.size_param  # ('page_wrapper', 'size')
    """

    kind: SchemeKind
    operation: str
    module: types.ModuleType = attrs.field(repr=False)
    items: str | None
    page_param: str | None
    size_param: str | None
    cursor_param: str | None
    default_size: int

    def first(self, params: Mapping[str, Any], page_size: int | None) -> PageInfo:
        """The first page's `PageInfo`: the caller's size parameter wins, then `page_size`, then the default."""
        if self.size_param is not None and self.size_param in params:
            size = int(params[self.size_param])
        else:
            size = self.default_size if page_size is None else page_size
        if size < 1:
            raise InvalidArgumentError(
                f"{self.operation}: page size must be at least 1, got {size}; no request was sent",
                operation=self.operation,
            )
        start = 0 if self.kind == "page_wrapper" else 1
        if self.page_param is not None and self.page_param in params:
            start = int(params[self.page_param])
        number = start if self.page_param is not None else None
        cursor = params.get(self.cursor_param) if self.cursor_param is not None else None
        return PageInfo(number=number, size=size, cursor=cursor if isinstance(cursor, str) else None)

    def arguments(self, params: Mapping[str, Any], info: PageInfo) -> dict[str, Any]:
        """The operation's keyword arguments for the page `info`."""
        kwargs = dict(params)
        if self.size_param is not None and info.size is not None:
            kwargs[self.size_param] = info.size
        if self.page_param is not None and info.number is not None:
            kwargs[self.page_param] = info.number
        if self.cursor_param is not None and info.cursor is not None:
            kwargs[self.cursor_param] = info.cursor
        return kwargs

    def read(self, parsed: Any, headers: httpx.Headers, info: PageInfo) -> Page[Any]:
        """One `Page` from the parsed body (and headers) of the answer to `info`."""
        if self.kind == "page_wrapper":
            return self._wrapper_page(parsed, info)
        if self.kind == "links":
            return self._links_page(parsed, info)
        return self._header_page(parsed, headers, info)

    def _items(self, parsed: Any) -> Sequence[Any]:
        value = parsed if self.items is None else getattr(parsed, self.items, None)
        # An absent or null list (the generated `Unset`, `None`) is an empty page; the loop decides if that is ok.
        return value if isinstance(value, list) else ()

    def _wrapper_page(self, parsed: Any, info: PageInfo) -> Page[Any]:
        items = self._items(parsed)
        total_pages = _int(getattr(parsed, "total_pages", None))
        number = info.number
        if number is None:  # no page parameter: this one page is all we can get
            more = declared = False
        elif total_pages is not None:
            more = declared = number + 1 < total_pages
        else:  # no page count: a full page means "maybe more"
            declared, more = False, len(items) >= (info.size or 1)
        return Page(
            items=items,
            info=info,
            next=_numbered(info, number + 1) if items and more and number is not None else None,
            number=_int(getattr(parsed, "page", None)),
            total_pages=total_pages,
            total=_int(getattr(parsed, "total", None)),
            more_declared=declared,
        )

    def _links_page(self, parsed: Any, info: PageInfo) -> Page[Any]:
        items = self._items(parsed)
        link = getattr(parsed, "next_", None)
        link = link if isinstance(link, str) and link.strip() else None
        if link is None:
            following = None
        elif is_link(link) or self.cursor_param is None:
            following = PageInfo(url=link, size=info.size)  # a token with nowhere to go: `unfollowable_next`
        else:
            following = PageInfo(cursor=link, size=info.size)
        return Page(items=items, info=info, next=following, more_declared=link is not None)

    def _header_page(self, parsed: Any, headers: httpx.Headers, info: PageInfo) -> Page[Any]:
        items = self._items(parsed)
        number = info.number or 1
        total_pages = _int(headers.get("total-pages"))
        next_page = headers.get("next-page")
        if total_pages is not None:
            more = declared = number < total_pages
        elif next_page is not None:
            more = declared = bool(next_page.strip())
        else:  # no header at all: a full page means "maybe more"
            declared, more = False, len(items) >= (info.size or 1)
        return Page(
            items=items,
            info=info,
            next=_numbered(info, number + 1) if items and more else None,
            number=_int(headers.get("page-number")),
            total_pages=total_pages,
            total=_int(headers.get("total-count")),
            more_declared=declared,
        )


def scheme_for(op: Callable[..., Any]) -> Scheme:
    """The pagination `Scheme` of a generated `sync_detailed`/`asyncio_detailed` operation.

    Raises `InvalidArgumentError` naming the operation when it is not a paginated listing.

    Example::

        scheme_for(get_2026_01_channel.sync_detailed).cursor_param  # 'cursor'
    """
    module = sys.modules.get(getattr(op, "__module__", "") or "")
    if module is None or not callable(getattr(module, "_parse_response", None)):
        name = getattr(op, "__qualname__", repr(op))
        raise InvalidArgumentError(
            f"{name} is not a generated operation (no module `_parse_response`); paginate takes e.g. "
            "`list_products.sync_detailed`; no request was sent",
            operation=str(name),
        )
    return _scheme_of_module(module)


@functools.lru_cache(maxsize=256)
def _scheme_of_module(module: types.ModuleType) -> Scheme:
    operation = module.__name__.rsplit(".", 1)[-1]
    params = set(inspect.signature(module.sync_detailed).parameters) - {"client"}
    pages = [shape for member in _members(module) if (shape := _page_shape(member)) is not None]
    size_param = next((p for p in _SIZE_PARAMS if p in params), None)
    page_param = "page" if "page" in params else None
    cursor_param = "cursor" if "cursor" in params else None
    if len(pages) == 1:
        kind, items = pages[0]
        vendor_size = FOURTHWALL_PAGE_SIZE if kind == "page_wrapper" else SHIPBOB_PAGE_SIZE
        found = Scheme(
            kind=kind,
            operation=operation,
            module=module,
            items=items,
            page_param=page_param,
            size_param=size_param,
            cursor_param=cursor_param,
            default_size=vendor_size,
        )
        if kind != "header_pages" or (page_param is not None and size_param is not None):
            return found
    answers = ", ".join(sorted(map(_describe, _members(module)))) or "nothing typed"
    raise InvalidArgumentError(
        f"{operation} is not a paginated listing (it answers {answers}; parameters: {sorted(params) or 'none'}); "
        "call it with client.call(...); no request was sent",
        operation=operation,
    )


def _members(module: types.ModuleType) -> list[Any]:
    hints = typing.get_type_hints(module._parse_response, vars(module))
    answer = hints.get("return")
    members = typing.get_args(answer) if _is_union(answer) else (answer,)
    return [m for m in members if m is not type(None) and m is not Any]


def _page_shape(member: Any) -> tuple[SchemeKind, str | None] | None:
    if typing.get_origin(member) is list:
        return "header_pages", None
    if not attrs.has(member):
        return None
    fields = {f.name: f for f in attrs.fields(member)}
    items = next((name for name in _ITEM_FIELDS if name in fields and "list[" in str(fields[name].type)), None)
    if items is None:
        return None
    if items == "results" and "total_pages" in fields:
        return "page_wrapper", items
    if "next_" in fields:
        return "links", items
    return None


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _describe(member: Any) -> str:
    return str(getattr(member, "__name__", member))


def _numbered(info: PageInfo, number: int) -> PageInfo:
    # attrs.evolve(info, number=number), without its per-call look at the fields.
    return PageInfo(number=number, size=info.size, cursor=info.cursor, url=info.url)


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


# Fields that identify an item of a listing, in order of preference, when it has no `id`. Only names known to be
# the item's own identity: a foreign key (a transaction's `invoice_id`, a history event's `inventory_id`) is shared
# by many items and would make the `duplicate_item` guard fire on a healthy listing.
_KEY_FIELDS = ("id", "transaction_id", "inventory_audit_event_id", "invoice_id", "inventory_id", "variant_id")


def item_key(item: object) -> Hashable | None:
    """An item's identity for the `duplicate_item` guard: its `id`, else the first of `_KEY_FIELDS` it has
    (generated attrs models); `None` when it has none of them (then it is not checked).

    Example::

        item_key(level)  # an InventoryQuantityResponse: its inventory_id
    """
    cls = type(item)
    name = _KEY_FIELD[cls] if cls in _KEY_FIELD else _key_field(cls)
    if name is None:
        return None
    value = getattr(item, name, None)
    if type(value) in _KEY_TYPES:  # the common case, without the isinstance checks below
        return value
    return value if isinstance(value, str | int | UUID) and not isinstance(value, bool) else None


_KEY_TYPES = frozenset({str, int, UUID})
_KEY_FIELD: dict[type, str | None] = {}  # per generated model class; a few hundred at most


def _key_field(cls: type) -> str | None:
    if cls not in _KEY_FIELD:
        names = {f.name for f in attrs.fields(cls)} if attrs.has(cls) else set()
        _KEY_FIELD[cls] = next((name for name in _KEY_FIELDS if name in names), None)
    return _KEY_FIELD[cls]
