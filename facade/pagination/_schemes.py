"""Page schemes: turn one vendor response into a `Page`, and one `paginate_*` constructor per scheme.

Each works for ANY generated operation of that shape, not only the ones generated today:

- Fourthwall: body `{results, total, page, size, totalPages}`, `page` zero-based, `size` default 20:
  `fourthwall_page`, `paginate_fourthwall` / `apaginate_fourthwall`;
- ShipBob 1.0: `Page`/`Limit` query (one-based, `Limit` up to 250), `Page-Number`/`Total-Pages`/`Next-Page`/
  `Total-Count` response headers: `shipbob_header_page`, `paginate_shipbob_pages` / `apaginate_shipbob_pages`;
- ShipBob dated versions: body `{items, next, prev, first, last}`, `next` the URL of the next page:
  `shipbob_cursor_page`, `paginate_shipbob_cursor` / `apaginate_shipbob_cursor` (see `facade._follow`).

Example::

    from fourthwall_client.api.products_offers import get_product_inventory

    pages = paginate_fourthwall(
        lambda page, size: get_product_inventory.sync(product_id, client=client, page=page, size=size),
        size=50,
    )
    for stock in pages:  # each page is fetched once, when the loop reaches it
        ...
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Literal, Protocol, TypeVar

from ..defaults import MAX_PAGES as DEFAULT_MAX_PAGES
from ._loop import AsyncPaginator, Page, PageInfo, Paginator

__all__ = [
    "FOURTHWALL_PAGE_SIZE",
    "SHIPBOB_LIMIT",
    "CursorBody",
    "PageWrapper",
    "apaginate_fourthwall",
    "apaginate_shipbob_cursor",
    "apaginate_shipbob_pages",
    "fourthwall_page",
    "paginate_fourthwall",
    "paginate_shipbob_cursor",
    "paginate_shipbob_pages",
    "shipbob_cursor_page",
    "shipbob_header_page",
]

FOURTHWALL_PAGE_SIZE = 20
"""Fourthwall's documented default `size`."""

SHIPBOB_LIMIT = 250
"""ShipBob 1.0's documented maximum `Limit`: the fewest requests against its 150 requests/minute budget."""

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class _UnsetLike(Protocol):
    """The generated packages' `Unset` sentinel (each package has its own class; this matches both)."""

    def __bool__(self) -> Literal[False]: ...


class PageWrapper(Protocol[T_co]):
    """Any generated model of Fourthwall's page wrapper `{results, total, page, size, totalPages}`."""

    @property
    def results(self) -> Sequence[T_co] | _UnsetLike: ...

    @property
    def page(self) -> object: ...

    @property
    def total_pages(self) -> object: ...

    @property
    def total(self) -> object: ...


class CursorBody(Protocol[T_co]):
    """Any generated model of ShipBob's body `{items, next, prev, first, last}`, where `next` is a URL."""

    @property
    def items(self) -> Sequence[T_co] | _UnsetLike: ...

    @property
    def next(self) -> object: ...


def fourthwall_page(body: PageWrapper[T], info: PageInfo) -> Page[T]:
    """Read one Fourthwall page wrapper asked for with `info` (zero-based `number`).

    Example::

        page = fourthwall_page(stock_page, PageInfo(number=0, size=20))
    """
    items = _sequence(body.results)
    total_pages = _int(body.total_pages)
    number, size = _number(info), info.size
    more = (
        number + 1 < total_pages
        if total_pages is not None
        # Without a page count, a short page is the last one.
        else size is None or len(items) >= size
    )
    return Page(
        items=items,
        info=info,
        next=PageInfo(number=number + 1, size=size) if items and more else None,
        number=_int(body.page),
        total_pages=total_pages,
        total=_int(body.total),
    )


def shipbob_header_page(items: Sequence[T], headers: Mapping[str, str], info: PageInfo) -> Page[T]:
    """Read one ShipBob 1.0 `Page`/`Limit` page (one-based) from its items and response headers.

    `Total-Pages` decides whether there is a next page; without it a `Next-Page` header does; without either,
    a full page means "maybe more". Header names are matched case-insensitively.

    Example::

        page = shipbob_header_page(response.parsed, response.headers, PageInfo(number=1, size=250))
    """
    total_pages = _int(_header(headers, "Total-Pages"))
    number, size = _number(info), info.size
    if total_pages is not None:
        more = number < total_pages
    elif _header(headers, "Next-Page") is not None:
        more = True
    else:
        more = size is None or len(items) >= size
    return Page(
        items=items,
        info=info,
        next=PageInfo(number=number + 1, size=size) if items and more else None,
        number=_int(_header(headers, "Page-Number")),
        total_pages=total_pages,
        total=_int(_header(headers, "Total-Count")),
    )


def shipbob_cursor_page(body: CursorBody[T], info: PageInfo) -> Page[T]:
    """Read one ShipBob body `{items, next, ...}`; a non-empty `next` is the URL of the next page.

    Example::

        page = shipbob_cursor_page(body, PageInfo())
    """
    items = _sequence(body.items)
    next_url = body.next if isinstance(body.next, str) and body.next else None
    return Page(items=items, info=info, next=PageInfo(url=next_url) if next_url else None)


