"""Fourthwall Open API (``/open-api/v1.0``) as the vendored spec declares it, served from a ``Shop``.

Endpoints: ``GET /products``, ``/products/{productId}``, ``/products/{productId}/inventory``, ``/order``,
``/order/{orderId}``, ``POST /platform/token``. Field names, required fields and types follow the spec's
``OfferFullV1``, ``StockV1``, ``OrderV1`` and ``OpenApiPageResponse`` schemas (checked by
tests/sandbox/test_conformance.py).

Vendor behaviour:

- Auth: HTTP Basic with the shop's Open API user, or ``Bearer`` with an access token from ``POST /platform/token``
  (form-encoded or JSON; ``refresh_token`` and ``authorization_code`` grants; refresh tokens rotate). Anything else
  is 401 ``{"code": "UNAUTHORIZED", ...}`` (the spec documents no 401 body; this follows the shape of its errors).
- Not found: 404 with the spec's codes (``OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR`` with ``shopId``/``offerId``;
  for orders the spec lists only ``CHECKOUT_NOT_FOUND_ERROR``, so that is what an unknown order id gets).
- Rate limit (when on): 100 requests per rolling 10 s per shop -> 429 ``{"code": "OPEN_API_TOO_MANY_REQUESTS"}``;
  the vendor documents no rate-limit headers, so none are sent. The token endpoint is not limited here.
- Pagination: ``page`` zero-based (default 0), ``size`` (default 20). The spec states no maximum; the sandbox caps
  ``size`` at ``MAX_PAGE_SIZE`` (100; ``Sandbox.start(fourthwall_max_page_size=...)`` changes it) and, as Spring
  Data does, clamps silently and reports the effective ``size`` in the body. Negative or unparsable values fall
  back to the defaults. ``/products/{id}/inventory`` takes the same parameters (the API's convention; the spec
  declares none) and lists the LIMITED variants only: an UNLIMITED variant has no quantity.
- Orders: newest first; filters ``email``, ``status`` (repeated or comma-separated), ``createdAt[gt]``,
  ``createdAt[lt]``, ``updatedAt[gt]``, ``updatedAt[lt]`` (exclusive bounds).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from attrs import define, field

from ._http import Request, Response, VendorBase, dispatch, get_routes, json_response
from ._shop import SHOP_ID, FwOrder, FwProduct, FwVariant, Shop, colour, customer, kind_info

__all__ = ["API_PREFIX", "DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "FourthwallApp"]

API_PREFIX = "/open-api/v1.0"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_ORDER_STATUSES = frozenset(
    {
        "CONFIRMED",
        "PARTIALLY_IN_PRODUCTION",
        "IN_PRODUCTION",
        "PARTIALLY_SHIPPED",
        "SHIPPED",
        "PARTIALLY_DELIVERED",
        "DELIVERED",
        "CANCELLED",
        "COMPLETED",
    }
)
_CDN = "https://cdn.fourthwall.example/shop"


def iso(moment: datetime) -> str:
    """Fourthwall's timestamp form: UTC with milliseconds and ``Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _money(value: float) -> dict[str, Any]:
    return {"value": round(value, 2), "currency": "USD"}


def _image(key: str) -> dict[str, Any]:
    return {
        "id": f"img_{key}",
        "url": f"{_CDN}/{key}.png",
        "width": 1200,
        "height": 1200,
        "transformedUrl": f"{_CDN}/{key}_800x800.webp",
    }


def _error(status: int, code: str, **context: str) -> Response:
    return json_response(status, {"code": code, **context})


