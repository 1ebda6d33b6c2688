"""An httpx transport wrapper that steers Prism (``Prefer``) and records what it said about our requests.

Prism answers every request; whether the request matched the spec shows only in the ``sl-violations``
response header. Wrapping the transport (rather than the facade) sees exactly what went on the wire,
for sync and async clients alike, whatever the facade does above it.

    traffic = PrismTraffic(prefer="code=404, dynamic=false")
    client = httpx.Client(base_url=prism.base_url, transport=traffic.transport())
    ...
    traffic.assert_no_violations()
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
import httpx

__all__ = ["Exchange", "PrismTraffic"]

_T = TypeVar("_T")


@attrs.frozen(kw_only=True)
class Exchange:
    """One request/response pair as seen on the wire."""

    method: str
    url: str
    request_headers: httpx.Headers
    status: int
    body: bytes
    violations: str | None

    def json(self) -> object:
        return json.loads(self.body)


@attrs.define(kw_only=True)
class PrismTraffic:
    """Adds a ``Prefer`` header to each request (if set) and records every exchange."""

    prefer: str | None = None
    # Optional: what the caller receives instead of Prism's body (Prism is recorded unchanged). For facts
    # Prism cannot model, e.g. a page wrapper whose `page` echoes the requested page.
    rewrite: Callable[[httpx.Request, bytes], bytes] | None = None
    exchanges: list[Exchange] = attrs.field(factory=list)

    def transport(self, inner: httpx.BaseTransport | None = None) -> httpx.BaseTransport:
        return _SyncRecorder(self, inner or httpx.HTTPTransport())

    def async_transport(self, inner: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncBaseTransport:
        return _AsyncRecorder(self, inner or httpx.AsyncHTTPTransport())

    def _steer(self, request: httpx.Request) -> None:
        if self.prefer is not None:
            request.headers["Prefer"] = self.prefer

    def _deliver(self, request: httpx.Request, response: httpx.Response, body: bytes) -> httpx.Response:
        self._record(request, response, body)
        # Always a fresh response over the bytes read: the network stream is consumed, and transports above this
        # one (the facade's size cap) read the stream, not a cached body.
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-encoding")}
        content = body if self.rewrite is None else self.rewrite(request, body)
        return httpx.Response(response.status_code, headers=headers, content=content)

    def _record(self, request: httpx.Request, response: httpx.Response, body: bytes) -> None:
        self.exchanges.append(
            Exchange(
                method=request.method,
                url=str(request.url),
                request_headers=httpx.Headers(request.headers),
                status=response.status_code,
                body=body,
                violations=response.headers.get("sl-violations"),
            )
        )

    @property
    def violations(self) -> list[str]:
        """Every request rule Prism found broken (``sl-violations``), prefixed with the request it judged.

        Prism also reports its own answers that break the spec (``location`` starting ``response``: a
        vendor example that contradicts its schema); those are the vendor's, not ours, and are left out.
        """
        found = []
        for e in self.exchanges:
            ours = [v for v in _parsed(e.violations) if _about_request(v)]
            if ours:
                found.append(f"{e.method} {e.url}: {json.dumps(ours)}")
        return found

    def assert_no_violations(self) -> None:
        """Fail if Prism found any request that broke the spec (it names the broken rule)."""
        assert self.exchanges, "no request reached Prism"
        assert not self.violations, "our requests broke the spec:\n" + "\n".join(self.violations)

    def run(self, call: Callable[[], _T]) -> _T:
        """``call()``; if it raises after Prism flagged a request, fail with the violation instead.

        A request that breaks the spec usually also gets an error answer (ShipBob: 400), so the facade
        raises; the violation is the real cause and is what the test should report.
        """
        try:
            return call()
        except Exception as exc:
            if self.violations:
                raise AssertionError("our requests broke the spec:\n" + "\n".join(self.violations)) from exc
            raise

    @property
    def last(self) -> Exchange:
        assert self.exchanges, "no request reached Prism"
        return self.exchanges[-1]


class _SyncRecorder(httpx.BaseTransport):
    def __init__(self, traffic: PrismTraffic, inner: httpx.BaseTransport) -> None:
        self._traffic = traffic
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._traffic._steer(request)
        response = self._inner.handle_request(request)
        return self._traffic._deliver(request, response, response.read())

    def close(self) -> None:
        self._inner.close()


class _AsyncRecorder(httpx.AsyncBaseTransport):
    def __init__(self, traffic: PrismTraffic, inner: httpx.AsyncBaseTransport) -> None:
        self._traffic = traffic
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._traffic._steer(request)
        response = await self._inner.handle_async_request(request)
        return self._traffic._deliver(request, response, await response.aread())

    async def aclose(self) -> None:
        await self._inner.aclose()


def _parsed(header: str | None) -> list[Any]:
    """The ``sl-violations`` header as a list (a header that is not JSON counts as one violation)."""
    if not header:
        return []
    try:
        value = json.loads(header)
    except ValueError:
        return [header]
    return value if isinstance(value, list) else [value]


def _about_request(violation: Any) -> bool:
    if isinstance(violation, dict):
        return bool(violation.get("location")) and violation["location"][0] == "request"
    # Prism cuts long lists short as one string: "Too many violations! [...]"
    return '"location":["request"' in str(violation)
