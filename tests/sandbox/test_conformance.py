"""Every response the sandbox serves is one the vendored spec allows.

Each request below goes through an httpx response hook that validates the response against the spec operation it
hits (status declared, content type, body schema; see ``_openapi.py`` for how OpenAPI becomes JSON Schema and for
the spec contradictions handled there). The test then checks coverage: every endpoint the sandbox serves was
seen with each status it can send (200, 400 where declared, 401, 404 for the by-id endpoints, 429), including
every page of each listing at several page sizes.

Statuses the specs do not declare, validated against the vendor's documented error shape instead:
- Fourthwall declares no 401 and no 429 anywhere: ``{"code": <string>, ...}`` like its declared errors.
- ShipBob declares no 429 anywhere, and no 401 for ``/product`` and ``/product/{productId}``: its ProblemDetails
  schema (``Inventory.ProblemDetails``), the body its other endpoints declare for 401.
- The token endpoints: Fourthwall's declares only 200 (``{type: object}``), ShipBob's is on another host and not
  in the spec at all: RFC 6749 token and error responses.
"""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import httpx
import pytest

from facade.sandbox import Limit, RateLimits, Sandbox

from ._openapi import SpecValidator
from .conftest import SHIPBOB_PAGE_SIZE_LISTINGS

FW = "/open-api/v1.0"
SB = "/2026-01"
_FW_ERROR = {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}
_OAUTH_TOKEN = {
    "type": "object",
    "required": ["access_token", "token_type", "expires_in", "refresh_token"],
    "properties": {
        "access_token": {"type": "string", "minLength": 1},
        "token_type": {"const": "Bearer"},
        "expires_in": {"type": "integer", "minimum": 1},
        "refresh_token": {"type": "string", "minLength": 1},
        "scope": {"type": "string"},
    },
}
_OAUTH_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"enum": ["invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type"]}},
}


class Conformance:
    """Validates every response it sees; remembers (vendor, method, path template, status) for coverage."""

    def __init__(self, fourthwall: SpecValidator, shipbob: SpecValidator) -> None:
        self.specs = {"fourthwall": fourthwall, "shipbob": shipbob}
        self.problems: list[str] = []
        self.seen: set[tuple[str, str, str, int]] = set()

    def hook(self, vendor: str) -> Any:
        def check(response: httpx.Response) -> None:
            response.read()
            request = response.request
            path = request.url.path
            spec = self.specs[vendor]
            if path in (f"{FW}/platform/token", "/connect/token"):
                schema = _OAUTH_TOKEN if response.status_code == 200 else _OAUTH_ERROR
                problems = spec.validate(schema, response.json())
                if vendor == "fourthwall" and response.status_code == 200:
                    problems += spec.check(request.method, path, 200, response.headers, response.content)
                self.seen.add((vendor, request.method, path, response.status_code))
            else:
                problem = spec.schema_of("Inventory.ProblemDetails")
                undeclared: dict[int, dict[str, Any]] = (
                    {401: _FW_ERROR, 429: _FW_ERROR} if vendor == "fourthwall" else {429: problem, 401: problem}
                )
                problems = spec.check(
                    request.method,
                    path,
                    response.status_code,
                    response.headers,
                    response.content,
                    undeclared=undeclared,
                )
                found = spec.operation(request.method, path)
                template = found[0] if found else path
                self.seen.add((vendor, request.method, template, response.status_code))
            self.problems += [f"{vendor} {request.url}: {p}" for p in problems]

        return check

    def clients(self, sb: Sandbox, *, fw_auth: Any = None, sb_token: str | None = None) -> tuple[httpx.Client, ...]:
        fw = httpx.Client(base_url=sb.fourthwall_url, auth=fw_auth, event_hooks={"response": [self.hook("fourthwall")]})
        headers = {} if sb_token is None else {"Authorization": f"Bearer {sb_token}"}
        shipbob = httpx.Client(
            base_url=sb.shipbob_url, headers=headers, event_hooks={"response": [self.hook("shipbob")]}
        )
        return fw, shipbob


def _fourthwall_pages(client: httpx.Client, path: str, size: int, **params: str) -> Iterator[dict[str, Any]]:
    for page in range(500):  # bounded
        body = client.get(path, params={"page": page, "size": size, **params}).raise_for_status().json()
        yield body
        if page + 1 >= body["totalPages"]:
            return
    raise AssertionError("too many pages")


