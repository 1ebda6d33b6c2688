"""Follow every page of a listing, lazily and safely: the page values and the sync/async loops.

- `PageInfo` says how to ask for one page (a page number and size, a cursor, or a URL to follow); `Page` is one
  fetched page: its items, the `PageInfo` of the next page (or `None` on the last) and what the server declared.
- `Paginator` / `AsyncPaginator` run the loop: fetch a page, check it, yield it, ask for the next. Iterating a
  paginator yields items; `.pages()` yields whole pages. Nothing is accumulated: memory holds about two pages
  (and the `duplicate_item` guard's one key per page).
- How one generated operation's response becomes a `Page` lives in `._schemes`.

The loop refuses to go wrong, raising `PaginationError` (its `reason` names the guard) instead of looping forever,
yielding items twice or returning part of a listing as if it were all of it:

- `wrong_page`: a page other than the one asked for; `repeated_page`: the same page again (a server that ignores
  the page parameter);
- `page_count_changed`: the declared page count or total changed mid-way (the listing changed, offsets shifted);
- `duplicate_item`: an item that already came (the listing shifted between two requests, or a cursor led back to
  items already listed). We raise rather than drop it: a shift that duplicates one item has usually skipped
  another, so the result would be wrong either way. Exactly what is caught, with memory bounded by the page count
  (never by the item count: `iter_stock()` over 100,000 items keeps about two pages):

  - any item of the previous page again (what a listing shifting between two requests produces: a duplicate
    across a page boundary);
  - the first item of any earlier page again (what a cursor leading back produces, aligned or not:
    ShipBob links answering `[1, 2], [3, 4], [1, 2]`; any re-walk longer than one page passes such an item). One
    key per page is kept, at most `max_pages`;
  - not caught: a lone item repeated on a page neither adjacent to its first page nor as that page's first item
    (the declared totals catch such a listing where the vendor declares them). A whole page repeated right after
    itself is `repeated_page`;
- `empty_page`: an empty page while the server declares more items or pages (also an empty first page with a
  total above zero); `missing_items`: the listing ended with fewer items than its declared total;
- `next_loop` / `foreign_next`: a `next` URL already followed, or one on another origin (it would receive our
  credentials; `facade.config.same_origin` is the one rule); `unfollowable_next`: a `next` the operation cannot take;
- `too_many_pages`: more than `max_pages` pages.

Example::

    def fetch(info: PageInfo) -> Page[int]:
        numbers = list(range((info.number or 0) * 10, (info.number or 0) * 10 + 10))
        more = (info.number or 0) < 2
        return Page(items=numbers, info=info, next=PageInfo(number=(info.number or 0) + 1) if more else None)

    assert len(list(Paginator(fetch, first=PageInfo(number=0)))) == 30
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar

import attrs

from ..config import same_origin
from ..defaults import MAX_PAGES
from ..errors import PaginationError, PaginationReason
from ._follow import is_link

__all__ = ["AsyncPaginator", "ItemKey", "Page", "PageInfo", "Paginator"]

T = TypeVar("T")

ItemKey = Callable[[object], Hashable | None]
"""The identity of an item for the `duplicate_item` guard; `None` when the item has none (it is not checked)."""


@attrs.frozen(kw_only=True)
class PageInfo:
    """How to ask for one page: a page `number` (and `size`), a `cursor`, or a `url` to follow.

    Example::

        PageInfo(number=0, size=100)  # Fourthwall's first page
        PageInfo(url="/2026-01/inventory-level?cursor=abc")  # ShipBob's `next` link
    """

    number: int | None = None
    size: int | None = None
    cursor: str | None = None
    url: str | None = None


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One fetched page: `items`, the request that got it (`info`) and how to get the `next` one (`None`: last).

    `number`, `total_pages` and `total` are what the server said (`None` when it did not say); `more_declared` is
    whether the server itself declared that more items follow (a page count, a `next` link or header), as opposed
    to the loop guessing from a full page.

    Example::

        page = Page(items=[a, b], info=PageInfo(number=0, size=2), next=PageInfo(number=1, size=2), total_pages=3)
    """

    items: Sequence[T]
    info: PageInfo
    next: PageInfo | None
    number: int | None = None
    total_pages: int | None = None
    total: int | None = None
    more_declared: bool = False


class _Options:
    """What a paginator was built with: where to start and what its guards need (checked once, when built)."""

    __slots__ = ("first", "ids", "key", "label", "max_pages", "origin")

    def __init__(
        self,
        *,
        first: PageInfo,
        max_pages: int,
        label: str,
        origin: str | None,
        ids: Mapping[str, object] | None,
        key: ItemKey | None,
    ) -> None:
        if max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, got {max_pages}")
        self.first, self.max_pages, self.label = first, max_pages, label
        self.origin, self.ids, self.key = origin, ids, key


