"""Every injected fault either recovers with the complete, correct stock or raises the right typed error.

A real server on 127.0.0.1 (``tests.faults.server.FaultServer``) serves a script of faults to the facade clients
(3 attempts, millisecond backoff, 1 s read timeout). Fourthwall product ``p45`` has 45 variants over 3 pages of
20.

==========================================  ====================================================  ========
fault (on page 1 of 3 unless noted)         expected outcome                                      requests
==========================================  ====================================================  ========
429 + ``Retry-After: 0.2`` (page 0)         recovers, complete; retry sent >= 0.2 s later        4
429 + ``x-retry-after: 0.2`` (ShipBob)      recovers, complete; retry sent >= 0.2 s later        2
429 + ``Retry-After: <HTTP date>``          recovers, complete                                    4
500, 502 (page 1) then 503, 504 (page 2)    recovers, complete                                    7
520 once                                    recovers, complete                                    4
connection reset mid-body                   recovers, complete                                    4
connection reset before any response        recovers, complete                                    4
stall past the read timeout                 recovers, complete                                    4
HTML error page (502) once                  recovers, complete                                    4
503 on every attempt                        ``ServerError`` (503) after 3 attempts, no data       4
520 on every attempt                        ``NonStandardStatusError`` (520), no data             4
stall on every attempt                      ``APITimeoutError`` after 3 attempts, no data         4
truncated JSON (200, valid framing)         ``ResponseValidationError``, not retried              2
HTML page with 200                          ``ResponseValidationError``, not retried              2
empty 401                                   ``AuthenticationError``, not retried                  2
missing required field (results, quantity)  ``ResponseValidationError``, no data                  2
``null`` where an object is expected        ``ResponseValidationError``, no data                  2
repeated page (page 1 = page 0)             ``PaginationError`` (``repeated_page``), no data      2
``totalPages`` changing mid-iteration       ``PaginationError`` (``page_count_changed``), no data  2
404 with vendor code (unknown product)      ``NotFoundError`` with the code, not retried          1
``null`` in a ShipBob list of objects       ``ResponseValidationError``                           1 view
OAuth token POST answers 503                ``TokenRefreshError``; the POST is not retried        1 POST
bulk: one product's page 1 always 503       that product in ``failures``, none of its levels      -
redirect to another origin                  followed; the other origin gets no ``Authorization``  1 + 1
==========================================  ====================================================  ========

"requests" counts what the server saw for the product: 3 pages plus one per retried fault.

Errors never carry partial data (``inventory`` returns all pages or raises) and are all ``FacadeError``
subclasses; ``test_security_under_faults.py`` checks that no credential reaches logs or errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import pytest

from facade import BasicAuth, Fourthwall
from facade.errors import (
    APITimeoutError,
    AuthenticationError,
    FacadeError,
    NonStandardStatusError,
    NotFoundError,
    PaginationError,
    ResponseValidationError,
    ServerError,
    TokenRefreshError,
)
from tests.faults._clients import (
    async_fourthwall,
    bounded,
    fourthwall,
    fourthwall_truth,
    run_bounded,
    shipbob,
    shipbob_truth,
    summary,
)
from tests.faults.server import (
    Catalog,
    Fault,
    FaultServer,
    Mutate,
    Redirect,
    ResetBeforeResponse,
    ResetMidBody,
    Respond,
    Stall,
)

PID = "p45"
PAGE = {0: r"p45/inventory\?page=0", 1: r"p45/inventory\?page=1", 2: r"p45/inventory\?page=2"}
HTML = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


@pytest.fixture
def srv() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


def product_requests(srv: Any, pid: str = PID) -> list[Any]:
    return [r for r in srv.requests if f"/{pid}/" in r.path]


def sb_view(pid: int, view: str = "") -> str:
    """The script pattern of a ShipBob inventory view request for product ``pid`` (inventory ids pid*100+i)."""
    return rf"GET /2026-01/inventory-level{view}\?.*InventoryIds={pid}00"


def sb_requests(srv: Any, pattern: str) -> list[Any]:
    return [r for r in srv.requests if re.search(pattern, f"{r.method} {r.target}")]


def fetch_fourthwall(srv: Any, pid: str = PID, **options: Any) -> Any:
    with fourthwall(srv.url, **options) as fw:
        return bounded(lambda: fw.inventory(pid))


# --- recovers --------------------------------------------------------------------------------------------------

RECOVERING = {
    "429 Retry-After seconds": [Respond(429, b'{"code":"OPEN_API_TOO_MANY_REQUESTS"}', (("Retry-After", "0.2"),))],
    "429 Retry-After date": [
        Respond(429, b"{}", (("Retry-After", format_datetime(datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)),))
    ],
    "500 502 503 504": [Respond(500), Respond(502), Respond(503, headers=(("Retry-After", "0"),)), Respond(504)],
    "520 once": [Respond(520, b"error code: 520", content_type="text/plain")],
    "reset mid-body": [ResetMidBody()],
    "reset before response": [ResetBeforeResponse()],
    "stall past read timeout": [Stall(3.0)],
    "HTML 502 page": [Respond(502, HTML, content_type="text/html")],
}


@pytest.mark.parametrize("faults", RECOVERING.values(), ids=RECOVERING.keys())
def test_transient_faults_on_a_middle_page_recover_completely(srv: FaultServer, faults: list[Fault]) -> None:
    # Only page 1 gets faults (at most 2 before a success, within the 3 attempts), interleaved so that the
    # 500..504 row needs more than one product fetch: split it over pages 1 and 2.
    srv.script(PAGE[1], *faults[:2])
    srv.script(PAGE[2], *faults[2:])
    levels = fetch_fourthwall(srv)
    assert summary(levels) == fourthwall_truth(PID)
    assert len(product_requests(srv)) == 3 + len(faults)


def test_retry_after_is_honoured_before_the_retry(srv: FaultServer) -> None:
    srv.script(PAGE[0], Respond(429, b"{}", (("Retry-After", "0.2"),)))
    assert summary(fetch_fourthwall(srv)) == fourthwall_truth(PID)
    first, retry = product_requests(srv)[:2]
    assert first.fault == "Respond(429)" and retry.fault == "ok"
    assert retry.at - first.at >= 0.2  # a lower bound only: the client may wait longer, never shorter


def test_shipbob_x_retry_after_is_honoured(srv: FaultServer) -> None:
    srv.script(sb_view(42), Respond(429, b"{}", (("x-retry-after", "0.2"), ("x-remaining-calls", "0"))))
    with shipbob(srv.url) as sb:
        levels = bounded(lambda: sb.inventory(42))
    assert summary(levels) == shipbob_truth(42)
    first, retry = sb_requests(srv, sb_view(42))
    assert (first.fault, retry.fault) == ("Respond(429)", "ok")
    assert retry.at - first.at >= 0.2


def test_async_client_recovers_the_same_way(srv: FaultServer) -> None:
    srv.script(PAGE[0], ResetMidBody())
    srv.script(PAGE[2], Respond(503), Stall(3.0))

    async def main() -> Any:
        async with async_fourthwall(srv.url) as fw:
            return await fw.inventory(PID)

    assert summary(run_bounded(main())) == fourthwall_truth(PID)


# --- raises the right typed error ------------------------------------------------------------------------------


def missing_results(page: dict[str, Any]) -> None:
    del page["results"]


def missing_quantity(page: dict[str, Any]) -> None:
    del page["results"][0]["quantity"]


def null_stock(page: dict[str, Any]) -> None:
    page["results"][3] = None


def zero_as_total_pages(page: dict[str, Any]) -> None:
    page["totalPages"] = 2


FAILING = {
    # name: (script for page 1, expected error type, requests the server sees for the product)
    "503 every attempt": ([Respond(503)] * 3, ServerError, 4),
    "520 every attempt": ([Respond(520, b"error code: 520", content_type="text/plain")] * 3, NonStandardStatusError, 4),
    "stall every attempt": ([Stall(3.0)] * 3, APITimeoutError, 4),
    "truncated JSON": ([Respond(200, b'{"results": [{"variantId": "6f1c2a4e-8d2b')], ResponseValidationError, 2),
    "HTML with 200": ([Respond(200, HTML, content_type="text/html")], ResponseValidationError, 2),
    "empty 401": ([Respond(401, b"", content_type=None)], AuthenticationError, 2),
    "missing results": ([Mutate(missing_results, "missing field")], ResponseValidationError, 2),
    "missing quantity": ([Mutate(missing_quantity, "missing field")], ResponseValidationError, 2),
    "null stock": ([Mutate(null_stock, "null object")], ResponseValidationError, 2),
    "repeated page": ([Mutate(lambda _: Catalog.fourthwall_page(PID, 0, 20), "repeated page")], PaginationError, 2),
    "totalPages changed": ([Mutate(zero_as_total_pages, "totalPages changed")], PaginationError, 2),
}


@pytest.mark.parametrize(("faults", "error", "requests"), FAILING.values(), ids=FAILING.keys())
def test_persistent_or_malformed_answers_raise_a_typed_error_and_return_no_data(
    srv: FaultServer, faults: list[Fault], error: type[FacadeError], requests: int
) -> None:
    srv.script(PAGE[1], *faults)
    with pytest.raises(error) as raised:
        fetch_fourthwall(srv)
    assert isinstance(raised.value, FacadeError)
    assert raised.value.ids.get("product_id") == PID
    # Page 0 once, then page 1 as often as the policy allows: retried faults 3 times, the rest once.
    assert len(product_requests(srv)) == requests


def test_pagination_errors_name_the_guard(srv: FaultServer) -> None:
    srv.script(PAGE[1], Mutate(lambda _: Catalog.fourthwall_page(PID, 0, 20), "repeated page"))
    with pytest.raises(PaginationError) as repeated:
        fetch_fourthwall(srv)
    srv.script(PAGE[1], Mutate(zero_as_total_pages, "totalPages changed"))
    with pytest.raises(PaginationError) as changed:
        fetch_fourthwall(srv)
    assert repeated.value.reason in {"repeated_page", "wrong_page"}
    assert changed.value.reason == "page_count_changed"


def test_not_found_carries_the_vendor_code_and_is_not_retried(srv: FaultServer) -> None:
    with pytest.raises(NotFoundError) as raised:
        fetch_fourthwall(srv, pid="no-such-offer")
    assert raised.value.code == "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR"
    assert len(product_requests(srv, "no-such-offer")) == 1


def test_shipbob_null_where_an_object_is_expected(srv: FaultServer) -> None:
    def null_center(body: dict[str, Any]) -> None:
        body["items"][0]["locations"] = [None]

    srv.script(sb_view(8, "/locations"), Mutate(null_center, "null object"))
    with shipbob(srv.url) as sb, pytest.raises(ResponseValidationError):
        bounded(lambda: sb.inventory(8))


def test_oauth_token_post_is_not_retried_after_a_server_error(srv: FaultServer) -> None:
    srv.script(r"POST /open-api/v1\.0/platform/token", Respond(503, b'{"error":"temporarily_unavailable"}'))
    with _oauth_fourthwall(srv.url) as fw, pytest.raises(TokenRefreshError) as raised:
        bounded(lambda: fw.inventory("p3"))
    assert raised.value.status_code == 503
    posts = [r for r in srv.requests if r.method == "POST"]
    assert len(posts) == 1
    assert not product_requests(srv, "p3")


def _oauth_fourthwall(url: str) -> Any:
    from facade import Fourthwall
    from facade.auth import OAuthApp
    from tests.faults._clients import FAST, TIMEOUT

    client = Fourthwall(
        auth=OAuthApp(client_id="app-id", client_secret="app-secret", refresh_token="refresh-1"),
        base_url=url,
        timeout=TIMEOUT,
        rate_limit=None,
    )
    return client.with_options(retry_policy=FAST)


def test_bulk_reports_a_failing_product_without_any_of_its_levels(srv: FaultServer) -> None:
    srv.script(PAGE[1], *[Respond(503)] * 3)
    with fourthwall(srv.url) as fw:
        result = bounded(lambda: fw.inventory_many(["p3", PID, "p5"], concurrency=2))
    assert [f.product_id for f in result.failures] == [PID]
    assert isinstance(result.failures[0].error, ServerError)
    assert summary(result.levels) == fourthwall_truth("p3") + fourthwall_truth("p5")
    assert not [level for level in result.levels if level.product_id == PID]


# --- redirects ---------------------------------------------------------------------------------------------------


def test_a_redirect_to_another_origin_does_not_carry_the_credentials(srv: FaultServer) -> None:
    with FaultServer() as other:
        srv.script(r"p3/inventory", Redirect(f"{other.url}/open-api/v1.0/products/p3/inventory?page=0&size=20"))
        srv.script(r"GET /2026-01/product/3$", Redirect(f"{other.url}/2026-01/product/3"))
        levels = fetch_fourthwall(srv, pid="p3")
        with shipbob(srv.url) as sb:
            items = bounded(lambda: sb.inventory(3))
    assert summary(levels) == fourthwall_truth("p3")
    assert summary(items) == shipbob_truth(3)
    # The two redirected requests, then ShipBob's three inventory views at the configured origin.
    assert [r.fault for r in srv.requests] == ["Redirect(302)", "Redirect(302)", "ok", "ok", "ok"]
    assert all("authorization" in r.headers for r in srv.requests)
    assert len(other.requests) == 2
    assert not [r for r in other.requests if "authorization" in r.headers]


def test_the_server_script_is_what_the_table_says(srv: FaultServer) -> None:
    # Guard against a silently ignored script: the fault must really be served.
    srv.script(PAGE[0], Respond(503))
    fetch_fourthwall(srv)
    assert [r.fault for r in product_requests(srv)][:2] == ["Respond(503)", "ok"]
    assert json.loads(json.dumps(Catalog.fourthwall_page(PID, 2, 20)))["results"]


def test_retries_are_configurable_per_client_and_per_call(srv: FaultServer) -> None:
    srv.script(PAGE[0], Respond(503), Respond(503))
    with fourthwall(srv.url) as fw:
        with pytest.raises(ServerError):
            bounded(lambda: fw.with_options(max_retries=0).inventory(PID))  # per call: no retry
        assert summary(bounded(lambda: fw.inventory(PID))) == fourthwall_truth(PID)  # the client's 2 retries
    assert [r.fault for r in product_requests(srv)][:3] == ["Respond(503)", "Respond(503)", "ok"]
    before = len(product_requests(srv))
    srv.script(PAGE[0], Respond(503))
    no_retries = Fourthwall(auth=BasicAuth("u", "p"), base_url=srv.url, rate_limit=None, max_retries=0)
    with no_retries, pytest.raises(ServerError):
        bounded(lambda: no_retries.inventory(PID))  # per client: max_retries=0
    assert len(product_requests(srv)) == before + 1
