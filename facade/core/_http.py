"""The httpx clients a vendor client owns: httpx's, except that they keep no cookies from responses.

Both vendors' APIs authenticate by header (``facade.auth``), so a cookie that an answer sets (a CDN's bot or
load-balancer cookie) is neither stored nor sent back: every call goes out the same way whatever earlier answers
said, and no response can plant state for later requests. It also spares each response httpx's cookie parsing
(a urllib copy of the request and its URL, about a tenth of a one-request call). Cookies a caller sets on purpose
(``headers={"Cookie": ...}``) are sent as given.

Example::

    http = CookielessClient(base_url="https://api.example.com")
    http.get("/a")  # a Set-Cookie in the answer is ignored
    assert not http.cookies
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from httpx._types import CookieTypes

__all__ = ["AsyncCookielessClient", "CookielessClient"]


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


class CookielessClient(_Cookieless, httpx.Client):
    """An ``httpx.Client`` that keeps no cookies from responses (see the module docstring)."""


class AsyncCookielessClient(_Cookieless, httpx.AsyncClient):
    """The asyncio twin of ``CookielessClient``."""