class _Walk(Generic[T]):
    """The guards shared by the sync and async loops: it says what to fetch next and checks what came back."""

    def __init__(self, options: _Options) -> None:
        first = options.first
        self._request: PageInfo | None = first
        self._max_pages = options.max_pages
        self._label = options.label
        self._origin = options.origin
        self._ids = options.ids
        self._key = options.key
        self._fetched = 0
        self._seen = 0
        self._total_pages: int | None = None
        self._total: int | None = None
        self._previous: Sequence[T] = ()
        self._previous_keys: set[Hashable | None] = set()
        self._page_firsts: dict[Hashable, int] = {}  # the first item's key of each page -> that page's number (1-based)
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
        self._check_declared(page)
        self._check_duplicates(page.items, lone=page.next is None and self._fetched == 1)
        self._seen += len(page.items)
        self._check_complete(page)
        self._previous = page.items
        self._request = page.next
        if page.next is not None and page.next.url is not None:
            self._check_url(page.next.url)

    def _check_declared(self, page: Page[T]) -> None:
        pages, total = page.total_pages, page.total
        if pages is not None:
            if self._total_pages is not None and pages != self._total_pages:
                self._changed("page count", self._total_pages, pages)
            self._total_pages = pages
        if total is not None:
            if self._total is not None and total != self._total:
                self._changed("total", self._total, total)
            self._total = total

    def _changed(self, what: str, known: int, declared: int) -> None:
        self._fail("page_count_changed", f"the {what} changed from {known} to {declared}; the listing changed")

    def _check_duplicates(self, items: Sequence[T], *, lone: bool) -> None:
        if self._key is None or lone:
            return  # a listing of one page: nothing came before it, nothing will come after it
        # One key per item into a set; comparing two sets reuses their stored hashes (a UUID hashes in Python).
        ordered = list(map(self._key, items))
        keys: set[Hashable | None] = set(ordered)
        keys.discard(None)
        previous, firsts = self._previous_keys, self._page_firsts
        if previous and not keys.isdisjoint(previous):
            again = next(k for k in ordered if k is not None and k in previous)  # the first, in order
            self._fail(
                "duplicate_item",
                f"item {again!r} of the previous page came again: the listing shifted between requests; list again",
            )
        if firsts and not firsts.keys().isdisjoint(keys):  # walks the smaller of the two, in C
            again = next(k for k in ordered if k is not None and k in firsts)
            self._fail(
                "duplicate_item",
                f"item {again!r}, first on page {firsts[again]}, came again on page {self._fetched}: the listing "
                "shifted or its cursor led back to items already listed; list again",
            )
        first = next((k for k in ordered if k is not None), None)
        if first is not None:
            firsts[first] = self._fetched
        self._previous_keys = keys

    def _check_complete(self, page: Page[T]) -> None:
        total = self._total
        if not page.items and (page.more_declared or (total is not None and self._seen < total)):
            declared = f"a total of {total}" if total is not None else "more pages"
            self._fail("empty_page", f"an empty page after {self._seen} item(s) while the server declares {declared}")
        if page.next is None and total is not None and self._seen < total:
            self._fail("missing_items", f"the listing ended after {self._seen} of its declared {total} item(s)")

    def _check_url(self, url: str) -> None:
        if not is_link(url):
            self._fail("unfollowable_next", f"next {url!r} is not a URL and the operation takes no cursor")
        if self._origin is not None and not same_origin(self._origin, url):
            self._fail("foreign_next", f"next page URL {url!r} leaves {self._origin!r}")
        if url in self._urls:
            self._fail("next_loop", f"next page URL {url!r} was already followed")
        self._urls.add(url)

    def _fail(self, reason: PaginationReason, message: str) -> None:
        raise PaginationError(message, reason=reason, label=self._label, pages=self._fetched, ids=self._ids)


class Paginator(Generic[T]):
    """Iterate the items of every page of a listing, fetching each page once, when reached.

    `fetch` gets one page for a `PageInfo`; `first` is the first page's. Each `iter()` starts over. Clients build
    these for you (`client.paginate(op, ...)`); build one directly for a listing of your own.

    Example::

        pages = Paginator(fetch, first=PageInfo(number=0, size=100), label="my listing")
        for item in pages: ...
        for page in pages.pages(): ...
    """

    def __init__(
        self,
        fetch: Callable[[PageInfo], Page[T]],
        *,
        first: PageInfo,
        max_pages: int = MAX_PAGES,
        label: str = "listing",
        origin: str | None = None,
        ids: Mapping[str, object] | None = None,
        key: ItemKey | None = None,
    ) -> None:
        self._fetch = fetch
        self._options = _Options(first=first, max_pages=max_pages, label=label, origin=origin, ids=ids, key=key)

    def pages(self) -> Iterator[Page[T]]:
        """Yield whole pages, in order."""
        walk: _Walk[T] = _Walk(self._options)
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

        pages = AsyncPaginator(afetch, first=PageInfo(number=0, size=100))
        items = [item async for item in pages]
    """

    def __init__(
        self,
        fetch: Callable[[PageInfo], Awaitable[Page[T]]],
        *,
        first: PageInfo,
        max_pages: int = MAX_PAGES,
        label: str = "listing",
        origin: str | None = None,
        ids: Mapping[str, object] | None = None,
        key: ItemKey | None = None,
    ) -> None:
        self._fetch = fetch
        self._options = _Options(first=first, max_pages=max_pages, label=label, origin=origin, ids=ids, key=key)

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Yield whole pages, in order."""
        walk: _Walk[T] = _Walk(self._options)
        while (info := walk.next_request()) is not None:
            page = await self._fetch(info)
            walk.accept(page)
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item
