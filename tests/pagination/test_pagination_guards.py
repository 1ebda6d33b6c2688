"""Every guard of `client.paginate`, on every scheme it applies to, sync and async (scripted vendor answers).

Each test scripts the answers of one real generated list operation (`httpx.MockTransport`) and checks that the
listing raises `PaginationError` with the guard's `reason`, the operation as `label`, never partial data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any

import httpx
import pytest
from fourthwall_client.api.donations import list_donations
from fourthwall_client.api.webhooks import list_webhooks
from shipbob_client.api.channels import get_2026_01_channel
from shipbob_client.api.inventory import get_2026_01_inventory_level
from shipbob_client.api.orders import get_2026_01_order

from facade.errors import NotFoundError, PaginationError
from facade.fourthwall import AsyncFourthwall, Fourthwall
from facade.shipbob import AsyncShipBob, ShipBob
from tests.support.drivers import Driver, Mode, driven
from tests.support.listings import list_operations, minimal_instance

FW, SB = "https://fourthwall.test", "https://shipbob.test"
Handler = Callable[[httpx.Request], httpx.Response]


def _items(operation_id: str, first: int, count: int) -> list[Any]:
    operation = next(op for op in list_operations() if op.case.operation_id == operation_id)
    return [minimal_instance(operation.item_schema, operation.case.schema, n) for n in range(first, first + count)]


def donations(first: int, count: int) -> list[Any]:
    return _items("list_donations", first, count)


def levels(first: int, count: int) -> list[Any]:
    return _items("get_2026_01_inventory_level", first, count)


def orders(first: int, count: int) -> list[Any]:
    return _items("get_2026_01_order", first, count)


class Script:
    """Answers the n-th request with the n-th response; records every request."""

    def __init__(self, responses: Sequence[httpx.Response]) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) > len(self.responses):
            return httpx.Response(500, json={"title": "script exhausted"})
        return self.responses[len(self.requests) - 1]


def wrapper(results: list[Any], *, page: int, total: int | None, total_pages: int, size: int = 2) -> httpx.Response:
    """A Fourthwall page wrapper; ``total=None`` leaves the total out (only ``totalPages`` says more follow)."""
    body = {"results": results, "total": total, "page": page, "size": size, "totalPages": total_pages}
    if total is None:
        del body["total"]
    return httpx.Response(200, json=body)


def links(items: list[Any], next_: str | None) -> httpx.Response:
    return httpx.Response(200, json={"items": items, "next": next_})


def _run(vendor: str, script: Handler, mode: Mode, op_module: Any, **kwargs: Any) -> list[Any]:
    with _driver(vendor, script, mode) as driver:
        return driver.collect(driver.client.paginate, _op(op_module, mode), **kwargs)


def _driver(vendor: str, script: Handler, mode: Mode) -> AbstractContextManager[Driver]:
    classes = {"fourthwall": (Fourthwall, AsyncFourthwall, FW), "shipbob": (ShipBob, AsyncShipBob, SB)}
    sync_cls, async_cls, base = classes[vendor]

    def factory(m: Mode) -> Any:
        cls = sync_cls if m == "sync" else async_cls
        return cls(auth="t", base_url=base, transport=httpx.MockTransport(script), rate_limit=None, max_retries=0)

    return driven(factory, mode)


def _op(module: Any, mode: Mode) -> Any:
    return module.sync_detailed if mode == "sync" else module.asyncio_detailed


def _fails(reason: str, vendor: str, script: Handler, mode: Mode, module: Any, **kwargs: Any) -> PaginationError:
    with pytest.raises(PaginationError) as caught:
        _run(vendor, script, mode, module, **kwargs)
    assert caught.value.reason == reason, caught.value
    assert caught.value.label == module.__name__.rsplit(".", 1)[-1]
    return caught.value


# -- Fourthwall page wrapper ---------------------------------------------------------------------------------


def test_fourthwall_pages_are_asked_by_number_and_size_and_all_items_come_once(mode: Mode) -> None:
    script = Script([wrapper(donations(2 * p, 2 if p < 2 else 1), page=p, total=5, total_pages=3) for p in range(3)])
    items = _run("fourthwall", script, mode, list_donations, page_size=2)
    assert len(items) == 5
    assert [(r.url.params["page"], r.url.params["size"]) for r in script.requests] == [
        ("0", "2"),
        ("1", "2"),
        ("2", "2"),
    ]


def test_empty_page_while_total_pages_says_more_is_an_error_not_2_of_6(mode: Mode) -> None:
    # issue 18 item 4: page 1 of 3 came back empty; today's loop returned the 2 items of page 0 silently.
    script = Script(
        [wrapper(donations(0, 2), page=0, total=6, total_pages=3), wrapper([], page=1, total=6, total_pages=3)]
    )
    error = _fails("empty_page", "fourthwall", script, mode, list_donations, page_size=2)
    assert "after 2 item(s)" in str(error)


def test_empty_page_while_only_total_pages_says_more_is_an_error(mode: Mode) -> None:
    """No `total` in the wrapper: the declared page count alone must catch page 1 of 3 coming back empty."""
    script = Script(
        [wrapper(donations(0, 2), page=0, total=None, total_pages=3), wrapper([], page=1, total=None, total_pages=3)]
    )
    error = _fails("empty_page", "fourthwall", script, mode, list_donations, page_size=2)
    assert "more pages" in str(error)


def test_empty_first_page_with_a_total_above_zero_is_an_error(mode: Mode) -> None:
    script = Script([wrapper([], page=0, total=4, total_pages=2)])
    _fails("empty_page", "fourthwall", script, mode, list_donations, page_size=2)


def test_an_empty_listing_is_fine(mode: Mode) -> None:
    script = Script([wrapper([], page=0, total=0, total_pages=0)])
    assert _run("fourthwall", script, mode, list_donations) == []


def test_wrong_page_number_is_an_error(mode: Mode) -> None:
    script = Script(
        [
            wrapper(donations(0, 2), page=0, total=6, total_pages=3),
            wrapper(donations(2, 2), page=0, total=6, total_pages=3),
        ]
    )
    _fails("wrong_page", "fourthwall", script, mode, list_donations, page_size=2)


def test_a_server_ignoring_the_page_parameter_is_repeated_page(mode: Mode) -> None:
    same = donations(0, 2)
    script = Script([wrapper(same, page=0, total=6, total_pages=3), wrapper(same, page=1, total=6, total_pages=3)])
    _fails("repeated_page", "fourthwall", script, mode, list_donations, page_size=2)


@pytest.mark.parametrize(("total", "pages"), [(6, 4), (7, 3)], ids=["page count", "total"])
def test_a_declared_page_count_or_total_that_changes_is_an_error(mode: Mode, total: int, pages: int) -> None:
    script = Script(
        [
            wrapper(donations(0, 2), page=0, total=6, total_pages=3),
            wrapper(donations(2, 2), page=1, total=total, total_pages=pages),
        ]
    )
    _fails("page_count_changed", "fourthwall", script, mode, list_donations, page_size=2)


def test_items_shifted_across_pages_are_detected_not_returned_twice(mode: Mode) -> None:
    # One item inserted at the front between the two requests: the last item of page 0 is the first of page 1.
    first, second = donations(0, 2), donations(1, 2)
    script = Script([wrapper(first, page=0, total=4, total_pages=2), wrapper(second, page=1, total=4, total_pages=2)])
    error = _fails("duplicate_item", "fourthwall", script, mode, list_donations, page_size=2)
    assert "list again" in str(error)


def test_a_single_page_wrapper_declaring_more_than_it_holds_is_missing_items(mode: Mode) -> None:
    # GET /webhooks answers the page wrapper but takes no page parameter: the rest cannot be asked for.
    item = _items("list_webhooks", 0, 1)
    script = Script([wrapper(item, page=0, total=3, total_pages=3, size=1)])
    _fails("missing_items", "fourthwall", script, mode, list_webhooks)
    assert len(script.requests) == 1


def test_max_pages_bounds_the_walk(mode: Mode) -> None:
    script = Script([wrapper(donations(2 * p, 2), page=p, total=20, total_pages=10) for p in range(10)])
    _fails("too_many_pages", "fourthwall", script, mode, list_donations, page_size=2, max_pages=3)
    assert len(script.requests) == 3


# -- ShipBob {items, next} links and cursors -----------------------------------------------------------------


def test_links_follow_relative_and_absolute_next_urls_on_the_same_origin(mode: Mode) -> None:
    script = Script(
        [
            links(levels(0, 2), "/2026-01/inventory-level?cursor=2"),
            links(levels(2, 2), f"{SB}/2026-01/inventory-level?cursor=4"),
            links(levels(4, 1), None),
        ]
    )
    items = _run("shipbob", script, mode, get_2026_01_inventory_level, page_size=2)
    assert [i.inventory_id for i in items] == [1, 2, 3, 4, 5]
    assert [str(r.url) for r in script.requests[1:]] == [
        f"{SB}/2026-01/inventory-level?cursor=2",
        f"{SB}/2026-01/inventory-level?cursor=4",
    ]
    assert script.requests[0].url.params["PageSize"] == "2"
    assert all(r.headers["authorization"] == "Bearer t" for r in script.requests)  # followed with our auth


def test_a_next_url_on_another_origin_is_refused_before_any_request(mode: Mode) -> None:
    script = Script([links(levels(0, 2), "https://evil.test/2026-01/inventory-level?cursor=2")])
    _fails("foreign_next", "shipbob", script, mode, get_2026_01_inventory_level)
    assert [r.url.host for r in script.requests] == ["shipbob.test"]


def test_a_next_chain_that_loops_is_an_error(mode: Mode) -> None:
    again = "/2026-01/inventory-level?cursor=2"
    script = Script(
        [
            links(levels(0, 1), again),
            links(levels(1, 1), "/2026-01/inventory-level?cursor=3"),
            links(levels(2, 1), again),
        ]
    )
    _fails("next_loop", "shipbob", script, mode, get_2026_01_inventory_level)
    assert len(script.requests) == 3


def test_an_empty_page_with_a_next_link_is_an_error(mode: Mode) -> None:
    script = Script(
        [links(levels(0, 2), "/2026-01/inventory-level?cursor=2"), links([], "/2026-01/inventory-level?cursor=3")]
    )
    _fails("empty_page", "shipbob", script, mode, get_2026_01_inventory_level)


def test_a_cursor_token_goes_back_as_the_cursor_parameter(mode: Mode) -> None:
    channel = _items("get_2026_01_channel", 0, 2)
    script = Script([links(channel[:1], "m8cUk/xJkb=="), links(channel[1:], None)])
    items = _run("shipbob", script, mode, get_2026_01_channel, page_size=1)
    assert len(items) == 2
    assert script.requests[1].url.params["Cursor"] == "m8cUk/xJkb=="
    assert script.requests[1].url.params["RecordsPerPage"] == "1"


def test_a_token_for_an_operation_without_a_cursor_parameter_is_unfollowable(mode: Mode) -> None:
    script = Script([links(levels(0, 2), "m8cUk/xJkb==")])
    _fails("unfollowable_next", "shipbob", script, mode, get_2026_01_inventory_level)
    assert len(script.requests) == 1


def test_a_failing_followed_page_is_a_typed_error(mode: Mode) -> None:
    script = Script(
        [links(levels(0, 2), "/2026-01/inventory-level?cursor=2"), httpx.Response(404, json={"title": "gone"})]
    )
    with pytest.raises(NotFoundError) as caught:
        _run("shipbob", script, mode, get_2026_01_inventory_level)
    assert caught.value.operation == "get_2026_01_inventory_level"


def test_shifted_shipbob_items_are_detected(mode: Mode) -> None:
    script = Script([links(levels(0, 2), "/2026-01/inventory-level?cursor=2"), links(levels(1, 2), None)])
    _fails("duplicate_item", "shipbob", script, mode, get_2026_01_inventory_level)


def test_a_cursor_leading_back_to_an_earlier_page_is_detected(mode: Mode) -> None:
    """Old behaviour: only adjacent pages were compared, so links answering [1, 2], [3, 4], [1, 2] listed
    1, 2, 3, 4, 1, 2 without a word."""
    script = Script(
        [
            links(levels(0, 2), "/2026-01/inventory-level?cursor=2"),
            links(levels(2, 2), "/2026-01/inventory-level?cursor=4"),
            links(levels(0, 2), None),
        ]
    )
    error = _fails("duplicate_item", "shipbob", script, mode, get_2026_01_inventory_level)
    assert "first on page 1, came again on page 3" in str(error)


def test_a_misaligned_walk_back_is_detected_within_a_page(mode: Mode) -> None:
    """A cursor leading back to the middle of an earlier page: the re-walk passes the first item of the page
    after it, which the guard remembers (one key per page)."""
    pages = [levels(0, 2), levels(2, 2), levels(4, 2), levels(1, 2)]  # ids 1-2, 3-4, 5-6, then 2-3 again
    script = Script([links(items, f"/2026-01/inventory-level?cursor={n + 1}") for n, items in enumerate(pages)])
    error = _fails("duplicate_item", "shipbob", script, mode, get_2026_01_inventory_level)
    assert "first on page 2, came again on page 4" in str(error)
    assert len(script.requests) == 4


def test_endless_fresh_next_links_stop_at_max_pages(mode: Mode) -> None:
    script = Script([links(levels(p, 1), f"/2026-01/inventory-level?cursor={p + 1}") for p in range(10)])
    _fails("too_many_pages", "shipbob", script, mode, get_2026_01_inventory_level, max_pages=4)
    assert len(script.requests) == 4


# -- ShipBob Page/Limit with headers (GET /order) ------------------------------------------------------------


def _page(items: list[Any], **headers: str) -> httpx.Response:
    return httpx.Response(200, json=items, headers={k.replace("_", "-"): v for k, v in headers.items()})


def test_orders_follow_the_next_page_header_one_based(mode: Mode) -> None:
    script = Script(
        [
            _page(orders(0, 2), next_page="/order?Page=2"),
            _page(orders(2, 2), next_page="/order?Page=3"),
            _page(orders(4, 1)),
        ]
    )
    items = _run("shipbob", script, mode, get_2026_01_order, page_size=2)
    assert [o.id for o in items] == [1, 2, 3, 4, 5]
    assert [(r.url.params["Page"], r.url.params["Limit"]) for r in script.requests] == [
        ("1", "2"),
        ("2", "2"),
        ("3", "2"),
    ]


def test_orders_total_pages_header_decides_over_a_full_page(mode: Mode) -> None:
    script = Script([_page(orders(0, 2), total_pages="2"), _page(orders(2, 2), total_pages="2")])
    assert len(_run("shipbob", script, mode, get_2026_01_order, page_size=2)) == 4
    assert len(script.requests) == 2  # the full last page is not followed by a third request


def test_orders_without_headers_stop_at_a_short_page(mode: Mode) -> None:
    script = Script([_page(orders(0, 2)), _page(orders(2, 1))])
    assert len(_run("shipbob", script, mode, get_2026_01_order, page_size=2)) == 3


def test_orders_empty_page_while_next_page_says_more_is_an_error(mode: Mode) -> None:
    script = Script([_page(orders(0, 2), next_page="/order?Page=2"), _page([], next_page="/order?Page=3")])
    _fails("empty_page", "shipbob", script, mode, get_2026_01_order, page_size=2)


def test_orders_page_number_header_must_match(mode: Mode) -> None:
    script = Script(
        [_page(orders(0, 2), next_page="x", page_number="1"), _page(orders(2, 2), next_page="x", page_number="1")]
    )
    _fails("wrong_page", "shipbob", script, mode, get_2026_01_order, page_size=2)


def test_orders_shifted_between_pages_are_detected(mode: Mode) -> None:
    script = Script([_page(orders(0, 2), next_page="x"), _page(orders(1, 2))])
    _fails("duplicate_item", "shipbob", script, mode, get_2026_01_order, page_size=2)


# -- the loop's values ---------------------------------------------------------------------------------------


def test_pages_report_what_the_server_declared_and_nothing_is_fetched_before_iteration() -> None:
    script = Script(
        [
            wrapper(donations(0, 2), page=0, total=3, total_pages=2),
            wrapper(donations(2, 1), page=1, total=3, total_pages=2),
        ]
    )
    with _driver("fourthwall", script, "sync") as driver:
        assert isinstance(driver, Driver)
        listing = driver.client.paginate(list_donations.sync_detailed, page_size=2)
        assert script.requests == []
        pages = iter(listing.pages())
        first = next(pages)
        assert len(script.requests) == 1  # the second page is fetched only when reached
        rest = list(pages)
    assert (first.number, first.total_pages, first.total, len(first.items)) == (0, 2, 3, 2)
    assert first.next is not None and first.next.number == 1
    assert [len(p.items) for p in rest] == [1] and rest[0].next is None


def test_items_sharing_a_foreign_key_are_not_duplicates(mode: Mode) -> None:
    # The transactions of one invoice all carry its invoice_id; identity is the transaction_id.
    from shipbob_client.api.billing import get_2026_01_invoices_by_invoice_id_transactions as transactions

    rows = _items("get_2026_01_invoices_by_invoice_id_transactions", 0, 4)
    for row in rows:
        row["invoice_id"] = 42
    script = Script([links(rows[:2], "c/2=="), links(rows[2:], None)])
    items = _run("shipbob", script, mode, transactions, invoice_id=42, page_size=2)
    assert [t.transaction_id for t in items] == [r["transaction_id"] for r in rows]
