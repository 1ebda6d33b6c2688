"""Bounds on one HTTP exchange, as an httpx transport wrapper: a response-size cap and a total deadline.

httpx buffers a whole body (a 200 MB body, or a 200 KB gzip bomb that inflates to gigabytes) and its timeouts
are per network operation (a body trickling one byte per read timeout never times out). The wrapper reads the
body itself, chunk by chunk, and

- stops at ``max_bytes`` of *decoded* body (gzip and deflate are inflated here, bounded, with ``zlib``'s
  ``max_length``; the response handed on carries the decoded body, without ``Content-Encoding``), raising
  ``BodyTooLarge`` (the call path maps it to ``ResponseTooLargeError``); a ``Content-Length`` above the cap
  fails before reading. Other encodings (br, zstd, only decoded by httpx when their packages are installed)
  are capped on their encoded size;
- with a ``deadline`` (seconds), fails with ``httpx.ReadTimeout`` (mapped to ``APITimeoutError``) once the
  exchange, from sending to the last chunk, has taken longer. It is checked as each chunk arrives, so it may
  be overrun by at most one read timeout.

The body is then parsed from memory by the generated code, as before::

    http = httpx.Client(transport=LimitedTransport(httpx.HTTPTransport(), max_bytes=64 << 20, deadline=30.0))
"""

from __future__ import annotations

import time
import zlib
from collections.abc import AsyncIterator, Iterator

import httpx

__all__ = ["AsyncLimitedTransport", "BodyTooLarge", "LimitedTransport"]

_DECODED_HERE = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}
_DROPPED = {"content-encoding", "content-length", "transfer-encoding"}


class BodyTooLarge(Exception):
    """The body of ``response_status`` to ``request`` exceeded ``limit`` bytes."""

    def __init__(self, limit: int, request: httpx.Request, status_code: int) -> None:
        super().__init__(f"response body larger than {limit} bytes")
        self.limit = limit
        self.request = request
        self.status_code = status_code


class _Body:
    """Accumulates one body: inflates it if needed, enforces the cap and the deadline."""

    def __init__(
        self, response: httpx.Response, request: httpx.Request, max_bytes: int, deadline: float | None, start: float
    ) -> None:
        self._request = request
        self._status = response.status_code
        self._max = max_bytes
        self._deadline = None if deadline is None else start + deadline
        self._limit_s = deadline
        encoding = response.headers.get("content-encoding", "").strip().lower()
        wbits = _DECODED_HERE.get(encoding)
        self._inflate = zlib.decompressobj(wbits) if wbits is not None else None
        self._encoding = encoding
        self._first = True
        self._parts: list[bytes] = []
        self._size = 0
        length = response.headers.get("content-length")
        if self._inflate is None and length is not None and length.isdigit() and int(length) > max_bytes:
            raise BodyTooLarge(max_bytes, request, self._status)

    def add(self, chunk: bytes) -> None:
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise httpx.ReadTimeout(
                f"the response took longer than the {self._limit_s:g} s deadline", request=self._request
            )
        if self._inflate is None:
            self._keep(chunk)
            return
        if self._first and self._encoding == "deflate" and chunk:
            self._first = False
            if chunk[0] & 0x0F != 8:  # no zlib header: some servers send raw deflate
                self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        data = chunk
        while data:
            try:
                out = self._inflate.decompress(data, self._max - self._size + 1)
            except zlib.error as exc:
                raise httpx.DecodingError(f"{self._encoding} body could not be decoded: {exc}") from None
            self._keep(out)
            data = self._inflate.unconsumed_tail

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._max:
            raise BodyTooLarge(self._max, self._request, self._status)
        self._parts.append(data)

    def response(self, original: httpx.Response) -> httpx.Response:
        if self._inflate is not None:
            self._keep(self._inflate.flush())
            headers = [(k, v) for k, v in original.headers.multi_items() if k.lower() not in _DROPPED]
        else:
            headers = [
                (k, v) for k, v in original.headers.multi_items() if k.lower() not in _DROPPED - {"content-encoding"}
            ]
        return httpx.Response(
            original.status_code,
            headers=headers,
            content=b"".join(self._parts),
            extensions={k: v for k, v in original.extensions.items() if k != "network_stream"},
            request=self._request,
        )


class LimitedTransport(httpx.BaseTransport):
    """``inner`` with the response-size cap and the optional total deadline (see the module docstring)."""

    def __init__(self, inner: httpx.BaseTransport, *, max_bytes: int, deadline: float | None) -> None:
        self._inner = inner
        self._max = max_bytes
        self._deadline = deadline

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        start = time.monotonic()
        response = self._inner.handle_request(request)
        try:
            body = _Body(response, request, self._max, self._deadline, start)
            chunks: Iterator[bytes] = response.stream  # type: ignore[assignment]
            for chunk in chunks:
                body.add(chunk)
            return body.response(response)
        finally:
            response.close()

    def close(self) -> None:
        self._inner.close()


class AsyncLimitedTransport(httpx.AsyncBaseTransport):
    """The asyncio twin of ``LimitedTransport``."""

    def __init__(self, inner: httpx.AsyncBaseTransport, *, max_bytes: int, deadline: float | None) -> None:
        self._inner = inner
        self._max = max_bytes
        self._deadline = deadline

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        start = time.monotonic()
        response = await self._inner.handle_async_request(request)
        try:
            body = _Body(response, request, self._max, self._deadline, start)
            chunks: AsyncIterator[bytes] = response.stream  # type: ignore[assignment]
            async for chunk in chunks:
                body.add(chunk)
            return body.response(response)
        finally:
            await response.aclose()

    async def aclose(self) -> None:
        await self._inner.aclose()
