"""The generated clients read every sandbox endpoint into their typed models, losing nothing.

A second, independent check next to test_conformance.py: each response is parsed by the generated endpoint
function (``parsed`` must be the 200 model, not ``None``/``Any``) and ``to_dict()`` of the model must give back the
JSON served (timestamps compared as instants: the models re-serialize them in ISO form). A field the generated
model does not know would be lost in that round trip.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import httpx

from facade.sandbox import Sandbox
from tests.support.paths import REPO

if str(REPO / "generated") not in sys.path:  # installed by the project's own environments; a checkout has them here
    sys.path.append(str(REPO / "generated"))

import fourthwall_client
import shipbob_client
from fourthwall_client.api.orders import get_order, list_orders
from fourthwall_client.api.products_offers import get_product, get_product_inventory, list_products
from shipbob_client.api.channels import get_2026_01_channel
from shipbob_client.api.inventory import (
    get_2026_01_inventory,
    get_2026_01_inventory_by_inventory_id,
    get_2026_01_inventory_level,
    get_2026_01_inventory_level_by_inventory_id,
    get_2026_01_inventory_level_by_inventory_id_locations,
    get_2026_01_inventory_level_by_inventory_id_lots,
    get_2026_01_inventory_level_locations,
    get_2026_01_inventory_level_lots,
)
from shipbob_client.api.locations import get_2026_01_location
from shipbob_client.api.orders import get_2026_01_order, get_2026_01_order_by_order_id
from shipbob_client.api.products import get_2026_01_product, get_2026_01_product_by_product_id
from shipbob_client.api.receiving import get_2026_01_fulfillment_center
from shipbob_client.api.webhooks import get_2026_01_webhook


def _normal(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, str) and len(value) >= 20 and value[4] == "-" and "T" in value:
        try:
            return datetime.fromisoformat(value[:26].rstrip("Z") + "+00:00" if value.endswith("Z") else value)
        except ValueError:
            return value
    return value


def _round_trip(parsed: Any) -> Any:
    if isinstance(parsed, list):
        return [item.to_dict() for item in parsed]
    return parsed.to_dict()


def test_generated_models_read_everything_served() -> None:
    with Sandbox.start(seed=7, skus=60) as sb:
        creds = sb.credentials
        token = httpx.post(
            sb.fourthwall_token_url,
            data={
                "grant_type": "refresh_token",
                "client_id": creds.fourthwall_client_id,
                "client_secret": creds.fourthwall_client_secret,
                "refresh_token": sb.fourthwall_tokens.refresh_token,
            },
        ).json()["access_token"]
        fw = fourthwall_client.AuthenticatedClient(base_url=sb.fourthwall_url, token=token)
        shipbob = shipbob_client.AuthenticatedClient(base_url=sb.shipbob_url, token=sb.shipbob_token)
        shop = sb.shop
        product_id = shop.fourthwall_products[0].id
        order_id = shop.fourthwall_orders[0].id
        item_id = next(i.inventory_id for i in shop.shipbob_items if i.lots)
        bundle_product = next(p.id for p in shop.shipbob_products if any(v.bundle for v in p.variants))
        calls: list[tuple[Any, dict[str, Any]]] = [
            (list_products, {"client": fw, "size": 100}),
            (get_product, {"product_id": product_id, "client": fw}),
            (get_product_inventory, {"product_id": product_id, "client": fw}),
            (list_orders, {"client": fw, "size": 100}),
            (get_order, {"order_id": order_id, "client": fw}),
            (get_2026_01_inventory_level, {"client": shipbob, "page_size": 250}),
            (get_2026_01_inventory_level_locations, {"client": shipbob, "page_size": 250}),
            (get_2026_01_inventory_level_lots, {"client": shipbob, "page_size": 250}),
            (get_2026_01_inventory, {"client": shipbob, "page_size": 250}),
            (get_2026_01_inventory_level_by_inventory_id, {"inventory_id": item_id, "client": shipbob}),
            (get_2026_01_inventory_level_by_inventory_id_locations, {"inventory_id": item_id, "client": shipbob}),
            (get_2026_01_inventory_level_by_inventory_id_lots, {"inventory_id": item_id, "client": shipbob}),
            (get_2026_01_inventory_by_inventory_id, {"inventory_id": item_id, "client": shipbob}),
            (get_2026_01_product, {"client": shipbob}),
            (get_2026_01_product_by_product_id, {"product_id": bundle_product, "client": shipbob}),
            (get_2026_01_order, {"client": shipbob}),
            (get_2026_01_order_by_order_id, {"order_id": shop.shipbob_orders[0].id, "client": shipbob}),
            (get_2026_01_channel, {"client": shipbob}),
            (get_2026_01_webhook, {"client": shipbob}),
            (get_2026_01_fulfillment_center, {"client": shipbob}),
            (get_2026_01_location, {"client": shipbob}),
        ]
        failures = []
        for module, kwargs in calls:
            try:
                response = module.sync_detailed(**kwargs)
            except TypeError as exc:  # the generated signature changed (e.g. an int id typed as str)
                failures.append(f"{module.__name__}: {exc}")
                continue
            name = module.__name__.rsplit(".", 1)[-1]
            if response.status_code != 200 or response.parsed is None:
                failures.append(f"{name}: HTTP {response.status_code}, parsed {response.parsed!r:.80}")
                continue
            served = _normal(json.loads(response.content))
            again = _normal(_round_trip(response.parsed))
            if served != again:
                failures.append(f"{name}: to_dict() differs from the body served")
    assert not failures, "\n".join(failures)
