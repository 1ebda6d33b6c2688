"""A small in-process HTTP server on 127.0.0.1 that plays Fourthwall and ShipBob for the CLI and README tests.

It serves both inventory endpoints with fixed, spec-shaped data, both OAuth token endpoints, and a few failure
products; it checks the Authorization header like the real APIs (401 without a credential it knows) and records
every request so tests can assert what was sent.

Products (see ``FOURTHWALL_PRODUCTS`` and ``SHIPBOB_PRODUCTS``):

- Fourthwall ``prod-mug`` (3 variants), ``prod-hoodie`` (25 variants: two pages at size 20),
  ``prod-missing`` (404 ``OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR``), ``prod-broken`` (200 with invalid JSON);
  any other id is a 404.
- ShipBob ``101`` (one item, two fulfillment centers, one lot), ``102`` (two items), ``404`` and any other id:
  404 ProblemDetails; ``500``: a server error.

    with FakeVendors() as server:
        httpx.get(f"{server.url}/1.0/product/101/inventory", headers={"Authorization": "Bearer sb-pat"})
"""

from __future__ import annotations

import base64
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import attrs

__all__ = [
    "FOURTHWALL_PASSWORD",
    "FOURTHWALL_PRODUCTS",
    "FOURTHWALL_REFRESH_TOKEN",
    "FOURTHWALL_TOKEN",
    "FOURTHWALL_USERNAME",
    "SHIPBOB_PRODUCTS",
    "SHIPBOB_REFRESH_TOKEN",
    "SHIPBOB_TOKEN",
    "FakeVendors",
    "Recorded",
]

FOURTHWALL_USERNAME = "shop-api-user"
FOURTHWALL_PASSWORD = "fw-pass-0000"
FOURTHWALL_TOKEN = "fw-access-token-0000"
FOURTHWALL_REFRESH_TOKEN = "fw-refresh-token-0000"
SHIPBOB_TOKEN = "sb-pat-0000"
SHIPBOB_REFRESH_TOKEN = "sb-refresh-token-0000"

_STAMP = "2026-11-20T10:00:00Z"


def _variant(product: str, index: int) -> dict[str, Any]:
    # Deterministic UUIDs: the product's position and the variant index, so tests can name them.
    serial = sum(map(ord, product)) % 0xFFFF
    return {
        "variantId": f"00000000-0000-4000-8000-{serial:06x}{index:06x}",
        "quantity": (index * 7) % 13,
        "createdAt": "2026-01-02T03:04:05Z",
        "updatedAt": _STAMP,
    }


FOURTHWALL_PRODUCTS: dict[str, list[dict[str, Any]]] = {
    "prod-mug": [_variant("prod-mug", i) for i in range(3)],
    "prod-hoodie": [_variant("prod-hoodie", i) for i in range(25)],
}


def _center(center_id: int, name: str, fulfillable: int, onhand: int, committed: int, awaiting: int) -> dict[str, Any]:
    return {
        "id": center_id,
        "name": name,
        "fulfillable_quantity": fulfillable,
        "onhand_quantity": onhand,
        "committed_quantity": committed,
        "awaiting_quantity": awaiting,
        "internal_transfer_quantity": 0,
    }


SHIPBOB_PRODUCTS: dict[int, list[dict[str, Any]]] = {
    101: [
        {
            "id": 5001,
            "name": "Enamel mug, black",
            "is_active": True,
            "is_lot": True,
            "total_fulfillable_quantity": 12,
            "total_onhand_quantity": 15,
            "total_committed_quantity": 3,
            "total_awaiting_quantity": 4,
            "total_internal_transfer_quantity": 1,
            "fulfillable_quantity_by_fulfillment_center": [
                _center(8, "Cicero (IL)", 9, 11, 2, 4),
                _center(10, "Moreno Valley (CA)", 3, 4, 1, 0),
            ],
            "fulfillable_quantity_by_lot": [
                {
                    "lot_number": "LOT-2026-11",
                    "expiration_date": "2027-11-30T00:00:00Z",
                    "fulfillable_quantity": 12,
                    "onhand_quantity": 15,
                    "committed_quantity": 3,
                    "awaiting_quantity": 4,
                    "internal_transfer_quantity": 1,
                    "fulfillable_quantity_by_fulfillment_center": [_center(8, "Cicero (IL)", 12, 15, 3, 4)],
                }
            ],
        }
    ],
    102: [
        {
            "id": 5002,
            "name": "Poster A2",
            "total_fulfillable_quantity": 40,
            "total_onhand_quantity": 40,
            "total_committed_quantity": 0,
            "fulfillable_quantity_by_fulfillment_center": [_center(8, "Cicero (IL)", 40, 40, 0, 0)],
            "fulfillable_quantity_by_lot": [],
        },
        {
            "id": 5003,
            "name": "Poster A1",
            "total_fulfillable_quantity": 0,
            "total_onhand_quantity": 2,
            "total_committed_quantity": 2,
            "fulfillable_quantity_by_fulfillment_center": [],
            "fulfillable_quantity_by_lot": [],
        },
    ],
}

