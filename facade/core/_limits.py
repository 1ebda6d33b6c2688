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

A plain body (no encoding decoded here, a ``Content-Length`` and no ``Transfer-Encoding``: the common case) is
not copied: the inner response itself is handed on, with the headers a copied body would get, and its body goes
through the same cap and deadline checks as httpx reads it (once), or at once when it is already in memory (a
mock or canned transport). Any other body is read here, whole, and handed on in memory.

The body is then parsed from memory by the generated code, as before::

    http = httpx.Client(transport=LimitedTransport(httpx.HTTPTransport(), max_bytes=64 << 20, deadline=30.0))
"""

from __future__ import annotations

import time
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

__all__ = ["AsyncLimitedTransport", "BodyTooLarge", "LimitedTransport"]

_DECODED_HERE = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}
_DROPPED = {"content-encoding", "content-length", "transfer-encoding"}
_FRAMING = _DROPPED - {"content-encoding"}


class BodyTooLarge(Exception):
    """The body of ``response_status`` to ``request`` exceeded ``limit`` bytes."""

    def __init__(self, limit: int, request: httpx.Request, status_code: int) -> None:
        super().__init__(f"response body larger than {limit} bytes")
        self.limit = limit
        self.request = request
        self.status_code = status_code


def _framing(headers: httpx.Headers) -> tuple[str, str | None, bool]:
    """Content-Encoding (stripped, lower case, ``""`` if absent), Content-Length (``None`` if absent) and whether a
    Transfer-Encoding is present, read in one pass (repeated headers joined with ``", "``, as ``headers.get`` does:
    two lengths are then no number, two encodings no known one)."""
    encodings: list[str] = []
    lengths: list[str] = []
    chunked = False
    for name, value in headers.multi_items():
        if name == "content-length":
            lengths.append(value)
        elif name == "content-encoding":
            encodings.append(value)
        elif name == "transfer-encoding":
            chunked = True
    return ", ".join(encodings).strip().lower(), ", ".join(lengths) if lengths else None, chunked


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
        encoding, length, chunked = _framing(response.headers)
        wbits = _DECODED_HERE.get(encoding)
        self._inflate = zlib.decompressobj(wbits) if wbits is not None else None
        self._encoding = encoding
        self._first = True
        self._parts: list[bytes] = []
        self._size = 0
        if self._inflate is None and length is not None and length.isdigit() and int(length) > max_bytes:
            raise BodyTooLarge(max_bytes, request, self._status)
        # Known length, no framing to undo and nothing to inflate: the body can stream through `passing`.
        self._length = (
            int(length) if self._inflate is None and length is not None and length.isdigit() and not chunked else None
        )
        self._length_text = length

    @property
    def streamable(self) -> bool:
        return self._length is not None

    def passing(self, chunk: bytes) -> bytes:
        """``chunk`` as it streams to the caller, after the deadline and cap checks (nothing is kept)."""
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise httpx.ReadTimeout(
                f"the response took longer than the {self._limit_s:g} s deadline", request=self._request
            )
        self._size += len(chunk)
        if self._size > self._max:
            raise BodyTooLarge(self._max, self._request, self._status)
        return chunk

    def hand_on(self, original: httpx.Response, *, asynchronous: bool) -> httpx.Response:
        """``original`` itself, with the headers and extensions ``response`` gives a buffered body (framing headers
        dropped, the body's Content-Length appended unless it is empty, no ``network_stream``), its body checked
        now if it is already in memory, else as httpx reads it."""
        if original.is_stream_consumed:  # an in-memory response (a mock or canned transport): nothing to stream
            self.passing(original.content)
        else:
            stream: Any = original.stream  # httpx's ByteStream is both kinds: the transport says which is read
            original.stream = _AsyncPassing(stream, self) if asynchronous else _Passing(stream, self)
        if self._length_text != str(self._length or ""):  # already the one Content-Length a copy would get: keep it
            headers = original.headers
            del headers["content-length"]
            if self._length:
                headers["Content-Length"] = str(self._length)
        original.extensions.pop("network_stream", None)
        original.request = self._request
        return original

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
            headers = [(k, v) for k, v in original.headers.multi_items() if k.lower() not in _FRAMING]
        return httpx.Response(
            original.status_code,
            headers=headers,
            content=b"".join(self._parts),
            extensions={k: v for k, v in original.extensions.items() if k != "network_stream"},
            request=self._request,
        )


class _Passing(httpx.SyncByteStream):
    """A response body as httpx reads it, each chunk through the cap and the deadline."""

    def __init__(self, stream: httpx.SyncByteStream, body: _Body) -> None:
        self._stream = stream
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        passing = self._body.passing
        for chunk in self._stream:
            yield passing(chunk)

    def close(self) -> None:
        self._stream.close()


class _AsyncPassing(httpx.AsyncByteStream):
    """The asyncio twin of ``_Passing``."""

    def __init__(self, stream: httpx.AsyncByteStream, body: _Body) -> None:
        self._stream = stream
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        passing = self._body.passing
        async for chunk in self._stream:
            yield passing(chunk)

    async def aclose(self) -> None:
        await self._stream.aclose()


class LimitedTransport(httpx.BaseTransport):
    """``inner`` with the response-size cap and the optional total deadline (see the module docstring)."""

    def __init__(self, inner: httpx.BaseTransport, *, max_bytes: int, deadline: float | None) -> None:
        self._inner = inner
        self._max = max_bytes
        self._deadline = deadline

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        start = time.monotonic()
        response = self._inner.handle_request(request)
        handed_on: httpx.Response | None = None
        try:
            body = _Body(response, request, self._max, self._deadline, start)
            if body.streamable:
                handed_on = body.hand_on(response, asynchronous=False)
                return handed_on  # httpx reads and closes it
            chunks: Iterator[bytes] = response.stream  # type: ignore[assignment]
            for chunk in chunks:
                body.add(chunk)
            return body.response(response)
        finally:
            if handed_on is None:
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
        handed_on: httpx.Response | None = None
        try:
            body = _Body(response, request, self._max, self._deadline, start)
            if body.streamable:
                handed_on = body.hand_on(response, asynchronous=True)
                return handed_on  # httpx reads and closes it
            chunks: AsyncIterator[bytes] = response.stream  # type: ignore[assignment]
            async for chunk in chunks:
                body.add(chunk)
            return body.response(response)
        finally:
            if handed_on is None:
                await response.aclose()

    async def aclose(self) -> None:
        await self._inner.aclose()
