"""Orders (and the other listings the sandbox serves) through `paginate` on both vendors, with the vendors' filters,
against the sandbox's ground truth: every matching order exactly once, the fewest requests, sync and async."""

from __future__ import annotations

import datetime
import math
from typing import Any

from fourthwall_client.api.orders import list_orders
from fourthwall_client.api.products_offers import list_products
from fourthwall_client.models.list_orders_status_item import ListOrdersStatusItem
from shipbob_client.api.channels import get_2026_01_channel
from shipbob_client.api.inventory import get_2026_01_inventory_level
from shipbob_client.api.orders import get_2026_01_order

from tests.support.drivers import Driver


def _op(module: Any, driver: Driver) -> Any:
    return module.sync_detailed if driver.mode == "sync" else module.asyncio_detailed


def test_fourthwall_orders_by_status_and_creation_date(fourthwall: Driver, sandbox: Any) -> None:
    orders = sandbox.shop.fourthwall_orders
    since = sorted(o.created_at for o in orders)[len(orders) // 3]
    wanted = [o.id for o in orders if o.created_at > since and o.status in ("CONFIRMED", "SHIPPED")]
    assert wanted, "the seeded shop should have matching orders"
    sandbox.requests.clear()

    got = fourthwall.collect(
        fourthwall.client.paginate,
        _op(list_orders, fourthwall),
        created_atgt=since,
        status=[ListOrdersStatusItem.CONFIRMED, ListOrdersStatusItem.SHIPPED],
        page_size=5,
    )

    assert [str(o.id) for o in got] == wanted  # newest first, as Fourthwall lists them
    assert sandbox.requests.count(vendor="fourthwall", path="/open-api/v1.0/order") == math.ceil(len(wanted) / 5)


def test_shipbob_orders_by_creation_and_update_dates(shipbob: Driver, sandbox: Any) -> None:
    orders = sandbox.shop.shipbob_orders
    since = sorted(o.created_date for o in orders)[len(orders) // 4]
    updated = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    wanted = {o.id for o in orders if o.created_date > since}
    sandbox.requests.clear()

    got = shipbob.collect(
        shipbob.client.paginate,
        _op(get_2026_01_order, shipbob),
        start_date=since,
        last_update_end_date=updated,
        sort_order="Oldest",
        page_size=4,
    )

    ids = [o.id for o in got]
    assert sorted(ids) == sorted(wanted) and len(ids) == len(set(ids))
    assert sandbox.requests.count(vendor="shipbob", path="/2026-01/order") == math.ceil(len(wanted) / 4)


def test_links_and_cursors_of_the_sandbox_come_back_whole(shipbob: Driver, sandbox: Any) -> None:
    levels = shipbob.collect(shipbob.client.paginate, _op(get_2026_01_inventory_level, shipbob), page_size=7)
    channels = shipbob.collect(shipbob.client.paginate, _op(get_2026_01_channel, shipbob), page_size=1)
    assert len({level.inventory_id for level in levels}) == len(levels) == len(sandbox.shop.shipbob_items)
    assert len({channel.id for channel in channels}) == len(channels) >= 1


def test_fourthwall_products_in_the_fewest_requests(fourthwall: Driver, sandbox: Any) -> None:
    sandbox.requests.clear()
    offers = fourthwall.collect(fourthwall.client.paginate, _op(list_products, fourthwall))  # default page size
    assert len({offer.id for offer in offers}) == len(offers) == len(sandbox.shop.fourthwall_products)
    assert sandbox.requests.count(vendor="fourthwall", path="/open-api/v1.0/products") == 1