def _shipbob_pages(client: httpx.Client, path: str, **params: Any) -> Iterator[dict[str, Any]]:
    url: str | None = path
    first = True
    for _ in range(500):
        assert url is not None
        body = client.get(url, params=params if first else None).raise_for_status().json()
        first = False
        yield body
        url = body.get("next")
        if url is None:
            return
        assert urljoin(str(client.base_url), url).startswith(str(client.base_url).rstrip("/"))
    raise AssertionError("too many pages")


@pytest.fixture(scope="module")
def conformance(fourthwall_spec: SpecValidator, shipbob_spec: SpecValidator) -> Conformance:
    return Conformance(fourthwall_spec, shipbob_spec)


def test_every_endpoint_every_status(conformance: Conformance, sandbox: Sandbox) -> None:
    sb = sandbox
    fw, shipbob = conformance.clients(sb, fw_auth=sb.fourthwall_credentials, sb_token=sb.shipbob_token)
    shop = sb.shop
    with fw, shipbob:
        # Fourthwall: every page at several sizes, one by-id of each, 404s, filters.
        for size in (1, 7, 20, 100, 500):
            list(_fourthwall_pages(fw, f"{FW}/products", size))
            list(_fourthwall_pages(fw, f"{FW}/order", size))
        fw.get(f"{FW}/products", params={"search": "tee"})
        fw.get(f"{FW}/order", params={"status": "SHIPPED,DELIVERED", "createdAt[gt]": "2026-09-01T00:00:00Z"})
        fw.get(f"{FW}/order", params={"updatedAt[lt]": "2026-10-01T00:00:00Z", "email": "avery.chen@example.com"})
        for product in shop.fourthwall_products:
            fw.get(f"{FW}/products/{product.id}").raise_for_status()
            for page in _fourthwall_pages(fw, f"{FW}/products/{product.id}/inventory", 3):
                assert page["results"] or page["total"] == 0
        for order in shop.fourthwall_orders[:5]:
            fw.get(f"{FW}/order/{order.id}").raise_for_status()
        assert fw.get(f"{FW}/products/of_missing").status_code == 404
        assert fw.get(f"{FW}/products/of_missing/inventory").status_code == 404
        assert fw.get(f"{FW}/order/ord_missing").status_code == 404

        # ShipBob: every listing followed to its end at several page sizes, by-ids, 404s, 400s.
        for size in (1, 7, 50, 250):
            for path in SHIPBOB_PAGE_SIZE_LISTINGS:
                list(_shipbob_pages(shipbob, f"{SB}/{path}", PageSize=size))
        for size in (1, 2, 250):
            list(_shipbob_pages(shipbob, f"{SB}/channel", RecordsPerPage=size))
            list(_shipbob_pages(shipbob, f"{SB}/webhook", RecordsPerPage=size))
        for limit in (1, 5, 250):
            for number in range(1, 100):
                response = shipbob.get(f"{SB}/order", params={"Page": number, "Limit": limit}).raise_for_status()
                if "Next-Page" not in response.headers:
                    break
        shipbob.get(f"{SB}/order", params={"SortOrder": "Oldest", "StartDate": "2026-09-01T00:00:00Z"})
        shipbob.get(f"{SB}/inventory-level", params={"SearchBy": "TEE", "PageSize": 5})
        shipbob.get(f"{SB}/inventory-level/locations", params={"LocationId": 27})
        for item in shop.shipbob_items:
            for suffix in ("", "/locations", "/lots"):
                shipbob.get(f"{SB}/inventory-level/{item.inventory_id}{suffix}").raise_for_status()
            shipbob.get(f"{SB}/inventory/{item.inventory_id}").raise_for_status()
        for sb_product in shop.shipbob_products:
            shipbob.get(f"{SB}/product/{sb_product.id}").raise_for_status()
        for sb_order in shop.shipbob_orders[:5]:
            shipbob.get(f"{SB}/order/{sb_order.id}").raise_for_status()
        shipbob.get(f"{SB}/fulfillment-center").raise_for_status()
        shipbob.get(f"{SB}/location").raise_for_status()
        for path in (
            "inventory-level/1",
            "inventory-level/1/locations",
            "inventory-level/1/lots",
            "inventory/1",
            "product/1",
            "order/1",
        ):
            assert shipbob.get(f"{SB}/{path}").status_code == 404, path
        assert shipbob.get(f"{SB}/inventory-level", params={"PageSize": 251}).status_code == 400
        assert shipbob.get(f"{SB}/product", params={"PageSize": 0}).status_code == 400
        assert shipbob.get(f"{SB}/order", params={"Limit": 251}).status_code == 400
        assert shipbob.get(f"{SB}/webhook", params={"RecordsPerPage": 251}).status_code == 400
        assert shipbob.get(f"{SB}/channel", params={"RecordsPerPage": 0}).status_code == 400

    _unauthorized(conformance, sb)
    _tokens(conformance, sb)
    _rate_limited(conformance)

    assert not conformance.problems, "\n".join(conformance.problems[:40])
    _assert_coverage(conformance)


