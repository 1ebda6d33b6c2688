"""ShipBob API 2026-01 as the vendored spec declares it, served from a ``Shop``.

Endpoints (all ``GET`` under ``/2026-01``): ``/inventory-level``, ``/inventory-level/{inventoryId}``,
``/inventory-level/locations``, ``/inventory-level/{inventoryId}/locations``, ``/inventory-level/lots``,
``/inventory-level/{inventoryId}/lots``, ``/inventory``, ``/inventory/{inventoryId}``, ``/product``,
``/product/{productId}``, ``/order``, ``/order/{orderId}``, ``/channel``, ``/webhook``, ``/fulfillment-center``,
``/location``; plus ``POST /connect/token`` standing in for ShipBob's OAuth host (``auth.shipbob.com``).

Vendor behaviour:

- Auth: ``Authorization: Bearer`` with the Personal Access Token, or with an access token from ``/connect/token``
  (form-encoded ``refresh_token`` or ``authorization_code`` grant; refresh tokens rotate on each refresh). A bad
  or missing token is 401 with ``WWW-Authenticate: Bearer``: a ProblemDetails body where the spec declares one
  (inventory), an empty body where it declares none (orders, channels, webhooks, locations), as ASP.NET sends it.
- The bundle is an inventory item too (``variant.is_bundle`` in ``/inventory``); its levels are derived per
  fulfillment center from its components' fulfillable stock (whole bundles only), and ``/product`` shows its
  ``bundle_definition`` (and ``associated_bundles`` on the components).
- Not found: 404 ProblemDetails where the spec declares it (inventory, products); an empty 404 for orders.
- Rate limit (when on): 150 requests per sliding minute -> 429 with ``x-retry-after`` (seconds; whole seconds
  with the documented window, milliseconds resolution when the window is scaled down) and ``x-remaining-calls``;
  admitted responses carry ``x-remaining-calls`` too. ``/connect/token`` is not limited.
- Pagination:
  - ``{first, prev, next, last, items}`` bodies (inventory and products): ``PageSize`` (default 50). The spec
    states 1-250 for ``/product`` and no bounds for the inventory endpoints; the sandbox applies 250 to all (the
    maximum ShipBob documents for its paged endpoints) and answers 400 outside 1-250. The links are relative URLs
    (path and query, same origin) carrying an opaque ``cursor`` and the request's other parameters.
  - ``/order``: ``Page`` (1-based) and ``Limit`` (1-250, default 50, as the spec declares), with the
    ``Page-Number``, ``Page-Size``, ``Total-Count``, ``Total-Pages`` and (when there is one) ``Next-Page``
    headers (a relative URL); ``IDs``, ``ReferenceIds``, ``StartDate``/``EndDate``,
    ``LastUpdateStartDate``/``LastUpdateEndDate``, ``SortOrder`` (``Newest``/``Oldest``) filters.
  - ``/channel`` and ``/webhook``: ``RecordsPerPage`` (webhooks 1-250 per the spec; channels default 50, no bound
    in the spec, 250 here) and ``Cursor``; ``next``/``prev`` are relative URLs with ``Cursor``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from attrs import define, field

from ._http import Request, Response, VendorBase, dispatch, get_routes, json_response
from ._shop import (
    EPOCH,
    FOURTHWALL_CHANNEL_ID,
    FULFILLMENT_CENTERS,
    SHIPBOB_USER_ID,
    LocationStock,
    SbItem,
    SbOrder,
    SbProduct,
    SbVariant,
    Shop,
    customer,
)

__all__ = ["API_PREFIX", "DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "ShipBobApp"]

API_PREFIX = "/2026-01"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 250
_CENTER_NAMES = {c.id: c.name for c in FULFILLMENT_CENTERS}
_CHANNELS = (
    {
        "application_name": "ShipBob",
        "id": FOURTHWALL_CHANNEL_ID - 3,
        "name": "ShipBob Default",
        "scopes": ["orders_read", "orders_write", "products_read", "inventory_read"],
    },
    {
        "application_name": "Fourthwall",
        "id": FOURTHWALL_CHANNEL_ID,
        "name": "Pixel Fox Studio (Fourthwall)",
        "scopes": [
            "orders_read",
            "orders_write",
            "products_read",
            "products_write",
            "inventory_read",
            "webhooks_read",
            "webhooks_write",
            "channels_read",
        ],
    },
    {
        "application_name": "SMA",
        "id": FOURTHWALL_CHANNEL_ID + 1,
        "name": "Privileged Access Token Monday, June 1, 2026",
        "scopes": [
            "channels_read",
            "inventory_read",
            "orders_read",
            "products_read",
            "locations_read",
            "webhooks_read",
            "returns_read",
            "receiving_read",
        ],
    },
)
_WEBHOOK_TOPICS = (
    ("order.shipped", "Mark Fourthwall orders shipped"),
    ("order.shipment.delivered", "Delivery notifications"),
    ("order.shipment.exception", "Alert the creator on exceptions"),
    ("order.shipment.on_hold", "Alert the creator on holds"),
    ("return.created", "Returns desk"),
)
_EMPTY: tuple[tuple[str, str], ...] = ()
_T = TypeVar("_T")


def iso(moment: datetime) -> str:
    """ShipBob's timestamp form: UTC with seven fractional digits (as .NET writes them) and ``Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond:06d}0Z"