_FOURTHWALL_INVENTORY = re.compile(r"^/open-api/v1\.0/products/(?P<product>[^/]+)/inventory$")
_SHIPBOB_INVENTORY = re.compile(r"^/1\.0/product/(?P<product>[^/]+)/inventory$")
_FOURTHWALL_TOKEN_PATH = "/open-api/v1.0/platform/token"
_SHIPBOB_TOKEN_PATH = "/connect/token"


@attrs.frozen(kw_only=True)
class Recorded:
    """One request the server received: method, path, query, headers (lower-case names) and form body."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    form: dict[str, list[str]]


class _State:
    """What the handler threads share: known credentials, issued tokens and the request log (under a lock)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[Recorded] = []
        basic = base64.b64encode(f"{FOURTHWALL_USERNAME}:{FOURTHWALL_PASSWORD}".encode()).decode()
        self.fourthwall_auth = {f"Basic {basic}", f"Bearer {FOURTHWALL_TOKEN}"}
        self.shipbob_auth = {f"Bearer {SHIPBOB_TOKEN}"}
        self.refresh_tokens = {"fourthwall": FOURTHWALL_REFRESH_TOKEN, "shipbob": SHIPBOB_REFRESH_TOKEN}
        self.issued = 0

    def issue(self, vendor: str, refresh_token: str) -> dict[str, Any] | None:
        with self.lock:
            if refresh_token != self.refresh_tokens[vendor]:
                return None
            self.issued += 1
            access = f"{vendor}-oauth-access-{self.issued}"
            # Both vendors rotate the refresh token on every refresh; the old one stops working.
            self.refresh_tokens[vendor] = f"{vendor}-oauth-refresh-{self.issued}"
            (self.fourthwall_auth if vendor == "fourthwall" else self.shipbob_auth).add(f"Bearer {access}")
            return {
                "access_token": access,
                "refresh_token": self.refresh_tokens[vendor],
                "token_type": "Bearer",
                "expires_in": 300,
            }


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log (pytest shows it as noise)."""

    def _send(self, status: int, body: object, *, raw: bytes | None = None, ctype: str = "application/json") -> None:
        data = raw if raw is not None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self, form: dict[str, list[str]]) -> tuple[str, dict[str, list[str]]]:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        headers = {name.lower(): value for name, value in self.headers.items()}
        with self.server.state.lock:
            self.server.state.requests.append(
                Recorded(method=self.command, path=parts.path, query=query, headers=headers, form=form)
            )
        return parts.path, query

    def do_GET(self) -> None:
        path, query = self._record({})
        authorization = self.headers.get("Authorization", "")
        if match := _FOURTHWALL_INVENTORY.match(path):
            if authorization not in self.server.state.fourthwall_auth:
                self._send(401, {"code": "UNAUTHORIZED"})
                return
            self._fourthwall(match["product"], query)
        elif match := _SHIPBOB_INVENTORY.match(path):
            if authorization not in self.server.state.shipbob_auth:
                self._send(401, {"title": "Unauthorized", "status": 401})
                return
            self._shipbob(match["product"])
        else:
            self._send(404, {"title": "Not Found", "status": 404})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        path, _ = self._record(form)
        vendor = {_FOURTHWALL_TOKEN_PATH: "fourthwall", _SHIPBOB_TOKEN_PATH: "shipbob"}.get(path)
        if vendor is None:
            self._send(404, {"title": "Not Found", "status": 404})
            return
        tokens = self.server.state.issue(vendor, (form.get("refresh_token") or [""])[0])
        if tokens is None:
            self._send(400, {"error": "invalid_grant"})
        else:
            self._send(200, tokens)

    def _fourthwall(self, product: str, query: dict[str, list[str]]) -> None:
        if product == "prod-broken":
            self._send(200, None, raw=b'{"results": [')
            return
        variants = FOURTHWALL_PRODUCTS.get(product)
        if variants is None:
            self._send(
                404, {"code": "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR", "shopId": "sh_demo", "offerId": product}
            )
            return
        page = int((query.get("page") or ["0"])[0])
        size = int((query.get("size") or ["20"])[0])
        total_pages = max(1, -(-len(variants) // size))
        self._send(
            200,
            {
                "results": variants[page * size : (page + 1) * size],
                "total": len(variants),
                "page": page,
                "size": size,
                "totalPages": total_pages,
            },
        )

    def _shipbob(self, product: str) -> None:
        if product == "500":
            self._send(500, {"title": "Internal Server Error", "status": 500})
            return
        items = SHIPBOB_PRODUCTS.get(int(product)) if product.isdigit() else None
        if items is None:
            problem = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": f"product {product}"}
            self._send(404, problem, ctype="application/problem+json")
            return
        self._send(200, items)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: _State) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


class FakeVendors:
    """The fake server; a context manager that starts it on a free 127.0.0.1 port and stops it on exit."""

    def __init__(self) -> None:
        self._state = _State()
        self._server = _Server(self._state)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-vendors", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[Recorded]:
        """Every request so far, in arrival order (a copy)."""
        with self._state.lock:
            return list(self._state.requests)

    def paths(self) -> list[str]:
        """The path of every request so far, in arrival order."""
        return [request.path for request in self.requests]

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
