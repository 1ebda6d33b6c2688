"""One way to drive a sync or an async client from a plain (sync) test, so a test is written once for both.

The async client lives in an anyio blocking portal: its own event loop on a thread, for the whole test. A test
asks the driver, never the client, and gets plain values back::

    def test_stock(shipbob):            # parametrized sync/async by tests/conftest.py
        levels = shipbob.run("stock")
        items = shipbob.collect("iter_stock", page_size=50)
        first = shipbob.collect(shipbob.client.paginate, list_orders_op, Limit=50)  # any callable too
        order = shipbob.call(get_2026_01_order_by_order_id, 42)  # a generated operation module, via client.call

Outside the sandbox fixtures, ``client_driven`` builds the driver over a new client of either vendor (from the
environment, or from constructor options such as an ``httpx.MockTransport``), and ``call_mocked`` is one call of a
vendor's probe operation over a ``MockTransport`` answering with a responder::

    with client_driven("fourthwall", mode, auth="t", transport=httpx.MockTransport(responder)) as fourthwall:
        page = fourthwall.call(get_product_inventory, "p1")
    order = call_mocked("shipbob", mode, lambda request: httpx.Response(200, json={"id": 7}))
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import AsyncIterable, Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import ModuleType
from typing import Any, Literal

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal

Mode = Literal["sync", "async"]
VendorName = Literal["fourthwall", "shipbob"]
Responder = Callable[[httpx.Request], httpx.Response]

__all__ = [
    "FOURTHWALL_PROBE_PAGE",
    "PROBES",
    "Driver",
    "Mode",
    "Responder",
    "VendorName",
    "call_mocked",
    "client_class",
    "client_driven",
    "driven",
]


async def _collect_async(iterable: AsyncIterable[Any]) -> list[Any]:
    return [item async for item in iterable]


class Driver:
    """A sync or async client behind one sync interface (``run``, ``collect``), plus the client itself."""

    def __init__(self, client: Any, mode: Mode, portal: BlockingPortal | None) -> None:
        self.client = client
        self.mode: Mode = mode
        self._portal = portal

    def __repr__(self) -> str:
        return f"Driver({type(self.client).__name__}, {self.mode})"

    def _target(self, method: str | Callable[..., Any]) -> Callable[..., Any]:
        return getattr(self.client, method) if isinstance(method, str) else method

    def run(self, method: str | Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Call ``method`` (a client method name, or a callable) and return its result, awaited if async."""
        call = functools.partial(self._target(method), *args, **kwargs)
        if self._portal is None:
            return call()
        portal = self._portal

        async def invoke() -> Any:
            result = call()
            return await result if inspect.isawaitable(result) else result

        return portal.call(invoke)

    def call(self, operation: ModuleType, /, *args: Any, **kwargs: Any) -> Any:
        """``client.call`` of a generated operation module: its ``sync_detailed`` or ``asyncio_detailed``, by mode."""
        detailed = operation.sync_detailed if self.mode == "sync" else operation.asyncio_detailed
        return self.run("call", detailed, *args, **kwargs)

    def collect(self, method: str | Callable[..., Any], /, *args: Any, **kwargs: Any) -> list[Any]:
        """Call ``method`` and return everything the (async) iterable it returns yields, as a list."""
        if self._portal is None:
            result = self._target(method)(*args, **kwargs)
            assert isinstance(result, Iterable)
            return list(result)
        portal = self._portal

        async def gather() -> list[Any]:
            result = self._target(method)(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            if isinstance(result, AsyncIterable):
                return await _collect_async(result)
            return list(result)

        return portal.call(gather)


@contextmanager
def driven(factory: Callable[[Mode], Any], mode: Mode) -> Iterator[Driver]:
    """A ``Driver`` for the client ``factory(mode)`` builds; the client is closed (and the portal stopped) after.

    ``factory`` is called inside the event loop for ``"async"``, so the async client binds to that loop.
    """
    if mode == "sync":
        client = factory(mode)
        with client:
            yield Driver(client, mode, None)
        return
    with start_blocking_portal() as portal:

        async def build() -> Any:
            return factory(mode)

        client = portal.call(build)
        portal.call(client.__aenter__)
        try:
            yield Driver(client, mode, portal)
        finally:
            portal.call(client.__aexit__, None, None, None)


def client_class(vendor: VendorName, mode: Mode) -> Any:
    """The facade's client class for ``vendor`` in ``mode``: ``Fourthwall``, ``AsyncFourthwall``, ``ShipBob``, ..."""
    import facade  # here, not at import time: the conftest imports this module before any test asks for a client

    classes: dict[tuple[VendorName, Mode], Any] = {
        ("fourthwall", "sync"): facade.Fourthwall,
        ("fourthwall", "async"): facade.AsyncFourthwall,
        ("shipbob", "sync"): facade.ShipBob,
        ("shipbob", "async"): facade.AsyncShipBob,
    }
    return classes[vendor, mode]


@contextmanager
def client_driven(
    vendor: VendorName, mode: Mode, *, environ: Mapping[str, str] | None = None, **options: Any
) -> Iterator[Driver]:
    """A ``Driver`` over a new ``vendor`` client: ``from_env(environ=environ, **options)`` when ``environ`` is
    given, else the constructor with ``options``."""

    def build(which: Mode) -> Any:
        cls = client_class(vendor, which)
        return cls(**options) if environ is None else cls.from_env(environ=environ, **options)

    with driven(build, mode) as driver:
        yield driver


# One operation per vendor that takes an id and answers one object, with the id a call passes by default.
PROBES: dict[VendorName, tuple[str, tuple[Any, ...]]] = {
    "fourthwall": ("fourthwall_client.api.products_offers.get_product_inventory", ("prod-1",)),
    "shipbob": ("shipbob_client.api.orders.get_2026_01_order_by_order_id", (42,)),
}
# A valid answer of the Fourthwall probe (one variant's stock page); tests change copies of it, never it.
FOURTHWALL_PROBE_PAGE: dict[str, Any] = {
    "results": [
        {
            "variantId": "6f1c3b8e-1111-4222-8333-444455556666",
            "quantity": 3,
            "createdAt": "2024-01-01T00:00:00Z",
            "updatedAt": "2024-01-02T00:00:00Z",
        }
    ],
    "total": 1,
    "page": 0,
    "size": 20,
    "totalPages": 1,
}


def call_mocked(
    vendor: VendorName, mode: Mode, responder: Responder, *args: Any, strict: bool = False, **kwargs: Any
) -> Any:
    """One call of ``vendor``'s probe operation (``PROBES``) with ``args`` (or its default id) and ``kwargs``, on a
    new client (no retries, no rate limit) over an ``httpx.MockTransport(responder)``; the parsed body back."""
    module, default_args = PROBES[vendor]
    transport = httpx.MockTransport(responder)
    options: dict[str, Any] = {"auth": "tok", "strict": strict, "max_retries": 0, "rate_limit": None}
    with client_driven(vendor, mode, transport=transport, **options) as driver:
        return driver.call(importlib.import_module(module), *(args or default_args), **kwargs)
