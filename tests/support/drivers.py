"""One way to drive a sync or an async client from a plain (sync) test, so a test is written once for both.

The async client lives in an anyio blocking portal: its own event loop on a thread, for the whole test. A test
asks the driver, never the client, and gets plain values back::

    def test_stock(shipbob):            # parametrized sync/async by tests/conftest.py
        levels = shipbob.run("stock")
        items = shipbob.collect("iter_stock", page_size=50)
        first = shipbob.collect(shipbob.client.paginate, list_orders_op, Limit=50)  # any callable too
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterable, Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from anyio.from_thread import BlockingPortal, start_blocking_portal

Mode = Literal["sync", "async"]

__all__ = ["Driver", "Mode", "driven"]


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
