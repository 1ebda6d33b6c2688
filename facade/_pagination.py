"""Follow every page of a listing, lazily, for any generated operation: sync and async twins.

Three pieces, kept apart so each is small and testable on its own:

- `PageInfo` says how to ask for one page (a page number and size, or a URL to follow); `Page` is one fetched
  page: its items, the `PageInfo` of the next page (or `None` on the last) and what the server said about itself.
- Scheme adapters turn one vendor response into a `Page`: `fourthwall_page` (body `{results, total, page, size,
  totalPages}`, zero-based `page`), `shipbob_header_page` (`Page`/`Limit` query, `Page-Number`/`Total-Pages`/
  `Next-Page` response headers, one-based) and `shipbob_cursor_page` (body `{items, next, ...}`, `next` a URL).
- `Paginator` / `AsyncPaginator` run the loop: fetch a page, check it, yield it, ask for the next. Iterating a
  paginator yields items; `.pages()` yields whole pages. Nothing is accumulated: memory holds about two pages.

The loop refuses to go wrong, raising `PaginationError` (its `reason` says which guard tripped) instead of
looping forever or yielding items twice: a page other than the one asked for (`wrong_page`), the same page again
(`repeated_page`: a server that ignores the page parameter), a page count that changes mid-way
(`page_count_changed`: the listing changed, offsets shifted), a `next` URL already followed (`next_loop`) or one
on another origin (`foreign_next`, it would receive our credentials), and more than `max_pages` pages
(`too_many_pages`).

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

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Generic, Literal, Protocol, TypeAlias, TypeVar
from urllib.parse import urljoin, urlsplit

import attrs

from ._errors import FacadeError

__all__ = [
    "DEFAULT_MAX_PAGES",
    "AsyncPaginator",
    "CursorBody",
    "Page",
    "PageInfo",
    "PageWrapper",
    "PaginationError",
    "Paginator",
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

DEFAULT_MAX_PAGES = 10_000
"""Safety bound on pages per listing: 2.5 million ShipBob records at `Limit=250`, 200,000 Fourthwall at size 20."""

FOURTHWALL_PAGE_SIZE = 20
"""Fourthwall's documented default `size`."""

SHIPBOB_LIMIT = 250
"""ShipBob 1.0's documented maximum `Limit`: the fewest requests against its 150 requests/minute budget."""

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

PaginationReason: TypeAlias = Literal[
    "wrong_page", "repeated_page", "page_count_changed", "next_loop", "foreign_next", "too_many_pages"
]


