"""`client.paginate` handles EVERY list operation of both generated clients, sync and async.

The list operations are found from the vendored specs (``tests.support.listings``), not from the facade's rule,
and each is played by a server answering 3 pages of minimal spec-valid items as its spec declares. Every item
must come back exactly once, in order, from exactly 3 requests; and every operation that is not a listing must
be refused by `scheme_for` before any request.
"""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any

import httpx
import pytest

from facade.errors import InvalidArgumentError
from facade.fourthwall import AsyncFourthwall, Fourthwall
from facade.pagination import scheme_for
from facade.shipbob import AsyncShipBob, ShipBob
from tests.support.drivers import Mode, driven
from tests.support.listings import ListingServer, ListOperation, list_operations, path_arguments
from tests.support.openapi_cases import response_cases

BASE_URLS = {"fourthwall": "https://fourthwall.test", "shipbob": "https://shipbob.test"}
CLIENTS: dict[str, dict[Mode, Any]] = {
    "fourthwall": {"sync": Fourthwall, "async": AsyncFourthwall},
    "shipbob": {"sync": ShipBob, "async": AsyncShipBob},
}
OPERATIONS = list_operations()


def _client(operation: ListOperation, server: ListingServer, mode: Mode) -> Any:
    cls = CLIENTS[operation.case.vendor][mode]
    return cls(
        auth="token",
        base_url=BASE_URLS[operation.case.vendor],
        transport=httpx.MockTransport(server),
        rate_limit=None,
        max_retries=0,
    )


def test_the_specs_have_list_operations_of_every_scheme() -> None:
    kinds = Counter(op.kind for op in OPERATIONS)
    # Measured on the vendored specs: 10 Fourthwall page wrappers, 12 ShipBob link/cursor bodies, 3 Page/Limit.
    assert kinds["page_wrapper"] >= 10
    assert kinds["links"] >= 12
    assert kinds["header_pages"] >= 3


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.id)
def test_paginate_yields_every_item_exactly_once(operation: ListOperation, mode: Mode) -> None:
    server = ListingServer(operation, base_url=BASE_URLS[operation.case.vendor], per_page=2, pages=3)
    module = operation.module
    op = module.sync_detailed if mode == "sync" else module.asyncio_detailed
    single_page = operation.kind == "page_wrapper" and "page" not in inspect.signature(op).parameters

    with driven(lambda m: _client(operation, server, m), mode) as driver:
        items = driver.collect(driver.client.paginate, op, page_size=2, **path_arguments(module))

    assert sorted(server.served) == list(range(server.total))  # every item served once
    assert len(server.requests) == (1 if single_page else 3)
    assert len(items) == server.total
    # What came back is what was served, in order: each item equals the served JSON parsed by its own model.
    served = [type(items[0]).from_dict(server.items[i]).to_dict() for i in server.served]
    assert [item.to_dict() for item in items] == served
    assert scheme_for(op).kind == operation.kind


def test_every_other_operation_is_refused_before_any_request() -> None:
    listed = {(op.case.vendor, op.case.operation_id) for op in OPERATIONS}
    others = {
        (case.vendor, case.operation_id): case.module
        for case in response_cases()
        if (case.vendor, case.operation_id) not in listed
    }
    assert len(others) > 40
    for (vendor, name), module in sorted(others.items()):
        with pytest.raises(InvalidArgumentError, match=name) as caught:
            scheme_for(module.sync_detailed)
        assert caught.value.operation == name, vendor
