"""How `paginate` picks a scheme and builds each request: page sizes, the caller's parameters, and the typed
errors for anything it cannot send (all raised before any request)."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest
from fourthwall_client.api.donations import list_donations
from fourthwall_client.api.orders import get_order, list_orders
from fourthwall_client.api.products_offers import get_product_inventory, list_products
from fourthwall_client.models.list_orders_status_item import ListOrdersStatusItem
from shipbob_client.api.channels import get_2026_01_channel
from shipbob_client.api.inventory import get_2026_01_inventory_level
from shipbob_client.api.locations import get_2026_01_location
from shipbob_client.api.orders import get_2026_01_order

from facade.defaults import FOURTHWALL_PAGE_SIZE, SHIPBOB_PAGE_SIZE
from facade.errors import FacadeError, InvalidArgumentError
from facade.fourthwall import Fourthwall
from facade.pagination import scheme_for
from facade.shipbob import ShipBob

Recorded = list[httpx.Request]


def _empty(request: httpx.Request) -> httpx.Response:
    if request.url.host == "fourthwall.test":
        return httpx.Response(200, json={"results": [], "total": 0, "page": 0, "size": 1, "totalPages": 0})
    if request.url.path.endswith("/order"):
        return httpx.Response(200, json=[])
    return httpx.Response(200, json={"items": [], "next": None})


def _clients(requests: Recorded) -> tuple[Fourthwall, ShipBob]:
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return _empty(request)

    options: dict[str, Any] = {"transport": httpx.MockTransport(handler), "rate_limit": None, "max_retries": 0}
    return Fourthwall(auth="t", base_url="https://fourthwall.test", **options), ShipBob(
        auth="t", base_url="https://shipbob.test", **options
    )


@pytest.mark.parametrize(
    ("op", "kind", "size_param", "cursor_param"),
    [
        (list_products.sync_detailed, "page_wrapper", "size", None),
        (get_product_inventory.asyncio_detailed, "page_wrapper", "size", None),
        (get_2026_01_inventory_level.sync_detailed, "links", "page_size", None),
        (get_2026_01_channel.sync_detailed, "links", "records_per_page", "cursor"),
        (get_2026_01_order.asyncio_detailed, "header_pages", "limit", None),
    ],
)
def test_the_scheme_comes_from_the_response_annotation_and_parameters(
    op: Any, kind: str, size_param: str, cursor_param: str | None
) -> None:
    scheme = scheme_for(op)
    assert (scheme.kind, scheme.size_param, scheme.cursor_param) == (kind, size_param, cursor_param)


@pytest.mark.parametrize("op", [get_order.sync_detailed, get_2026_01_location.sync_detailed], ids=["object", "list"])
def test_an_operation_that_is_not_a_listing_is_refused_by_name_before_any_request(op: Any) -> None:
    requests: Recorded = []
    fw, sb = _clients(requests)
    client = fw if "fourthwall" in op.__module__ else sb
    name = op.__module__.rsplit(".", 1)[-1]
    with client, pytest.raises(InvalidArgumentError, match=f"{name} is not a paginated listing") as caught:
        client.paginate(op)
    assert isinstance(caught.value, FacadeError) and caught.value.operation == name
    assert requests == []


def test_a_callable_that_is_not_a_generated_operation_is_refused() -> None:
    fw, _ = _clients([])
    with fw, pytest.raises(InvalidArgumentError, match="not a generated operation"):
        fw.paginate(lambda **kw: None)


def test_an_unknown_parameter_is_refused_before_any_request() -> None:
    requests: Recorded = []
    fw, _ = _clients(requests)
    with fw, pytest.raises(InvalidArgumentError, match="list_donations takes no parameter colour"):
        fw.paginate(list_donations.sync_detailed, colour="red")
    assert requests == []


@pytest.mark.parametrize("size", [0, -1])
def test_a_page_size_below_one_is_refused(size: int) -> None:
    _, sb = _clients([])
    with sb, pytest.raises(InvalidArgumentError, match="page size must be at least 1"):
        sb.paginate(get_2026_01_inventory_level.sync_detailed, page_size=size)


def test_default_page_sizes_are_the_largest_the_defaults_name() -> None:
    requests: Recorded = []
    fw, sb = _clients(requests)
    with fw, sb:
        list(fw.paginate(list_products.sync_detailed))
        list(sb.paginate(get_2026_01_inventory_level.sync_detailed))
        list(sb.paginate(get_2026_01_order.sync_detailed))
        list(sb.paginate(get_2026_01_channel.sync_detailed))
    params = [r.url.params for r in requests]
    assert params[0]["size"] == str(FOURTHWALL_PAGE_SIZE)
    assert params[1]["PageSize"] == str(SHIPBOB_PAGE_SIZE)
    assert (params[2]["Page"], params[2]["Limit"]) == ("1", str(SHIPBOB_PAGE_SIZE))
    assert params[3]["RecordsPerPage"] == str(SHIPBOB_PAGE_SIZE)


def test_the_size_parameter_given_by_the_caller_wins_over_page_size() -> None:
    requests: Recorded = []
    fw, sb = _clients(requests)
    with fw, sb:
        list(fw.paginate(list_products.sync_detailed, size=7, page_size=3))
        list(sb.paginate(get_2026_01_order.sync_detailed, limit=9))
    assert requests[0].url.params["size"] == "7"
    assert requests[1].url.params["Limit"] == "9"


_SINCE = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
_UNTIL = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("op", "filters", "query"),
    [
        pytest.param(
            list_orders.sync_detailed,
            {
                "created_atgt": _SINCE,
                "updated_atlt": _UNTIL,
                "status": [ListOrdersStatusItem.CONFIRMED, ListOrdersStatusItem.SHIPPED],
            },
            {
                "createdAt[gt]": [_SINCE.isoformat()],
                "updatedAt[lt]": [_UNTIL.isoformat()],
                "status": ["CONFIRMED", "SHIPPED"],
                "page": ["0"],
                "size": [str(FOURTHWALL_PAGE_SIZE)],
            },
            id="fourthwall",
        ),
        pytest.param(
            get_2026_01_order.sync_detailed,
            {"start_date": _SINCE, "last_update_start_date": _SINCE, "sort_order": "Newest", "page_size": 50},
            {
                "StartDate": [_SINCE.isoformat()],
                "LastUpdateStartDate": [_SINCE.isoformat()],
                "SortOrder": ["Newest"],
                "Page": ["1"],
                "Limit": ["50"],
            },
            id="shipbob",
        ),
    ],
)
def test_order_filters_pass_through_paginate(op: Any, filters: dict[str, Any], query: dict[str, list[str]]) -> None:
    requests: Recorded = []
    fw, sb = _clients(requests)
    client = fw if "fourthwall" in op.__module__ else sb
    with fw, sb:
        assert list(client.paginate(op, **filters)) == []
    sent = requests[0].url.params
    assert {name: sent.get_list(name) for name in query} == query
