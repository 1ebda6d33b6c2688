"""Every facade method (sync and async) against Prism serving the raw vendored specs.

Prism validates each request the facade sends against the vendor's published spec: any ``sl-violations`` header
(a missing auth header, a parameter of the wrong type or name, an unknown path) fails the test. The answers are
Prism's: static examples (``dynamic=false``) and seeded dynamic bodies, for every facade method of both vendors.

Prism cannot model a listing: it invents the Fourthwall page wrapper's numbers (``page: -2147483648``) and
ShipBob's ``next`` links (random strings), and its ShipBob views do not share inventory ids. ``consistent``
rewrites those paging fields so each listing ends after the page asked for; a method whose Prism answers cannot
be joined (ShipBob's per-location view naming items the listing did not) must still end in a typed
``FacadeError``, never a raw exception. What the facade makes of well-formed data is checked against the
sandbox (tests/vendors); here the contract is the requests.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import facade
from tests.support.drivers import Mode, driven
from tests.support.prism import PrismServer
from tests.support.prism_traffic import PrismTraffic

pytestmark = pytest.mark.contract

FW_PRODUCT = "00aa4abd-5778-4199-8161-0b49b2f212e5"
SB_PRODUCT = 4711
ANSWERS = [pytest.param("dynamic=false", id="static"), pytest.param("dynamic=true", id="dynamic")]
MODES = [pytest.param("sync", id="sync"), pytest.param("async", id="async")]

# (vendor, facade method, arguments): every task-shaped method of both clients.
_LOCATION = re.compile(r'"location":\["(\w+)"')

METHODS: list[tuple[str, str, tuple[Any, ...]]] = [
    ("fourthwall", "inventory", (FW_PRODUCT,)),
    ("fourthwall", "inventory_many", ([FW_PRODUCT],)),
    ("fourthwall", "stock", ()),
    ("fourthwall", "catalog", ()),
    ("shipbob", "inventory", (SB_PRODUCT,)),
    ("shipbob", "inventory_many", ([SB_PRODUCT],)),
    ("shipbob", "stock", ()),
    ("shipbob", "catalog", ()),
]


def consistent(request: httpx.Request, body: bytes) -> bytes:
    """Prism's answer with its paging fields made to end the listing at the page that was asked for."""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if isinstance(data, dict) and "results" in data and "totalPages" in data:
        requested = int(request.url.params.get("page", "0"))
        results = data["results"] if isinstance(data["results"], list) else []
        data.update(page=requested, totalPages=requested + 1, total=requested * len(results) + len(results))
    elif isinstance(data, dict) and "items" in data:
        data.update({key: None for key in ("next", "prev", "first", "last") if key in data})
    return json.dumps(data).encode()


def request_violations(traffic: PrismTraffic) -> list[str]:
    """What Prism found wrong with OUR requests; it also reports where the vendor's own examples break its
    schemas (``location`` starting with ``response``: Fourthwall's examples give some numbers as strings)."""
    # Prism truncates a long header ("Too many violations! [..."), so the list is read as text, not JSON.
    found = []
    for exchange in traffic.exchanges:
        wheres = _LOCATION.findall(exchange.violations or "")
        if exchange.violations and not wheres:
            found.append(f"{exchange.method} {exchange.url}: {exchange.violations}")
        found += [
            f"{exchange.method} {exchange.url}: {where} ({exchange.violations})"
            for where in wheres
            if where != "response"
        ]
    return found


def _client(vendor: str, prism: PrismServer, traffic: PrismTraffic) -> Callable[[Mode], Any]:
    # A timeout well below the default: a Prism answer that never ends must fail the test, not hang the suite.
    options: dict[str, Any] = {"base_url": prism.base_url, "max_retries": 0, "rate_limit": None, "timeout": 10.0}
    auth: Any = facade.BasicAuth("open-api-user", "contract-password") if vendor == "fourthwall" else "contract-pat"

    def build(mode: Mode) -> Any:
        classes: dict[tuple[str, Mode], Any] = {
            ("fourthwall", "sync"): facade.Fourthwall,
            ("fourthwall", "async"): facade.AsyncFourthwall,
            ("shipbob", "sync"): facade.ShipBob,
            ("shipbob", "async"): facade.AsyncShipBob,
        }
        transport: Any = traffic.transport() if mode == "sync" else traffic.async_transport()
        return classes[vendor, mode](auth, transport=transport, **options)

    return build


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("prefer", ANSWERS)
@pytest.mark.parametrize(("vendor", "method", "args"), METHODS, ids=[f"{v}-{m}" for v, m, _ in METHODS])
def test_every_facade_method_sends_what_the_spec_allows(
    vendor: str, method: str, args: tuple[Any, ...], prefer: str, mode: Mode, request: pytest.FixtureRequest
) -> None:
    prism: PrismServer = request.getfixturevalue(f"{vendor}_prism")
    traffic = PrismTraffic(prefer=prefer, rewrite=consistent)
    # Prism's unjoinable data may be refused, but only as a typed error (see the module docstring).
    with driven(_client(vendor, prism, traffic), mode) as driver, contextlib.suppress(facade.FacadeError):
        driver.run(method, *args)
    assert traffic.exchanges, f"{vendor}.{method} sent no request"
    assert not request_violations(traffic)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("vendor", ["fourthwall", "shipbob"])
def test_not_found_is_a_typed_error_without_credentials(
    vendor: str, mode: Mode, request: pytest.FixtureRequest
) -> None:
    prism: PrismServer = request.getfixturevalue(f"{vendor}_prism")
    traffic = PrismTraffic(prefer="code=404, dynamic=false")
    product = FW_PRODUCT if vendor == "fourthwall" else SB_PRODUCT
    with driven(_client(vendor, prism, traffic), mode) as driver, pytest.raises(facade.NotFoundError) as raised:
        driver.run("inventory", product)
    assert traffic.exchanges and not request_violations(traffic)
    error = raised.value
    assert error.status_code == 404
    for secret in ("contract-password", "contract-pat"):
        assert secret not in str(error) and secret not in repr(error)
    if vendor == "fourthwall":
        assert error.code == "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR"