def paginate_fourthwall(
    fetch: Callable[[int, int], PageWrapper[T]],
    *,
    size: int = FOURTHWALL_PAGE_SIZE,
    max_pages: int = DEFAULT_MAX_PAGES,
    label: str = "fourthwall listing",
    ids: Mapping[str, object] | None = None,
) -> Paginator[T]:
    """Paginate any Fourthwall operation returning the page wrapper; `fetch(page, size)` returns the parsed body.

    Example::

        stocks = paginate_fourthwall(lambda page, size: get_inventory(product_id, page=page, size=size), size=50)
    """

    def fetch_page(info: PageInfo) -> Page[T]:
        return fourthwall_page(fetch(_number(info), _size(info)), info)

    return Paginator(
        fetch_page, first=PageInfo(number=0, size=_positive(size)), max_pages=max_pages, label=label, ids=ids
    )


def apaginate_fourthwall(
    fetch: Callable[[int, int], Awaitable[PageWrapper[T]]],
    *,
    size: int = FOURTHWALL_PAGE_SIZE,
    max_pages: int = DEFAULT_MAX_PAGES,
    label: str = "fourthwall listing",
    ids: Mapping[str, object] | None = None,
) -> AsyncPaginator[T]:
    """The async twin of `paginate_fourthwall`: `fetch(page, size)` is awaited.

    Example::

        stocks = [s async for s in apaginate_fourthwall(lambda page, size: aget(product_id, page=page, size=size))]
    """

    async def fetch_page(info: PageInfo) -> Page[T]:
        return fourthwall_page(await fetch(_number(info), _size(info)), info)

    return AsyncPaginator(
        fetch_page, first=PageInfo(number=0, size=_positive(size)), max_pages=max_pages, label=label, ids=ids
    )


def paginate_shipbob_pages(
    fetch: Callable[[int, int], tuple[Sequence[T], Mapping[str, str]]],
    *,
    limit: int = SHIPBOB_LIMIT,
    max_pages: int = DEFAULT_MAX_PAGES,
    label: str = "shipbob listing",
    ids: Mapping[str, object] | None = None,
) -> Paginator[T]:
    """Paginate a ShipBob `Page`/`Limit` operation; `fetch(page, limit)` returns `(items, response headers)`.

    Example::

        orders = paginate_shipbob_pages(lambda page, limit: call(page=page, limit=limit), limit=100)
    """

    def fetch_page(info: PageInfo) -> Page[T]:
        items, headers = fetch(_number(info), _size(info))
        return shipbob_header_page(items, headers, info)

    return Paginator(
        fetch_page, first=PageInfo(number=1, size=_positive(limit)), max_pages=max_pages, label=label, ids=ids
    )


def apaginate_shipbob_pages(
    fetch: Callable[[int, int], Awaitable[tuple[Sequence[T], Mapping[str, str]]]],
    *,
    limit: int = SHIPBOB_LIMIT,
    max_pages: int = DEFAULT_MAX_PAGES,
    label: str = "shipbob listing",
    ids: Mapping[str, object] | None = None,
) -> AsyncPaginator[T]:
    """The async twin of `paginate_shipbob_pages`.

    Example::

        orders = [o async for o in apaginate_shipbob_pages(acall, limit=100)]
    """

    async def fetch_page(info: PageInfo) -> Page[T]:
        items, headers = await fetch(_number(info), _size(info))
        return shipbob_header_page(items, headers, info)

    return AsyncPaginator(
        fetch_page, first=PageInfo(number=1, size=_positive(limit)), max_pages=max_pages, label=label, ids=ids
    )


def paginate_shipbob_cursor(
    fetch: Callable[[str | None], CursorBody[T]],
    *,
    origin: str | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    label: str = "shipbob listing",
    ids: Mapping[str, object] | None = None,
) -> Paginator[T]:
    """Paginate a ShipBob `{items, next}` listing: `fetch(None)` gets the first page, `fetch(url)` follows `next`.

    Give `origin` (the client's base URL) to refuse `next` URLs on another scheme/host/port.

    Example::

        items = paginate_shipbob_cursor(lambda url: first() if url is None else follow(url), origin=base_url)
    """

    def fetch_page(info: PageInfo) -> Page[T]:
        return shipbob_cursor_page(fetch(info.url), info)

    return Paginator(fetch_page, first=PageInfo(), max_pages=max_pages, label=label, origin=origin, ids=ids)


def apaginate_shipbob_cursor(
    fetch: Callable[[str | None], Awaitable[CursorBody[T]]],
    *,
    origin: str | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    label: str = "shipbob listing",
    ids: Mapping[str, object] | None = None,
) -> AsyncPaginator[T]:
    """The async twin of `paginate_shipbob_cursor`.

    Example::

        items = [i async for i in apaginate_shipbob_cursor(afetch, origin=base_url)]
    """

    async def fetch_page(info: PageInfo) -> Page[T]:
        return shipbob_cursor_page(await fetch(info.url), info)

    return AsyncPaginator(fetch_page, first=PageInfo(), max_pages=max_pages, label=label, origin=origin, ids=ids)


def _sequence(value: Sequence[T] | _UnsetLike) -> Sequence[T]:
    # An absent list (the generated `Unset`) is an empty page.
    return value if isinstance(value, Sequence) else ()


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        wanted = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == wanted), None)
    return value or None


def _positive(size: int) -> int:
    # A page size of 0 would make every page "full" and never move the listing forward.
    if size < 1:
        raise ValueError(f"page size must be at least 1, got {size}")
    return size


def _number(info: PageInfo) -> int:
    if info.number is None:
        raise ValueError(f"{info!r} has no page number")
    return info.number


def _size(info: PageInfo) -> int:
    if info.size is None:
        raise ValueError(f"{info!r} has no page size")
    return info.size