@define(kw_only=True)
class FourthwallApp(VendorBase):
    """The fake Fourthwall: ``handle(request)`` answers one request from ``shop``."""

    shop: Shop
    username: str
    password: str
    max_page_size: int = MAX_PAGE_SIZE
    name: str = "fourthwall"
    _products_by_id: dict[str, FwProduct] = field(init=False, factory=dict)
    _orders_by_id: dict[str, FwOrder] = field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        self._products_by_id = {p.id: p for p in self.shop.fourthwall_products}
        self._orders_by_id = {o.id: o for o in self.shop.fourthwall_orders}
        self._routes = get_routes(
            API_PREFIX,
            {
                "/products": self._list_products,
                "/products/{productId}": self._get_product,
                "/products/{productId}/inventory": self._get_inventory,
                "/order": self._list_orders,
                "/order/{orderId}": self._get_order,
            },
        )

    def handle(self, request: Request) -> Response:
        if request.method == "POST" and request.path == f"{API_PREFIX}/platform/token":
            return self._token(request)
        if not self._authorized(request):
            return json_response(
                401,
                {"code": "UNAUTHORIZED", "message": "Full authentication is required to access this resource"},
                headers=[("WWW-Authenticate", 'Basic realm="Fourthwall Open API"')],
            )
        if self._window is not None and not self._window.admit()[0]:
            return _error(429, "OPEN_API_TOO_MANY_REQUESTS")
        response = dispatch(self._routes, request)
        return _error(404, "NOT_FOUND", path=request.path) if response is None else response

    # -- auth --------------------------------------------------------------------------------------------------

    def _authorized(self, request: Request) -> bool:
        header = request.header("authorization") or ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            return user == self.username and password == self.password
        if scheme.lower() == "bearer":
            return self.tokens.valid(value.strip())
        return False

    def _token(self, request: Request) -> Response:
        content_type = (request.header("content-type") or "").split(";")[0].strip().lower()
        form: dict[str, str]
        if content_type == "application/json":
            try:
                loaded = json.loads(request.body or b"{}")
            except ValueError:
                loaded = None
            if not isinstance(loaded, dict):
                return json_response(400, {"error": "invalid_request", "error_description": "body is not JSON"})
            form = {str(k): str(v) for k, v in loaded.items()}
        else:
            form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        answer, error = self.tokens.exchange(form, authorization=request.header("authorization"))
        if answer is None:
            status = 401 if error == "invalid_client" else 400
            return json_response(status, {"error": error, "error_description": f"token request rejected: {error}"})
        return json_response(200, answer, headers=[("Cache-Control", "no-store")])

    # -- rendering ---------------------------------------------------------------------------------------------

    def _variant(self, product: FwProduct, variant: FwVariant) -> dict[str, Any]:
        price, weight, dims, _ = kind_info(product.kind)
        attributes: dict[str, Any] = {"description": variant.name}
        if variant.colour is not None:
            cname, _, swatch = colour(variant.colour)
            attributes["color"] = {"name": cname, "swatch": swatch}
        if variant.size is not None:
            attributes["size"] = {"name": variant.size}
        if variant.size in ("2XL", "3XL"):
            price += 3.0
        stock: dict[str, Any] = (
            {"type": "UNLIMITED"} if variant.in_stock is None else {"type": "LIMITED", "inStock": variant.in_stock}
        )
        return {
            "id": variant.id,
            "name": variant.name,
            "sku": variant.sku,
            "unitPrice": _money(price),
            "unitCost": _money(price * 0.42),
            "attributes": attributes,
            "stock": stock,
            "weight": {"value": weight, "unit": "oz"},
            "dimensions": {"length": dims[0], "width": dims[1], "height": dims[2], "unit": "in"},
            "images": [],
        }

    def _offer(self, product: FwProduct) -> dict[str, Any]:
        sold_out = all(v.in_stock == 0 for v in product.variants)
        image = _image(product.id[3:13])
        offer: dict[str, Any] = {
            "id": product.id,
            "name": product.name,
            "slug": product.slug,
            "description": f"{product.name}, designed by Pixel Fox Studio.",
            "type": "STANDARD",
            "state": {"type": "SOLD_OUT" if sold_out else "AVAILABLE"},
            "access": {"type": "PUBLIC"},
            "thumbnailImage": image,
            "images": [image],
            "variants": [self._variant(product, v) for v in product.variants],
            "createdAt": iso(product.created_at),
            "updatedAt": iso(product.updated_at),
        }
        if product.kind in ("tee", "hoodie"):
            offer["additionalInformation"] = {"sizeAndFit": "Unisex fit; size up for a relaxed look."}
        if not product.physical:
            offer["digitalFiles"] = [
                {
                    "uri": f"{_CDN}/files/{product.id}.zip",
                    "name": "wallpapers.zip",
                    "fileSize": "48 MB",
                    "mediaType": "application/zip",
                }
            ]
        return offer

    def _order(self, order: FwOrder) -> dict[str, Any]:
        name, email, address1, city, state, zip_code, country = customer(order.customer)
        offers = []
        subtotal = 0.0
        for line in order.lines:
            product = self.shop.fourthwall_products[line.product]
            variant = self._variant(product, product.variants[line.variant])
            unit = variant["unitPrice"]["value"]
            subtotal += unit * line.quantity
            offers.append(
                {
                    "id": product.id,
                    "name": product.name,
                    "slug": product.slug,
                    "description": f"{product.name}, designed by Pixel Fox Studio.",
                    "primaryImage": _image(product.id[3:13]),
                    "variant": {
                        "id": variant["id"],
                        "name": variant["name"],
                        "sku": variant["sku"],
                        "unitPrice": variant["unitPrice"],
                        "attributes": variant["attributes"],
                        "quantity": line.quantity,
                        "price": _money(unit * line.quantity),
                        "weight": variant["weight"],
                        "dimensions": variant["dimensions"],
                    },
                }
            )
        shipping = 0.0 if subtotal >= 75 else 6.5
        tax = round(subtotal * 0.07, 2)
        address = {
            "name": name,
            "address1": address1,
            "city": city,
            "state": state,
            "country": country,
            "zip": zip_code,
        }
        return {
            "id": order.id,
            "shopId": SHOP_ID,
            "friendlyId": order.friendly_id,
            "checkoutId": "ch_" + order.id[4:],
            "status": order.status,
            "email": email,
            "emailMarketingOptIn": order.customer % 3 == 0,
            "username": email.split("@")[0],
            "message": "",
            "amounts": {
                "subtotal": _money(subtotal),
                "shipping": _money(shipping),
                "tax": _money(tax),
                "donation": _money(0),
                "discount": _money(0),
                "giftCards": [],
                "total": _money(subtotal + shipping + tax),
            },
            "billing": {"address": address},
            "shipping": {"address": address},
            "offers": offers,
            "source": {"type": "ORDER"},
            "createdAt": iso(order.created_at),
            "updatedAt": iso(order.updated_at),
        }

    # -- handlers ----------------------------------------------------------------------------------------------

    def _paging(self, request: Request) -> tuple[int, int]:
        def number(name: str, default: int) -> int:
            raw = request.param(name)
            try:
                value = int(raw) if raw is not None else default
            except ValueError:
                return default
            return value

        page = max(0, number("page", 0))
        size = number("size", DEFAULT_PAGE_SIZE)
        size = DEFAULT_PAGE_SIZE if size < 1 else min(size, self.max_page_size)
        return page, size

    @staticmethod
    def _page(items: Sequence[Any], page: int, size: int, render: Any) -> Response:
        total = len(items)
        chunk = items[page * size : (page + 1) * size]
        return json_response(
            200,
            {
                "results": [render(item) for item in chunk],
                "total": total,
                "page": page,
                "size": size,
                "totalPages": math.ceil(total / size),
            },
        )

    def _list_products(self, request: Request) -> Response:
        page, size = self._paging(request)
        products: Sequence[FwProduct] = self.shop.fourthwall_products
        search = (request.param("search") or "").strip().lower()
        if search:
            products = [
                p for p in products if search in p.name.lower() or any(search in v.sku.lower() for v in p.variants)
            ]
        return self._page(products, page, size, self._offer)

    def _get_product(self, request: Request, productId: str) -> Response:
        product = self._products_by_id.get(productId)
        if product is None:
            return _error(404, "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR", shopId=SHOP_ID, offerId=productId)
        return json_response(200, self._offer(product))

    def _get_inventory(self, request: Request, productId: str) -> Response:
        product = self._products_by_id.get(productId)
        if product is None:
            return _error(404, "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR", shopId=SHOP_ID, offerId=productId)
        page, size = self._paging(request)
        limited = [v for v in product.variants if v.in_stock is not None]

        def render(variant: FwVariant) -> dict[str, Any]:
            return {
                "variantId": variant.id,
                "quantity": variant.in_stock,
                "createdAt": iso(product.created_at),
                "updatedAt": iso(product.updated_at),
            }

        return self._page(limited, page, size, render)

    def _list_orders(self, request: Request) -> Response:
        page, size = self._paging(request)
        orders: Sequence[FwOrder] = self.shop.fourthwall_orders
        statuses = {s.strip() for v in request.query.get("status", ()) for s in v.split(",") if s.strip()}
        unknown = statuses - _ORDER_STATUSES
        if unknown:
            return _error(400, "WEBHOOK_NOT_SUPPORTED_ORDER_STATUS", orderStatus=sorted(unknown)[0])
        bounds: dict[str, datetime] = {}
        for name in ("createdAt[gt]", "createdAt[lt]", "updatedAt[gt]", "updatedAt[lt]"):
            raw = request.param(name)
            if raw is None:
                continue
            try:
                bounds[name] = datetime.fromisoformat(raw)
            except ValueError:
                return _error(400, "INVALID_REQUEST_PARAMETER", parameter=name, value=raw)
            if bounds[name].tzinfo is None:
                return _error(400, "INVALID_REQUEST_PARAMETER", parameter=name, value=raw)
        email = (request.param("email") or "").strip().lower()

        def keep(order: FwOrder) -> bool:
            if statuses and order.status not in statuses:
                return False
            if email and customer(order.customer)[1] != email:
                return False
            checks = (
                ("createdAt[gt]", order.created_at, 1),
                ("createdAt[lt]", order.created_at, -1),
                ("updatedAt[gt]", order.updated_at, 1),
                ("updatedAt[lt]", order.updated_at, -1),
            )
            for name, moment, sign in checks:
                bound = bounds.get(name)
                if bound is not None and not ((moment > bound) if sign > 0 else (moment < bound)):
                    return False
            return True

        if statuses or bounds or email:
            orders = [o for o in orders if keep(o)]
        return self._page(orders, page, size, self._order)

    def _get_order(self, request: Request, orderId: str) -> Response:
        order = self._orders_by_id.get(orderId)
        if order is None:
            return _error(404, "CHECKOUT_NOT_FOUND_ERROR", checkoutId=orderId)
        return json_response(200, self._order(order))
