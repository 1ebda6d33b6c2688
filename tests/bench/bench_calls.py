"""Per-call overhead of the facade: each task method vs the generated client alone making the SAME requests.

Rows (calls per second, facade / generated; target >= 0.85x, issue 13):

- ``Fourthwall.inventory(product_id)``, ``Fourthwall.stock()``, ``Fourthwall.catalog()``,
  ``Fourthwall.paginate(list_orders)``;
- ``ShipBob.inventory(product_id)``, ``ShipBob.stock()``, ``ShipBob.catalog()``,
  ``ShipBob.paginate(get_2026_01_order)``.

Fairness, so the ratio is about our overhead and nothing else:

- the server is out of the figure: the sandbox (``Sandbox.start``, in threads) answers once, at bench start,
  through ``RecordingTransport``; it is then stopped, and both sides are timed over one ``CannedTransport``
  replaying those bytes (a fresh ``httpx.Response`` per request, same body bytes, no socket);
- the same requests: the recording runs each side once and the bench refuses to time a row whose two sides asked
  for different requests (method, path, query pairs) or got a different number of items;
- the generated side is what a user of the generated client writes: an ``AuthenticatedClient`` given
  ``httpx.Client(transport=canned)`` with ``set_httpx_client``, its ``sync_detailed`` functions (typed parse,
  ``from_dict``, included), the page loop by hand (``page``/``size`` up to ``totalPages``; ShipBob's ``next``
  link fetched with the same httpx client and parsed with the operation's own ``_build_response``, as
  ``facade.pagination`` does; ``Total-Pages`` header for orders). It builds no ``StockLevel``/``CatalogItem``:
  mapping is part of the facade's cost;
- the facade is configured as a user would: ``from_env`` on the sandbox's variables, default retries (2), the
  default size cap and a rate limit that never waits (``RateLimit(10**9 requests per second)``: the budget's
  bookkeeping runs on every request, its waits never do), plus ``transport=canned``.

Both sides are timed in CPU time (``process_time``), alternating, ``repeats`` rounds of one sample of ``loops`` calls
per side (``loops`` calibrated so a sample takes about ``_SAMPLE_S``); the ratio is the median of the rounds' ratios
(``paired_ratio``: both samples of a round see the same machine speed), the baseline column the generated client's
median calls per second, and the facade column that baseline times the ratio.

Example::

    rows = run(repeats=9)
"""

from __future__ import annotations

import base64
import time
from collections import Counter
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any

import attrs
import httpx

from tests.bench._canned import CannedTransport, RecordingTransport
from tests.bench._report import Row, Target
from tests.bench._timing import interleaved, paired_ratio, timed

__all__ = ["SEED", "SKUS", "run"]

SEED = 7
SKUS = 1200  # ~240 Fourthwall products (3 listing pages), ~1160 ShipBob items (5 batches of 250), 300 orders each
_SAMPLE_S = 0.05
_TARGET = Target.at_least(0.85)
_NEVER_WAITS = 10**9  # requests per second: the budget counts every request and never makes one wait


@attrs.frozen
class _Clients:
    fw: Any  # facade.Fourthwall
    sb: Any  # facade.ShipBob
    gfw: Any  # fourthwall_client.AuthenticatedClient
    gsb: Any  # shipbob_client.AuthenticatedClient


@attrs.frozen
class _Case:
    metric: str
    facade: Callable[[_Clients], list[Any]]
    generated: Callable[[_Clients], list[Any]]


_Work = Callable[[_Clients], list[Any]]  # one side of a case: its calls, returning the items it got

# -- the generated client alone -------------------------------------------------------------------------------


def _fw_pages(call: Callable[..., Any], size: int) -> list[Any]:
    """Every item of a Fourthwall ``{results, totalPages}`` listing, page by page (``call(page=, size=)``)."""
    items: list[Any] = []
    page = 0
    while True:
        parsed = call(page=page, size=size).parsed
        items.extend(parsed.results)
        if page + 1 >= parsed.total_pages or not parsed.results:
            return items
        page += 1


