"""Follow every page of a listing, lazily and safely: the page values and the sync/async loops.

- `PageInfo` says how to ask for one page (a page number and size, or a URL to follow); `Page` is one fetched
  page: its items, the `PageInfo` of the next page (or `None` on the last) and what the server said about itself.
- `Paginator` / `AsyncPaginator` run the loop: fetch a page, check it, yield it, ask for the next. Iterating a
  paginator yields items; `.pages()` yields whole pages. Nothing is accumulated: memory holds about two pages.
- How one vendor response becomes a `Page` lives in `facade._page_schemes` (Fourthwall's page wrapper, ShipBob's
  `Page`/`Limit` headers and `{items, next}` bodies), with one `paginate_*` constructor per scheme.

The loop refuses to go wrong, raising `PaginationError` (its `reason` says which guard tripped) instead of
looping forever or yielding items twice: a page other than the one asked for (`wrong_page`), the same page again
(`repeated_page`: a server that ignores the page parameter), a page count that changes mid-way
(`page_count_changed`: the listing changed, offsets shifted), a `next` URL already followed (`next_loop`) or one
on another origin (`foreign_next`, it would receive our credentials), and more than `max_pages` pages
(`too_many_pages`).

Example::

    def fetch(info: PageInfo) -> Page[int]:
        numbers = list(range(info.number * 10, info.number * 10 + 10))
        return Page(items=numbers, info=info, next=PageInfo(number=info.number + 1) if info.number < 2 else None)

    assert len(list(Paginator(fetch, first=PageInfo(number=0)))) == 30
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar
from urllib.parse import urljoin, urlsplit

import attrs

from ..defaults import MAX_PAGES as DEFAULT_MAX_PAGES
from ..errors import PaginationError, PaginationReason

__all__ = [
    "DEFAULT_MAX_PAGES",
    "AsyncPaginator",
    "Page",
    "PageInfo",
    "Paginator",
]


T = TypeVar("T")

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


def _origin_of(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()