_FW_ENDPOINTS = [
    f"{FW}/products",
    f"{FW}/products/{{productId}}",
    f"{FW}/products/{{productId}}/inventory",
    f"{FW}/order",
    f"{FW}/order/{{orderId}}",
]
_SB_ENDPOINTS = [
    f"{SB}/inventory-level",
    f"{SB}/inventory-level/{{inventoryId}}",
    f"{SB}/inventory-level/locations",
    f"{SB}/inventory-level/{{inventoryId}}/locations",
    f"{SB}/inventory-level/lots",
    f"{SB}/inventory-level/{{inventoryId}}/lots",
    f"{SB}/inventory",
    f"{SB}/inventory/{{inventoryId}}",
    f"{SB}/product",
    f"{SB}/product/{{productId}}",
    f"{SB}/order",
    f"{SB}/order/{{orderId}}",
    f"{SB}/channel",
    f"{SB}/webhook",
    f"{SB}/fulfillment-center",
    f"{SB}/location",
]


def _concrete(sb: Sandbox, template: str) -> str:
    shop = sb.shop
    return (
        template.replace(
            "{productId}",
            shop.fourthwall_products[0].id if template.startswith(FW) else str(shop.shipbob_products[0].id),
        )
        .replace(
            "{orderId}", shop.fourthwall_orders[0].id if template.startswith(FW) else str(shop.shipbob_orders[0].id)
        )
        .replace("{inventoryId}", str(shop.shipbob_items[0].inventory_id))
    )


def _unauthorized(conformance: Conformance, sb: Sandbox) -> None:
    wrong_basic = httpx.BasicAuth(sb.fourthwall_credentials[0], "wrong")
    for auth, token in ((None, None), (wrong_basic, "not-a-token")):
        fw, shipbob = conformance.clients(sb, fw_auth=auth, sb_token=token)
        with fw, shipbob:
            for template in _FW_ENDPOINTS:
                assert fw.get(_concrete(sb, template)).status_code == 401, template
            for template in _SB_ENDPOINTS:
                assert shipbob.get(_concrete(sb, template)).status_code == 401, template
    fw, _ = conformance.clients(sb)
    with fw:
        garbage = {"Authorization": "Basic " + base64.b64encode(b"\xff\xfe").decode()}
        assert fw.get(f"{FW}/products", headers=garbage).status_code == 401
        assert fw.get(f"{FW}/products", headers={"Authorization": "Bearer expired"}).status_code == 401


def _tokens(conformance: Conformance, sb: Sandbox) -> None:
    fw, shipbob = conformance.clients(sb)
    creds = sb.credentials
    with fw, shipbob:
        form = {
            "grant_type": "refresh_token",
            "client_id": creds.fourthwall_client_id,
            "client_secret": creds.fourthwall_client_secret,
            "refresh_token": sb.fourthwall_tokens.refresh_token,
        }
        first = fw.post(f"{FW}/platform/token", data=form)
        assert first.status_code == 200
        assert fw.post(f"{FW}/platform/token", data=form).status_code == 400  # rotated: the old one is spent
        access = first.json()["access_token"]
        assert fw.get(f"{FW}/products", headers={"Authorization": f"Bearer {access}"}).status_code == 200
        assert fw.post(f"{FW}/platform/token", data={**form, "client_secret": "x"}).status_code == 401
        form = {
            "grant_type": "refresh_token",
            "client_id": creds.shipbob_client_id,
            "client_secret": creds.shipbob_client_secret,
            "refresh_token": sb.shipbob_tokens.refresh_token,
        }
        first = shipbob.post("/connect/token", data=form)
        assert first.status_code == 200
        assert shipbob.post("/connect/token", data=form).status_code == 400
        access = first.json()["access_token"]
        assert shipbob.get(f"{SB}/channel", headers={"Authorization": f"Bearer {access}"}).status_code == 200


