"""httpx transports for benches that must leave the server out of the figure: record once, then replay bytes.

- ``RecordingTransport(inner)`` forwards every request to ``inner`` (a real transport to the sandbox), keeps the
  answer (status, headers, body bytes) under the request's key, and logs the keys in order.
- ``CannedTransport(answers)`` answers every request from those recordings, building a fresh ``httpx.Response``
  around the same body bytes each time; a request it has no recording for raises ``KeyError`` (so a bench whose
  two sides asked different things fails instead of timing a 404). It logs keys too.

The key is the method, the path and the query pairs sorted (the facade and the generated functions may put the
same parameters in another order): ``("GET", "/2026-01/inventory-level", (("PageSize", "250"),))``.

Example::

    recorder = RecordingTransport(httpx.HTTPTransport())
    ...  # run each side once through `recorder`
    canned = CannedTransport(recorder.answers)
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import httpx

__all__ = ["Answer", "CannedTransport", "RecordingTransport", "RequestKey", "request_key"]

RequestKey = tuple[str, str, tuple[tuple[str, str], ...]]

# Recomputed for the replayed body (Content-Length) or meaningless once the body is held decoded in memory.
_DROPPED = frozenset({"content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"})


def request_key(request: httpx.Request) -> RequestKey:
    """The method, path and sorted query pairs of ``request``."""
    url = request.url
    return request.method, url.path, tuple(sorted(url.params.multi_items()))


@attrs.frozen
class Answer:
    """One recorded answer: status, headers (minus framing headers) and the decoded body bytes."""

    status_code: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    def response(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status_code, headers=self.headers, content=self.content, request=request)


class RecordingTransport(httpx.BaseTransport):
    """Forwards to ``inner`` and records every answer by ``request_key`` (see the module docstring)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner
        self.answers: dict[RequestKey, Answer] = {}
        self.log: list[RequestKey] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        try:
            content = response.read()
        finally:
            response.close()
        headers = tuple((k, v) for k, v in response.headers.multi_items() if k.lower() not in _DROPPED)
        answer = Answer(response.status_code, headers, content)
        key = request_key(request)
        self.answers[key] = answer
        self.log.append(key)
        return answer.response(request)

    def close(self) -> None:
        self._inner.close()


class CannedTransport(httpx.BaseTransport):
    """Answers from recordings only; ``log`` lists the keys asked for (clear it between runs)."""

    def __init__(self, answers: Mapping[RequestKey, Answer]) -> None:
        self._answers = dict(answers)
        self.log: list[RequestKey] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key = request_key(request)
        self.log.append(key)
        try:
            answer = self._answers[key]
        except KeyError:
            raise KeyError(f"no recorded answer for {key}") from None
        return answer.response(request)