class PaginationError(FacadeError):
    """A listing could not be followed safely: `reason` names the guard, `label` the listing, `pages` the count.

    `operation` is the listing's label and `ids` what it was for (e.g. `{"product_id": "p1"}`).

    Example::

        try:
            levels = list(pages)
        except PaginationError as error:
            log.warning("%s stopped: %s", error.label, error.reason)
    """

    def __init__(
        self,
        message: str,
        *,
        reason: PaginationReason,
        label: str,
        pages: int,
        ids: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(f"{label}: {message} (after {pages} page(s))", operation=label, ids=ids)
        self.reason: PaginationReason = reason
        self.label = label
        self.pages = pages


@attrs.frozen(kw_only=True)
class PageInfo:
    """How to ask for one page: a page `number` (and `size`), or a `url` to follow.

    Example::

        PageInfo(number=0, size=20)  # Fourthwall's first page
        PageInfo(url="/2025-07/inventory?cursor=abc")  # ShipBob's `next`
    """

    number: int | None = None
    size: int | None = None
    url: str | None = None


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One fetched page: `items`, the request that got it (`info`) and how to get the `next` one (`None`: last).

    `number`, `total_pages` and `total` are what the server said, `None` when it did not say.

    Example::

        page = Page(items=[a, b], info=PageInfo(number=0, size=2), next=PageInfo(number=1, size=2), total_pages=3)
    """

    items: Sequence[T]
    info: PageInfo
    next: PageInfo | None
    number: int | None = None
    total_pages: int | None = None
    total: int | None = None


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


class _Walk(Generic[T]):
    """The guards shared by the sync and async loops: it says what to fetch next and checks what came back."""

    def __init__(
        self, first: PageInfo, *, max_pages: int, label: str, origin: str | None, ids: Mapping[str, object] | None
    ) -> None:
        if max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, got {max_pages}")
        self._request: PageInfo | None = first
        self._max_pages = max_pages
        self._label = label
        self._origin = origin
        self._ids = ids
        self._fetched = 0
        self._total_pages: int | None = None
        self._previous: Sequence[T] = ()
        self._urls: set[str] = {first.url} if first.url else set()

    def next_request(self) -> PageInfo | None:
        if self._request is not None and self._fetched >= self._max_pages:
            self._fail("too_many_pages", f"more than max_pages={self._max_pages} pages")
        return self._request

    def accept(self, page: Page[T]) -> None:
        self._fetched += 1
        asked = page.info.number
        if asked is not None and page.number is not None and page.number != asked:
            self._fail("wrong_page", f"asked for page {asked}, the server returned page {page.number}")
        if page.items and page.items == self._previous:
            self._fail("repeated_page", "the server returned the same page twice; it may ignore the page parameter")
        if page.total_pages is not None:
            if self._total_pages is not None and page.total_pages != self._total_pages:
                self._fail(
                    "page_count_changed",
                    f"the page count changed from {self._total_pages} to {page.total_pages}; the listing changed",
                )
            self._total_pages = page.total_pages
        self._previous = page.items
        self._request = page.next
        if page.next is not None and page.next.url is not None:
            self._check_url(page.next.url)

    def _check_url(self, url: str) -> None:
        if self._origin is not None and _origin_of(urljoin(self._origin, url)) != _origin_of(self._origin):
            self._fail("foreign_next", f"next page URL {url!r} leaves {self._origin!r}")
        if url in self._urls:
            self._fail("next_loop", f"next page URL {url!r} was already followed")
        self._urls.add(url)

    def _fail(self, reason: PaginationReason, message: str) -> None:
        raise PaginationError(message, reason=reason, label=self._label, pages=self._fetched, ids=self._ids)


class Paginator(Generic[T]):
    """Iterate the items of every page of a listing, fetching each page once, when reached.

    `fetch` gets one page for a `PageInfo`; `first` is the first page's. Each `iter()` starts over.

    Example::

        pages = Paginator(lambda info: fourthwall_page(get(info.number, info.size), info), first=PageInfo(number=0))
        for item in pages: ...
        for page in pages.pages(): ...
    """

    def __init__(
        self,
        fetch: Callable[[PageInfo], Page[T]],
        *,
        first: PageInfo,
        max_pages: int = DEFAULT_MAX_PAGES,
        label: str = "listing",
        origin: str | None = None,
        ids: Mapping[str, object] | None = None,
    ) -> None:
        self._fetch = fetch
        self._first = first
        self._max_pages = max_pages
        self._label = label
        self._origin = origin
        self._ids = ids

    def pages(self) -> Iterator[Page[T]]:
        """Yield whole pages, in order."""
        walk: _Walk[T] = _Walk(
            self._first, max_pages=self._max_pages, label=self._label, origin=self._origin, ids=self._ids
        )
        while (info := walk.next_request()) is not None:
            page = self._fetch(info)
            walk.accept(page)
            yield page

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items


class AsyncPaginator(Generic[T]):
    """The async twin of `Paginator`: `async for item in pages`, `async for page in pages.pages()`.

    Example::

        pages = AsyncPaginator(afetch, first=PageInfo(number=0, size=20))
        items = [item async for item in pages]
    """

    def __init__(
        self,
        fetch: Callable[[PageInfo], Awaitable[Page[T]]],
        *,
        first: PageInfo,
        max_pages: int = DEFAULT_MAX_PAGES,
        label: str = "listing",
        origin: str | None = None,
        ids: Mapping[str, object] | None = None,
    ) -> None:
        self._fetch = fetch
        self._first = first
        self._max_pages = max_pages
        self._label = label
        self._origin = origin
        self._ids = ids

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Yield whole pages, in order."""
        walk: _Walk[T] = _Walk(
            self._first, max_pages=self._max_pages, label=self._label, origin=self._origin, ids=self._ids
        )
        while (info := walk.next_request()) is not None:
            page = await self._fetch(info)
            walk.accept(page)
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item


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


def _origin_of(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()