def _rate_limited(conformance: Conformance) -> None:
    # Two requests per (long) window: the third one of each vendor is 429, deterministically.
    limits = RateLimits(fourthwall=Limit(requests=2, window=600.0), shipbob=Limit(requests=2, window=600.0))
    for template in (*_FW_ENDPOINTS, *_SB_ENDPOINTS):
        with Sandbox.start(seed=7, skus=40, rate_limits=limits) as sb:
            fw, shipbob = conformance.clients(sb, fw_auth=sb.fourthwall_credentials, sb_token=sb.shipbob_token)
            client = fw if template.startswith(FW) else shipbob
            with fw, shipbob:
                statuses = [client.get(_concrete(sb, template)).status_code for _ in range(3)]
            assert statuses[2] == 429, (template, statuses)


def _assert_coverage(conformance: Conformance) -> None:
    expected: set[tuple[str, str, str, int]] = set()
    for template in _FW_ENDPOINTS:
        expected |= {("fourthwall", "GET", template, s) for s in (200, 401, 429)}
        if "{" in template:
            expected.add(("fourthwall", "GET", template, 404))
    for template in _SB_ENDPOINTS:
        expected |= {("shipbob", "GET", template, s) for s in (200, 401, 429)}
        if "{" in template:
            expected.add(("shipbob", "GET", template, 404))
    for template in (f"{SB}/inventory-level", f"{SB}/product", f"{SB}/order", f"{SB}/webhook", f"{SB}/channel"):
        expected.add(("shipbob", "GET", template, 400))
    expected |= {("fourthwall", "POST", f"{FW}/platform/token", s) for s in (200, 400, 401)}
    expected |= {("shipbob", "POST", "/connect/token", s) for s in (200, 400)}
    missing = expected - conformance.seen
    assert not missing, sorted(missing)


def test_the_validator_rejects_what_the_specs_forbid(
    fourthwall_spec: SpecValidator, shipbob_spec: SpecValidator, sandbox: Sandbox
) -> None:
    """Guards the guard: the conversions above must not make everything valid."""
    fw, shipbob = (
        httpx.Client(base_url=sandbox.fourthwall_url, auth=sandbox.fourthwall_credentials),
        httpx.Client(base_url=sandbox.shipbob_url, headers={"Authorization": f"Bearer {sandbox.shipbob_token}"}),
    )
    with fw, shipbob:
        offer = fw.get(f"{FW}/products", params={"size": 1}).json()
        level = shipbob.get(f"{SB}/inventory-level", params={"PageSize": 1}).json()
        product = shipbob.get(f"{SB}/product", params={"PageSize": 1}).json()

    def problems(spec: SpecValidator, path: str, body: Any) -> list[str]:
        return spec.check("GET", path, 200, {"content-type": "application/json"}, json.dumps(body).encode())

    assert problems(fourthwall_spec, f"{FW}/products", offer) == []
    assert problems(shipbob_spec, f"{SB}/inventory-level", level) == []
    assert problems(shipbob_spec, f"{SB}/product", product) == []
    broken = copy.deepcopy(offer)
    del broken["results"][0]["variants"]
    assert problems(fourthwall_spec, f"{FW}/products", broken)
    broken = copy.deepcopy(offer)
    broken["results"][0]["variants"][0]["stock"] = {"type": "LIMITED"}  # inStock is required when LIMITED
    assert problems(fourthwall_spec, f"{FW}/products", broken)
    broken = copy.deepcopy(offer)
    broken["results"][0]["variants"][0]["id"] = None  # 3.1: not nullable
    assert problems(fourthwall_spec, f"{FW}/products", broken)
    broken = copy.deepcopy(level)
    broken["items"][0]["total_on_hand_quantity"] = None  # 3.0: not nullable
    assert problems(shipbob_spec, f"{SB}/inventory-level", broken)
    broken = copy.deepcopy(level)
    broken["items"][0]["sku"] = None  # nullable: allowed
    assert problems(shipbob_spec, f"{SB}/inventory-level", broken) == []
    broken["items"][0]["surprise"] = 1  # additionalProperties: false
    assert problems(shipbob_spec, f"{SB}/inventory-level", broken)
    broken = copy.deepcopy(product)
    broken["items"][0]["variants"][0]["inventory"]["on_hand_qty"] = "12"
    assert problems(shipbob_spec, f"{SB}/product", broken)
    broken = copy.deepcopy(product)
    broken["items"][0]["variants"][0]["not_in_spec"] = True  # flattened allOf still closes the object
    assert problems(shipbob_spec, f"{SB}/product", broken)
    broken = copy.deepcopy(level)
    broken["items"][0]["inventory_id"] = 2**31  # int32
    assert problems(shipbob_spec, f"{SB}/inventory-level", broken)
