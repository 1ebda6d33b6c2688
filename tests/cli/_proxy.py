"""A small HTTP proxy on 127.0.0.1 in front of the sandbox that can spoil answers: a vendor failing mid-listing,
or vendor text carrying terminal escapes and spreadsheet formulas. Started and stopped by the tests.

Example::

    with SpoilingProxy(sandbox.fourthwall_url, spoil) as proxy:
        env["FOURTHWALL_BASE_URL"] = proxy.url
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

import httpx

# (path, query, upstream status, upstream body) -> (status, body), or None to pass the answer through.
Spoil = Callable[[str, dict[str, list[str]], int, bytes], tuple[int, bytes] | None]

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


class SpoilingProxy:
    """Forward every GET to `upstream`, letting `spoil` replace the answer."""

    def __init__(self, upstream: str, spoil: Spoil) -> None:
        self.requests: list[str] = []
        client = httpx.Client(base_url=upstream, timeout=30.0)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy.requests.append(self.path)
                parts = urlsplit(self.path)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP | {"host"}}
                answer = client.get(self.path, headers=headers)
                status, body = answer.status_code, answer.content
                spoiled = spoil(parts.path, parse_qs(parts.query), status, body)
                if spoiled is not None:
                    status, body = spoiled
                self.send_response(status)
                for name, value in answer.headers.items():
                    if name.lower() not in _HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._client = client
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="spoiling-proxy", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> SpoilingProxy:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        self._client.close()