def _sb_linked(client: Any, module: Any, first: Any) -> Iterator[Any]:
    """The pages of a ShipBob ``{items, next}`` listing: ``first``, then each ``next`` link, parsed by ``module``."""
    page = first.parsed
    http = client.get_httpx_client()
    while True:
        yield page
        link = page.next_
        if not isinstance(link, str) or not link:
            return
        page = module._build_response(client=client, response=http.get(link)).parsed


def _gen_fw_inventory(product_id: str) -> Callable[[_Clients], list[Any]]:
    from fourthwall_client.api.products_offers import get_product_inventory

    from facade.defaults import FOURTHWALL_PAGE_SIZE

    def work(c: _Clients) -> list[Any]:
        return _fw_pages(
            lambda **kw: get_product_inventory.sync_detailed(product_id, client=c.gfw, **kw), FOURTHWALL_PAGE_SIZE
        )

    return work


def _gen_fw_variants(c: _Clients) -> list[Any]:
    from fourthwall_client.api.products_offers import list_products

    from facade.defaults import FOURTHWALL_PAGE_SIZE

    offers = _fw_pages(lambda **kw: list_products.sync_detailed(client=c.gfw, **kw), FOURTHWALL_PAGE_SIZE)
    return [variant for offer in offers for variant in offer.variants]  # the facade's rows are per variant


def _gen_fw_orders(c: _Clients) -> list[Any]:
    from fourthwall_client.api.orders import list_orders

    from facade.defaults import FOURTHWALL_PAGE_SIZE

    return _fw_pages(lambda **kw: list_orders.sync_detailed(client=c.gfw, **kw), FOURTHWALL_PAGE_SIZE)


def _gen_sb_views(c: _Clients, totals: list[Any]) -> list[Any]:
    """The per-center and per-lot views of one batch of totals (what the facade joins)."""
    from shipbob_client.api.inventory import get_2026_01_inventory_level_locations as by_location
    from shipbob_client.api.inventory import get_2026_01_inventory_level_lots as by_lot

    ids = [item.inventory_id for item in totals]
    views: list[Any] = []
    for module in (by_location, by_lot):
        first = module.sync_detailed(client=c.gsb, inventory_ids=ids, page_size=len(ids))
        for page in _sb_linked(c.gsb, module, first):
            views.extend(page.items)
    return views


def _gen_sb_inventory(product_id: int) -> Callable[[_Clients], list[Any]]:
    def work(c: _Clients) -> list[Any]:
        from shipbob_client.api.inventory import get_2026_01_inventory_level as levels
        from shipbob_client.api.products import get_2026_01_product_by_product_id as product_by_id

        product: Any = product_by_id.sync_detailed(product_id, client=c.gsb).parsed
        ids = list(dict.fromkeys(v.inventory.inventory_id for v in product.variants))
        first = levels.sync_detailed(client=c.gsb, inventory_ids=ids, page_size=len(ids))
        totals = [item for page in _sb_linked(c.gsb, levels, first) for item in page.items]
        _gen_sb_views(c, totals)
        return totals

    return work


def _gen_sb_stock(c: _Clients) -> list[Any]:
    from shipbob_client.api.inventory import get_2026_01_inventory_level as levels

    from facade.defaults import SHIPBOB_PAGE_SIZE

    totals: list[Any] = []
    first = levels.sync_detailed(client=c.gsb, page_size=SHIPBOB_PAGE_SIZE)
    for page in _sb_linked(c.gsb, levels, first):
        _gen_sb_views(c, page.items)
        totals.extend(page.items)
    return totals


def _gen_sb_variants(c: _Clients) -> list[Any]:
    from shipbob_client.api.products import get_2026_01_product as products

    from facade.defaults import SHIPBOB_PAGE_SIZE

    first = products.sync_detailed(client=c.gsb, page_size=str(SHIPBOB_PAGE_SIZE))
    found = [item for page in _sb_linked(c.gsb, products, first) for item in page.items]
    return [variant for product in found for variant in product.variants]  # the facade's rows are per variant


