"""The httpx clients a vendor client owns: httpx's, except that they keep no cookies from responses and that a
response they have read holds no reference cycle.

- Cookies: both vendors' APIs authenticate by header (``facade.auth``), so a cookie that an answer sets (a CDN's
  bot or load-balancer cookie) is neither stored nor sent back: every call goes out the same way whatever earlier
  answers said, and no response can plant state for later requests. It also spares each response httpx's cookie
  parsing (a urllib copy of the request and its URL, about a tenth of a one-request call). Cookies a caller sets
  on purpose (``headers={"Cookie": ...}``) are sent as given.
- Cycles: httpx binds each response to a stream that points back at it, so a response and its body (a listing
  page: tens to hundreds of KiB) were freed only when the cyclic garbage collector next ran, and a listing's
  peak memory depended on when that was. A response sent without ``stream=True`` is read and closed before it is
  returned; its bound stream is then replaced by an empty one, and it is freed as soon as nothing refers to it.
  ``content``, ``json()``, ``iter_bytes()`` and ``elapsed`` work as after any read.

Example::

    http = VendorHttpClient(base_url="https://api.example.com")
    http.get("/a")  # a Set-Cookie in the answer is ignored
    assert not http.cookies
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from httpx._types import CookieTypes

__all__ = ["AsyncVendorHttpClient", "VendorHttpClient"]


class _NoCookies(httpx.Cookies):
    """A jar that takes nothing from a response (``extract_cookies`` does nothing)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class _Cookieless:
    # httpx reads ``self.cookies`` to store a response's cookies and to add them to requests; this jar stays empty.
    # (httpx's constructor fills its own jar without the property: this one starts on first use.)
    _no_cookies: _NoCookies

    @property
    def cookies(self) -> httpx.Cookies:
        try:
            return self._no_cookies
        except AttributeError:
            self._no_cookies = _NoCookies()
            return self._no_cookies

    @cookies.setter
    def cookies(self, cookies: CookieTypes | None) -> None:
        self._no_cookies = _NoCookies(cookies)


def _unbound(response: httpx.Response) -> httpx.Response:
    # httpx binds each response to a stream that points back at it, to time the response when it closes: a cycle
    # that only the cyclic garbage collector frees, with the body in it. A response sent without ``stream=True``
    # is read; closing it does that timing (``elapsed``), and an empty stream in place of the bound one leaves no
    # cycle. The body stays readable (``content``, ``iter_bytes``), as after any read.
    for each in (*response.history, response):
        each.close()
        each.stream = httpx.ByteStream(b"")
    return response


async def _aunbound(response: httpx.Response) -> httpx.Response:
    for each in (*response.history, response):
        await each.aclose()
        each.stream = httpx.ByteStream(b"")
    return response


class VendorHttpClient(_Cookieless, httpx.Client):
    """An ``httpx.Client`` that keeps no cookies from responses and leaves no cycle in a read response (see the
    module docstring)."""

    def send(self, request: httpx.Request, *, stream: bool = False, **options: Any) -> httpx.Response:
        response = super().send(request, stream=stream, **options)
        return response if stream else _unbound(response)


class AsyncVendorHttpClient(_Cookieless, httpx.AsyncClient):
    """The asyncio twin of ``VendorHttpClient``."""

    async def send(self, request: httpx.Request, *, stream: bool = False, **options: Any) -> httpx.Response:
        response = await super().send(request, stream=stream, **options)
        return response if stream else await _aunbound(response)