def _problem(status: int, title: str, detail: str) -> Response:
    # No `errors` member: the spec's ProblemDetails allows extra members only if they are not objects.
    body: dict[str, Any] = {
        "type": f"https://tools.ietf.org/html/rfc9110#section-15.{'5.5' if status == 404 else '5.1'}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    response = json_response(status, body)
    # ASP.NET would say application/problem+json; the spec declares application/json for these bodies.
    return response


def _invalid(detail: str) -> Response:
    """ASP.NET's 400 ProblemDetails for a request that fails validation."""
    return _problem(400, "One or more validation errors occurred.", detail)


def _field_error(name: str, message: str) -> Response:
    """ASP.NET's 400 for a bad parameter where the spec declares no ProblemDetails: ``{name: [message]}``."""
    return json_response(400, {name: [message]})


def _found(
    raw: str,
    get: Callable[[int], _T | None],
    render: Callable[[_T], dict[str, Any]],
    missing: Callable[[], Response],
    bad_request: Callable[[str], Response] = _invalid,
) -> Response:
    """200 with ``render`` of what ``get`` finds under the path id ``raw``, ``missing()`` if nothing, and
    ``bad_request(message)`` if ``raw`` is no integer (by default a ProblemDetails)."""
    try:
        found = get(int(raw))
    except ValueError:
        return bad_request(f"The value '{raw}' is not valid.")
    return missing() if found is None else json_response(200, render(found))


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode().rstrip("=")


def _decode_cursor(raw: str) -> int | None:
    try:
        data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        offset = data["offset"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None
    return offset if isinstance(offset, int) and offset >= 0 else None


def _bounded_int(request: Request, name: str, default: int, maximum: int) -> int | str:
    """Query parameter ``name`` (any case) as an int in 1..``maximum``, ``default`` when absent or empty, or
    ASP.NET's validation message for it."""
    raw = request.param(name, any_case=True)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        return f"The value '{raw}' is not valid for {name}."
    return value if 1 <= value <= maximum else f"{name} must be between 1 and {maximum}."


def _int_set(raw: str) -> set[int] | None:
    """The integers of a comma-separated query value (empty parts skipped), or None if a part is not one."""
    try:
        return {int(x) for x in raw.split(",") if x.strip()}
    except ValueError:
        return None


@define(kw_only=True)
class ShipBobApp(VendorBase):
    """The fake ShipBob: ``handle(request)`` answers one request from ``shop``."""

    shop: Shop
    token: str  # the Personal Access Token
    time_scale: float = 1.0
    name: str = "shipbob"
    _products_by_id: dict[int, SbProduct] = field(init=False, factory=dict)
    _orders_by_id: dict[int, SbOrder] = field(init=False, factory=dict)
    _bundles_of: dict[int, list[tuple[SbProduct, SbVariant, int]]] = field(init=False, factory=dict)
    _variant_by_sku: dict[str, SbVariant] = field(init=False, factory=dict)
    _product_of_variant: dict[int, SbProduct] = field(init=False, factory=dict)

    def __attrs_post_init__(self) -> None:
        self._products_by_id = {p.id: p for p in self.shop.shipbob_products}
        self._orders_by_id = {o.id: o for o in self.shop.shipbob_orders}
        for product in self.shop.shipbob_products:
            for variant in product.variants:
                self._variant_by_sku.setdefault(variant.sku, variant)
                self._product_of_variant[variant.id] = product
                for component, quantity in variant.bundle:
                    self._bundles_of.setdefault(component, []).append((product, variant, quantity))
        self._routes = get_routes(
            API_PREFIX,
            {  # the fixed paths before the {inventoryId} ones they would also match
                "/inventory-level": self._levels,
                "/inventory-level/locations": self._levels_locations,
                "/inventory-level/lots": self._levels_lots,
                "/inventory-level/{inventoryId}": self._level,
                "/inventory-level/{inventoryId}/locations": self._level_locations,
                "/inventory-level/{inventoryId}/lots": self._level_lots,
                "/inventory": self._inventories,
                "/inventory/{inventoryId}": self._inventory,
                "/product": self._products,
                "/product/{productId}": self._product,
                "/order": self._orders,
                "/order/{orderId}": self._order_one,
                "/channel": self._channels,
                "/webhook": self._webhooks,
                "/fulfillment-center": self._fulfillment_centers,
                "/location": self._locations,
            },
        )

    def handle(self, request: Request) -> Response:
        if request.method == "POST" and request.path == "/connect/token":
            return self._token(request)
        problem_body = request.path.startswith((f"{API_PREFIX}/inventory", f"{API_PREFIX}/product"))
        if not self._authorized(request):
            headers = [("WWW-Authenticate", 'Bearer error="invalid_token"')]
            if problem_body:
                response = _problem(401, "Unauthorized", "The access token is missing, invalid or expired.")
                return Response(
                    status=401, body=response.body, headers=tuple(headers), content_type=response.content_type
                )
            return Response(status=401, headers=tuple(headers), content_type=None)
        remaining: int | None = None
        if self._window is not None:
            admitted, wait, remaining = self._window.admit()
            if not admitted:
                limit = self._window.limit
                retry = str(math.ceil(wait)) if self.time_scale == 1.0 else f"{math.ceil(wait * 1000) / 1000:.3f}"
                return json_response(
                    429,
                    {
                        "type": "https://tools.ietf.org/html/rfc6585#section-4",
                        "title": "Too Many Requests",
                        "status": 429,
                        "detail": f"API calls quota exceeded! maximum admitted {limit.requests} per {limit.window:g}s.",
                    },
                    headers=[("x-retry-after", retry), ("x-remaining-calls", "0")],
                )
        answer = dispatch(self._routes, request)
        if answer is None:
            return _problem(404, "Not Found", f"No route for {request.method} {request.path}")
        if remaining is not None:
            answer = Response(
                status=answer.status,
                body=answer.body,
                headers=(*answer.headers, ("x-remaining-calls", str(remaining))),
                content_type=answer.content_type,
            )
        return answer

    # -- auth --------------------------------------------------------------------------------------------------

    def _authorized(self, request: Request) -> bool:
        scheme, _, value = (request.header("authorization") or "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        value = value.strip()
        return value == self.token or self.tokens.valid(value)

    def _token(self, request: Request) -> Response:
        form = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        answer, error = self.tokens.exchange(form, authorization=request.header("authorization"))
        if answer is None:
            return json_response(400, {"error": error})
        answer["scope"] = (
            "inventory_read products_read orders_read channels_read webhooks_read locations_read offline_access"
        )
        return json_response(200, answer, headers=[("Cache-Control", "no-store"), ("Pragma", "no-cache")])

    # -- paging ------------------------------------------------------------------------------------------------

    def _linked(
        self,
        request: Request,
        items: Sequence[Any],
        render: Callable[[Any], dict[str, Any]],
        *,
        size_name: str = "PageSize",
        cursor_name: str = "cursor",
        full: bool = True,
        bad_request: Callable[[str, str], Response] | None = None,
    ) -> Response:
        """A ``{first, prev, next, last, items}`` page (``full=False``: ``{items, next, prev}``, the cursor form)."""
        size = _bounded_int(request, size_name, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        raw_cursor = request.param(cursor_name, any_case=True)
        offset = 0 if not raw_cursor else _decode_cursor(raw_cursor)
        if isinstance(size, str) or offset is None:
            message = size if isinstance(size, str) else f"The {cursor_name} is not valid."
            field_name = size_name if isinstance(size, str) else cursor_name
            if bad_request is not None:
                return bad_request(field_name, message)
            return _invalid(message)
        keep = [
            (k, v)
            for k, values in request.query.items()
            if k.lower() not in (size_name.lower(), cursor_name.lower())
            for v in values
        ]

        def link(at: int) -> str:
            query = [*keep, (size_name, str(size))]
            if at:
                query.append((cursor_name, _encode_cursor(at)))
            return f"{request.path}?{urlencode(query)}"

        total = len(items)
        last_offset = max(0, (math.ceil(total / size) - 1) * size)
        chunk = items[offset : offset + size]
        body: dict[str, Any] = {}
        if full:
            body["first"] = link(0)
        body["items"] = [render(item) for item in chunk]
        body["next"] = link(offset + size) if offset + size < total else None
        body["prev"] = link(max(0, offset - size)) if offset > 0 else None
        if full:
            body["last"] = link(last_offset)
        return json_response(200, body)

    # -- inventory ---------------------------------------------------------------------------------------------

    def _filtered_items(self, request: Request) -> Sequence[SbItem] | Response:
        items: Sequence[SbItem] = self.shop.shipbob_items
        ids = request.param("InventoryIds", any_case=True)
        if ids:
            wanted = _int_set(ids)
            if wanted is None:
                return _invalid("InventoryIds must be integers.")
            items = [i for i in items if i.inventory_id in wanted]
        search = (request.param("SearchBy", any_case=True) or "").strip().lower()
        if search:
            items = [i for i in items if search in i.sku.lower() or search in i.name.lower()]
        active = request.param("IsActive", any_case=True)
        if active is not None and active.lower() == "false":
            items = []
        digital = request.param("IsDigital", any_case=True)
        if digital is not None and digital.lower() == "true":
            items = []
        location = request.param("LocationId", any_case=True)
        if location:
            try:
                location_id = int(location)
            except ValueError:
                return _invalid("LocationId must be an integer.")
            items = [i for i in items if any(loc.location_id == location_id for loc in self.shop.item_locations(i))]
        return items

    @staticmethod
    def _location(loc: LocationStock) -> dict[str, Any]:
        return {
            "awaiting_quantity": loc.awaiting,
            "committed_quantity": loc.committed,
            "fulfillable_quantity": loc.fulfillable,
            "internal_transfer_quantity": loc.internal_transfer,
            "location_id": loc.location_id,
            "name": _CENTER_NAMES[loc.location_id],
            "on_hand_quantity": loc.on_hand,
        }

    def _level_body(self, item: SbItem) -> dict[str, Any]:
        locations = self.shop.item_locations(item)
        on_hand = sum(loc.on_hand for loc in locations)
        return {
            "inventory_id": item.inventory_id,
            "name": item.name,
            "sku": item.sku,
            "total_awaiting_quantity": sum(loc.awaiting for loc in locations),
            "total_backordered_quantity": 0,
            "total_committed_quantity": sum(loc.committed for loc in locations),
            "total_exception_quantity": 0,
            "total_fulfillable_quantity": sum(loc.fulfillable for loc in locations),
            "total_internal_transfer_quantity": sum(loc.internal_transfer for loc in locations),
            "total_on_hand_quantity": on_hand,
            "total_sellable_quantity": on_hand,
        }

    def _locations_body(self, item: SbItem) -> dict[str, Any]:
        return {
            "inventory_id": item.inventory_id,
            "locations": [self._location(loc) for loc in self.shop.item_locations(item)],
            "name": item.name,
            "sku": item.sku,
        }

    def _lots_body(self, item: SbItem) -> dict[str, Any]:
        lots = []
        for lot in item.lots:
            lots.append(
                {
                    "awaiting_quantity": sum(loc.awaiting for loc in lot.locations),
                    "committed_quantity": sum(loc.committed for loc in lot.locations),
                    "fulfillable_quantity": sum(loc.fulfillable for loc in lot.locations),
                    "internal_transfer_quantity": sum(loc.internal_transfer for loc in lot.locations),
                    "locations": [self._location(loc) for loc in lot.locations],
                    "lot_date": iso(lot.expires),
                    "lot_number": lot.number,
                    "on_hand_quantity": sum(loc.on_hand for loc in lot.locations),
                }
            )
        return {"inventory_id": item.inventory_id, "lots": lots, "name": item.name, "sku": item.sku}

    def _inventory_body(self, item: SbItem) -> dict[str, Any]:
        length, width, height = item.dims_in
        return {
            "barcode": item.barcode,
            "dimensions": {
                "height": height,
                "is_locked": False,
                "length": length,
                "unit": "in",
                "validated": True,
                "width": width,
            },
            "inventory_id": item.inventory_id,
            "is_case": False,
            "is_lot": item.is_lot,
            "name": item.name,
            "sku": item.sku,
            "user_id": SHIPBOB_USER_ID,
            "variant": {
                "hazmat": {"is_hazmat": False, "validated": True},
                "is_active": True,
                "is_bundle": item.is_bundle,
                "is_digital": False,
            },
            "weight": {"unit": "oz", "value": item.weight_oz},
        }

    def _list(self, request: Request, render: Callable[[SbItem], dict[str, Any]]) -> Response:
        items = self._filtered_items(request)
        if isinstance(items, Response):
            return items
        return self._linked(request, items, render)

    def _one(self, inventory_id: str, render: Callable[[SbItem], dict[str, Any]]) -> Response:
        def missing() -> Response:
            return _problem(404, "Not Found", f"Inventory item {inventory_id} was not found.")

        return _found(inventory_id, self.shop.shipbob_item, render, missing)

    def _levels(self, request: Request) -> Response:
        return self._list(request, self._level_body)

    def _levels_locations(self, request: Request) -> Response:
        return self._list(request, self._locations_body)

    def _levels_lots(self, request: Request) -> Response:
        return self._list(request, self._lots_body)

    def _inventories(self, request: Request) -> Response:
        return self._list(request, self._inventory_body)

    def _level(self, request: Request, inventoryId: str) -> Response:
        return self._one(inventoryId, self._level_body)

    def _level_locations(self, request: Request, inventoryId: str) -> Response:
        return self._one(inventoryId, self._locations_body)

    def _level_lots(self, request: Request, inventoryId: str) -> Response:
        return self._one(inventoryId, self._lots_body)

    def _inventory(self, request: Request, inventoryId: str) -> Response:
        return self._one(inventoryId, self._inventory_body)

    # -- products ----------------------------------------------------------------------------------------------

    def _variant_body(self, product: SbProduct, variant: SbVariant) -> dict[str, Any]:
        item = self.shop.shipbob_item(variant.inventory_id)
        assert item is not None
        length, width, height = item.dims_in
        bundle = []
        for component_id, quantity in variant.bundle:
            component = self.shop.shipbob_variant(component_id)
            assert component is not None
            owner = self._product_of_variant[component.id]
            bundle.append(
                {
                    "product_id": owner.id,
                    "quantity": quantity,
                    "variant_id": component.id,
                    "variant_name": component.name,
                    "variant_sku": component.sku,
                }
            )
        associated = [
            {"product_id": p.id, "product_name": p.name, "quantity": q, "variant_id": v.id, "variant_sku": v.sku}
            for p, v, q in self._bundles_of.get(variant.id, [])
        ]
        created = product.created_on
        return {
            "associated_bundles": associated,
            "bundle_definition": bundle,
            "created_on": iso(created),
            "customs": {
                "country_code_of_origin": "US",
                "currency": "USD",
                "description": product.kind,
                "hs_tariff_code": None,
                "is321_eligible": True,
                "value": None,
            },
            "dimension": {
                "height": height,
                "is_locked": False,
                "length": length,
                "source": "Merchant",
                "unit": "in",
                "width": width,
            },
            "fulfillment_settings": {
                "dangerous_goods": False,
                "is_bpm_parcel": False,
                "is_case_pick": False,
                "msds_url": None,
                "requires_prop65": False,
                "serial_scan": {"exact_character_length": None, "is_enabled": False, "prefix": None, "suffix": None},
            },
            "gtin": None,
            "id": variant.id,
            "inventory": {"inventory_id": variant.inventory_id, "on_hand_qty": self.shop.item_total(item, "on_hand")},
            "is_digital": False,
            "is_image_uploaded": False,
            "lot_information": {"is_lot": item.is_lot, "minimum_shelf_life_days": 30 if item.is_lot else None},
            "merge_children": [],
            "name": variant.name,
            "reviews_pending": [],
            "sku": variant.sku,
            "status": "Active",
            "upc": item.barcode,
            "updated_on": iso(created + timedelta(days=2)),
            "weight": {"unit": "oz", "weight": item.weight_oz},
            "barcodes": [] if item.barcode is None else [{"sticker_url": None, "value": item.barcode}],
            "channel_metadata": [],
        }

    def _product_body(self, product: SbProduct) -> dict[str, Any]:
        return {
            "created_on": iso(product.created_on),
            "id": product.id,
            "name": product.name,
            "taxonomy": {
                "id": 1204,
                "name": "Apparel" if product.kind in ("tee", "hoodie") else "Merchandise",
                "parent_id": None,
                "parent_name": None,
                "path": "Merchandise",
            },
            "type": "Bundle" if any(v.bundle for v in product.variants) else "Regular",
            "updated_on": iso(product.created_on + timedelta(days=2)),
            "user_id": SHIPBOB_USER_ID,
            "variants": [self._variant_body(product, v) for v in product.variants],
        }

    def _products(self, request: Request) -> Response:
        products: Sequence[SbProduct] = self.shop.shipbob_products
        sku = (request.param("SKU", any_case=True) or "").strip().lower()
        if sku:
            products = [p for p in products if any(sku == v.sku.strip().lower() for v in p.variants)]
        search = (request.param("Search", any_case=True) or "").strip().lower()
        if search:
            products = [
                p
                for p in products
                if search in p.name.lower()
                or any(search in v.sku.lower() or search == str(v.inventory_id) for v in p.variants)
                or search == str(p.id)
            ]
        inventory_id = request.param("InventoryId", any_case=True)
        if inventory_id:
            products = [p for p in products if any(str(v.inventory_id) == inventory_id for v in p.variants)]
        product_ids = request.param("ProductId", any_case=True)
        if product_ids:
            wanted = {x.strip() for x in product_ids.split(",")}
            products = [p for p in products if str(p.id) in wanted]
        return self._linked(request, products, self._product_body, bad_request=_field_error)

    def _product(self, request: Request, productId: str) -> Response:
        def missing() -> Response:
            return _problem(404, "Not Found", f"Product {productId} was not found.")

        invalid = partial(_field_error, "productId")
        return _found(productId, self._products_by_id.get, self._product_body, missing, invalid)

    # -- orders ------------------------------------------------------------------------------------------------

    def _order_body(self, order: SbOrder) -> dict[str, Any]:
        name, email, address1, city, state, zip_code, country = customer(order.customer)
        total = sum(quantity * price for _, quantity, price in order.lines)
        center = FULFILLMENT_CENTERS[order.id % len(FULFILLMENT_CENTERS)]
        shipment_status = {"Fulfilled": "Completed", "Cancelled": "Cancelled"}.get(order.status, "Processing")
        products = []
        for sku, quantity, price in order.lines:
            variant = self._variant_by_sku.get(sku)
            products.append(
                {
                    "external_line_id": None,
                    "gtin": None,
                    "id": None if variant is None else variant.id,
                    "quantity": quantity,
                    "quantity_unit_of_measure_code": None,
                    "reference_id": sku.strip(),
                    "sku": sku,
                    "unit_price": price,
                    "upc": None,
                }
            )
        recipient_address = {
            "address1": address1,
            "address2": None,
            "city": city,
            "company_name": None,
            "country": country,
            "state": state,
            "zip_code": zip_code,
        }
        return {
            "channel": {"id": FOURTHWALL_CHANNEL_ID, "name": "Pixel Fox Studio (Fourthwall)"},
            "created_date": iso(order.created_date),
            "financials": {"total_price": round(total, 2)},
            "gift_message": None,
            "id": order.id,
            "order_number": order.order_number,
            "products": products,
            "purchase_date": iso(order.created_date - timedelta(minutes=2)),
            "recipient": {"address": recipient_address, "email": email, "name": name, "phone_number": None},
            "reference_id": order.reference_id,
            "shipments": [
                {
                    "created_date": iso(order.created_date + timedelta(minutes=1)),
                    "id": order.id + 500_000_000,
                    "is_tracking_uploaded": order.status == "Fulfilled",
                    "last_update_at": iso(order.updated_date),
                    "location": {"id": center.id, "name": center.name},
                    "order_id": order.id,
                    "reference_id": order.reference_id,
                    "require_signature": False,
                    "status": shipment_status,
                }
            ],
            "shipping_method": "Standard",
            "status": order.status,
            "tags": [],
            "type": "DTC",
        }

    def _orders(self, request: Request) -> Response:
        page = _bounded_int(request, "Page", 1, 2_147_483_647)
        limit = _bounded_int(request, "Limit", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        if isinstance(page, str):
            return _field_error("Page", page)
        if isinstance(limit, str):
            return _field_error("Limit", limit)
        orders: Sequence[SbOrder] = self.shop.shipbob_orders
        ids = request.param("IDs", any_case=True)
        if ids:
            wanted = _int_set(ids)
            if wanted is None:
                return _field_error("IDs", "IDs must be comma-separated integers.")
            orders = [o for o in orders if o.id in wanted]
        refs = request.param("ReferenceIds", any_case=True)
        if refs:
            wanted_refs = {x.strip() for x in refs.split(",")}
            orders = [o for o in orders if o.reference_id in wanted_refs]
        for name, attribute, later in (
            ("StartDate", "created_date", True),
            ("EndDate", "created_date", False),
            ("LastUpdateStartDate", "updated_date", True),
            ("LastUpdateEndDate", "updated_date", False),
        ):
            raw = request.param(name, any_case=True)
            if not raw:
                continue
            try:
                bound = datetime.fromisoformat(raw)
            except ValueError:
                return _field_error(name, f"The value '{raw}' is not valid for {name}.")
            if bound.tzinfo is None:
                bound = bound.replace(tzinfo=EPOCH.tzinfo)
            orders = [o for o in orders if (getattr(o, attribute) > bound) == later]
        sort = (request.param("SortOrder", any_case=True) or "Newest").lower()
        ordered = list(orders)
        if sort == "newest":
            ordered.reverse()
        elif sort != "oldest":
            return _field_error("SortOrder", "SortOrder must be Newest or Oldest.")
        total = len(ordered)
        pages = math.ceil(total / limit)
        chunk = ordered[(page - 1) * limit : page * limit]
        headers = [
            ("Page-Number", str(page)),
            ("Page-Size", str(limit)),
            ("Total-Count", str(total)),
            ("Total-Pages", str(pages)),
        ]
        if page < pages:
            keep = [(k, v) for k, values in request.query.items() if k.lower() not in ("page", "limit") for v in values]
            headers.append(("Next-Page", f"{request.path}?{urlencode([*keep, ('Page', page + 1), ('Limit', limit)])}"))
        return json_response(200, [self._order_body(o) for o in chunk], headers=headers)

    def _order_one(self, request: Request, orderId: str) -> Response:
        def missing() -> Response:  # the spec declares no body for it
            return Response(status=404, content_type=None)

        invalid = partial(_field_error, "orderId")
        return _found(orderId, self._orders_by_id.get, self._order_body, missing, invalid)

    # -- channels, webhooks, locations --------------------------------------------------------------------------

    def _cursor_list(self, request: Request, items: Sequence[dict[str, Any]], *, name: str) -> Response:
        def bad(field_name: str, message: str) -> Response:
            return (
                _field_error(field_name, message)
                if name == "channel"
                else json_response(
                    400,
                    {
                        "$type": "BadRequestObjectResult",
                        "content_types": [],
                        "declared_type": "string",
                        "formatters": [],
                        "status_code": 400,
                        "value": {},  # the spec allows only an empty object here
                    },
                )
            )

        return self._linked(
            request,
            items,
            lambda item: item,
            size_name="RecordsPerPage",
            cursor_name="Cursor",
            full=False,
            bad_request=bad,
        )

    def _channels(self, request: Request) -> Response:
        return self._cursor_list(request, _CHANNELS, name="channel")

    def _webhooks(self, request: Request) -> Response:
        hooks = [
            {
                "created_at": iso(EPOCH - timedelta(days=200 - 9 * n)),
                "description": description,
                "enabled": n != 4,
                "id": str(90_410 + n),
                "topics": [topic],
                "url": f"https://hooks.pixelfox.example/shipbob/{n}",
            }
            for n, (topic, description) in enumerate(_WEBHOOK_TOPICS)
        ]
        return self._cursor_list(request, hooks, name="webhook")

    def _fulfillment_centers(self, request: Request) -> Response:
        return json_response(
            200,
            [
                {
                    "address1": c.address1,
                    "address2": None,
                    "city": c.city,
                    "country": "USA",
                    "email": f"{c.abbreviation.lower()}@fc.shipbob.example",
                    "id": c.id,
                    "name": c.name,
                    "phone_number": "555-555-0100",
                    "state": c.state,
                    "timezone": c.timezone,
                    "zip_code": c.zip_code,
                }
                for c in FULFILLMENT_CENTERS
            ],
        )

    def _locations(self, request: Request) -> Response:
        return json_response(
            200,
            [
                {
                    "abbreviation": c.abbreviation,
                    "access_granted": True,
                    "attributes": [],
                    "id": c.id,
                    "is_active": True,
                    "is_receiving_enabled": True,
                    "is_shipping_enabled": True,
                    "name": c.name,
                    "region": {"id": 1 + n, "name": c.region},
                    "services": [
                        {
                            "address": {
                                "address1": c.address1,
                                "address2": None,
                                "city": c.city,
                                "country": "US",
                                "email": None,
                                "name": c.name,
                                "phone_number": None,
                                "state": c.state,
                                "zip_code": c.zip_code,
                            },
                            "enabled": True,
                            "service_type": "Receiving",
                        }
                    ],
                    "timezone": c.timezone,
                }
                for n, c in enumerate(FULFILLMENT_CENTERS)
            ],
        )