def _gen_sb_orders(c: _Clients) -> list[Any]:
    from shipbob_client.api.orders import get_2026_01_order

    from facade.defaults import SHIPBOB_PAGE_SIZE

    orders: list[Any] = []
    page = 1
    while True:
        response = get_2026_01_order.sync_detailed(client=c.gsb, page=page, limit=SHIPBOB_PAGE_SIZE)
        parsed: Any = response.parsed
        orders.extend(parsed)
        if page >= int(response.headers.get("total-pages", page)) or not parsed:
            return orders
        page += 1


# -- the cases ------------------------------------------------------------------------------------------------


# The generated client's side of each vendor's four rows: inventory(product_id), stock(), catalog(), paginate(orders)
# (the inventory one is made for the product the row reads).
_GENERATED: dict[str, tuple[Callable[[Any], _Work], _Work, _Work, _Work]] = {
    "Fourthwall": (_gen_fw_inventory, _gen_fw_variants, _gen_fw_variants, _gen_fw_orders),
    "ShipBob": (_gen_sb_inventory, _gen_sb_stock, _gen_sb_variants, _gen_sb_orders),
}


def _vendor_cases(vendor: str, pick: Callable[[_Clients], Any], products: list[Any], listing: Any) -> list[_Case]:
    """One vendor's rows; ``pick`` its facade client, ``listing`` the generated operation ``paginate`` is timed on."""
    gen_inventory, gen_stock, gen_catalog, gen_listing = _GENERATED[vendor]
    # The product with the most variants (a realistic worst case for the per-variant mapping), ties: the first.
    product = max(products, key=lambda p: len(p.variants)).id
    listing_name = listing.__module__.rsplit(".", 1)[-1]
    return [
        _Case(f"{vendor}.inventory(product_id)", lambda c: pick(c).inventory(product), gen_inventory(product)),
        _Case(f"{vendor}.stock()", lambda c: pick(c).stock(), gen_stock),
        _Case(f"{vendor}.catalog()", lambda c: pick(c).catalog(), gen_catalog),
        _Case(f"{vendor}.paginate({listing_name})", lambda c: list(pick(c).paginate(listing)), gen_listing),
    ]


def _cases(sandbox: Any) -> list[_Case]:
    from fourthwall_client.api.orders import list_orders
    from shipbob_client.api.orders import get_2026_01_order

    shop = sandbox.shop
    return [
        *_vendor_cases("Fourthwall", attrgetter("fw"), shop.fourthwall_products, list_orders.sync_detailed),
        *_vendor_cases("ShipBob", attrgetter("sb"), shop.shipbob_products, get_2026_01_order.sync_detailed),
    ]


def _clients(sandbox: Any, transport: httpx.BaseTransport) -> _Clients:
    import fourthwall_client
    import shipbob_client

    from facade import Fourthwall, RateLimit, ShipBob

    environ = sandbox.environ()
    never_waits = RateLimit(requests=_NEVER_WAITS, per_seconds=1.0)
    fw = Fourthwall.from_env(environ=environ, transport=transport, rate_limit=never_waits)
    sb = ShipBob.from_env(environ=environ, transport=transport, rate_limit=never_waits)

    user, password = sandbox.fourthwall_credentials
    basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    gfw = fourthwall_client.AuthenticatedClient(base_url=sandbox.fourthwall_url, token="")
    gfw.set_httpx_client(
        httpx.Client(base_url=sandbox.fourthwall_url, transport=transport, headers={"Authorization": basic})
    )
    gsb = shipbob_client.AuthenticatedClient(base_url=sandbox.shipbob_url, token=sandbox.shipbob_token)
    bearer = f"Bearer {sandbox.shipbob_token}"
    gsb.set_httpx_client(
        httpx.Client(base_url=sandbox.shipbob_url, transport=transport, headers={"Authorization": bearer})
    )
    return _Clients(fw=fw, sb=sb, gfw=gfw, gsb=gsb)


def _close(clients: _Clients) -> None:
    clients.fw.close()
    clients.sb.close()
    clients.gfw.get_httpx_client().close()
    clients.gsb.get_httpx_client().close()


@attrs.frozen
class _Recorded:
    requests: int
    items: int


def _record(cases: list[_Case], clients: _Clients, recorder: RecordingTransport) -> dict[str, _Recorded]:
    """Run each side once against the sandbox; refuse a case whose sides differ in requests or item count."""
    recorded: dict[str, _Recorded] = {}
    for case in cases:
        start = len(recorder.log)
        ours = case.facade(clients)
        middle = len(recorder.log)
        theirs = case.generated(clients)
        facade_requests, generated_requests = recorder.log[start:middle], recorder.log[middle:]
        if Counter(facade_requests) != Counter(generated_requests):
            only_facade = sorted(set(facade_requests) - set(generated_requests))
            only_generated = sorted(set(generated_requests) - set(facade_requests))
            raise RuntimeError(
                f"{case.metric}: the two sides asked for different requests; facade only: {only_facade[:3]}, "
                f"generated only: {only_generated[:3]}"
            )
        if len(ours) != len(theirs):
            raise RuntimeError(f"{case.metric}: facade got {len(ours)} items, generated {len(theirs)}")
        recorded[case.metric] = _Recorded(requests=len(facade_requests), items=len(ours))
    return recorded


def _loop(work: Callable[[_Clients], object], clients: _Clients, loops: int) -> Callable[[], None]:
    def many() -> None:
        for _ in range(loops):
            work(clients)

    return many


def _missing() -> str | None:
    try:
        from facade import Fourthwall, ShipBob  # noqa: F401
        from facade.sandbox import Sandbox  # noqa: F401
    except ImportError as error:
        return f"not available: {error}"
    return None


def run(*, repeats: int, skus: int = SKUS, sample_s: float = _SAMPLE_S) -> list[Row]:
    """One row per facade method: calls per second, facade vs the generated client alone, same canned bytes."""
    missing = _missing()
    if missing is not None:
        return [Row(metric="facade per-call overhead", unit="calls/s", ours=None, target=_TARGET, note=missing)]
    from facade.sandbox import Sandbox

    with Sandbox.start(seed=SEED, skus=skus) as sandbox:
        recorder = RecordingTransport(httpx.HTTPTransport())
        cases = _cases(sandbox)
        live = _clients(sandbox, recorder)
        try:
            recorded = _record(cases, live, recorder)
        finally:
            _close(live)
        canned = CannedTransport(recorder.answers)
        clients = _clients(sandbox, canned)  # the URLs stay; the servers stop: nothing below reaches them
    rows: list[Row] = []
    try:
        for case in cases:
            one = timed(lambda case=case: case.generated(clients), time.process_time)  # type: ignore[misc]
            loops = max(1, round(sample_s / max(one, 1e-6)))
            _, base_s, ours_samples, base_samples = interleaved(
                _loop(case.facade, clients, loops),
                _loop(case.generated, clients, loops),
                repeats=repeats,
                clock=time.process_time,
            )
            canned.log.clear()
            facts = recorded[case.metric]
            rows.append(
                Row(
                    metric=f"{case.metric} ({facts.requests} req, {facts.items} items)",
                    unit="calls/s",
                    ours=loops / base_s * paired_ratio(ours_samples, base_samples),
                    baseline=loops / base_s,
                    target=_TARGET,
                    note=(
                        "baseline: generated sync_detailed (from_dict) for the same requests; both over one canned "
                        "transport; facade: default retries, RateLimit(1e9/s) (never waits); CPU time; ratio: median "
                        "of paired rounds"
                    ),
                    details={
                        "requests_per_call": facts.requests,
                        "items_per_call": facts.items,
                        "loops_per_sample": loops,
                        "facade_ms_samples": [round(s / loops * 1e3, 3) for s in ours_samples],
                        "generated_ms_samples": [round(s / loops * 1e3, 3) for s in base_samples],
                    },
                )
            )
    finally:
        _close(clients)
    return _shorten_notes(rows)


def _shorten_notes(rows: list[Row]) -> list[Row]:
    # The table prints every note; one explanation is enough for rows that share it.
    return [row if index == 0 else attrs.evolve(row, note="") for index, row in enumerate(rows)]


if __name__ == "__main__":
    from tests.bench._report import render

    print(render(run(repeats=5)))
