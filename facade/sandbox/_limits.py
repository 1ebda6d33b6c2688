"""Rate limits as the vendors enforce them, with a scalable window, and the OAuth token store.

``RateLimits.documented(time_scale=1.0)`` is what the vendors document: Fourthwall 100 requests per rolling 10 s
per shop, ShipBob 150 per minute, sliding, per user and app. ``time_scale=0.01`` shrinks both windows a hundredfold
(same counts) so tests and benchmarks can reach the limit quickly. Off unless given to ``Sandbox.start``.

Only admitted requests count against a window (a request answered 429 does not extend the wait, and a request
answered 401 is checked before the limit and not counted), as with the vendors' "requests per window" budgets.
"""

from __future__ import annotations

import base64
import binascii
import math
import secrets
import threading
import time
from collections import deque
from urllib.parse import unquote_plus

from attrs import define, field, frozen

__all__ = ["Limit", "RateLimits", "SlidingWindow", "TokenStore"]


@frozen(kw_only=True)
class Limit:
    """``requests`` per ``window`` seconds; ``str(limit)`` and ``Limit.parse`` use the form ``"20/1.0"``."""

    requests: int
    window: float

    @classmethod
    def parse(cls, text: str) -> Limit:
        """``"REQUESTS/SECONDS"`` (as ``serve --fourthwall-limit 20/1`` takes it); ValueError if malformed."""
        count, slash, seconds = text.partition("/")
        try:
            limit = cls(requests=int(count), window=float(seconds))
        except ValueError:
            limit = None
        if not slash or limit is None or limit.requests < 1 or not (math.isfinite(limit.window) and limit.window > 0):
            raise ValueError(f"a limit is REQUESTS/SECONDS with REQUESTS >= 1 and SECONDS > 0, got {text!r}")
        return limit

    def __str__(self) -> str:
        return f"{self.requests}/{self.window!r}"


@frozen(kw_only=True)
class RateLimits:
    """Per-vendor limits (None: unlimited); ``time_scale`` is recorded so headers can say seconds faithfully."""

    fourthwall: Limit | None = None
    shipbob: Limit | None = None
    time_scale: float = 1.0

    @classmethod
    def documented(cls, *, time_scale: float = 1.0) -> RateLimits:
        """The vendors' documented limits, windows multiplied by ``time_scale``."""
        return cls(
            fourthwall=Limit(requests=100, window=10.0 * time_scale),
            shipbob=Limit(requests=150, window=60.0 * time_scale),
            time_scale=time_scale,
        )


@define
class SlidingWindow:
    """At most ``limit.requests`` admissions in any ``limit.window`` seconds (monotonic clock)."""

    limit: Limit
    _admitted: deque[float] = field(factory=deque)
    _lock: threading.Lock = field(factory=threading.Lock)

    def admit(self, now: float | None = None) -> tuple[bool, float, int]:
        """(admitted, seconds until a slot frees if not, remaining calls in the window after this one)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            horizon = now - self.limit.window
            while self._admitted and self._admitted[0] <= horizon:
                self._admitted.popleft()
            if len(self._admitted) >= self.limit.requests:
                return False, self._admitted[0] + self.limit.window - now, 0
            self._admitted.append(now)
            return True, 0.0, self.limit.requests - len(self._admitted)


@define
class TokenStore:
    """OAuth access and refresh tokens of one vendor; refresh tokens rotate (each works once).

    ``client_id``/``client_secret`` identify the one registered app; ``refresh_token`` is the currently valid one
    (the sandbox prints it); access tokens live ``ttl`` seconds.
    """

    client_id: str
    client_secret: str
    refresh_token: str
    ttl: float = 300.0
    authorization_code: str = field(factory=lambda: "code-" + secrets.token_urlsafe(12))
    _access: dict[str, float] = field(factory=dict)
    _lock: threading.Lock = field(factory=threading.Lock)

    def exchange(
        self, form: dict[str, str], *, authorization: str | None = None
    ) -> tuple[dict[str, object] | None, str]:
        """The token response for a token request, or (None, OAuth error code).

        The client authenticates in the form (``client_secret_post``) or with HTTP Basic in ``authorization``
        (``client_secret_basic``), as RFC 6749 section 2.3.1 allows both.
        """
        scheme, _, value = (authorization or "").partition(" ")
        if scheme.lower() == "basic" and "client_secret" not in form:
            try:
                client_id, _, client_secret = base64.b64decode(value.strip(), validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return None, "invalid_client"
            form = {**form, "client_id": unquote_plus(client_id), "client_secret": unquote_plus(client_secret)}
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return None, "invalid_client"
        grant = form.get("grant_type")
        with self._lock:
            if grant == "refresh_token":
                if not form.get("refresh_token") or form.get("refresh_token") != self.refresh_token:
                    return None, "invalid_grant"
            elif grant == "authorization_code":
                if form.get("code") != self.authorization_code:
                    return None, "invalid_grant"
                self.authorization_code = "code-" + secrets.token_urlsafe(12)  # codes are single use
            else:
                return None, "unsupported_grant_type"
            access = "at-" + secrets.token_urlsafe(24)
            self.refresh_token = "rt-" + secrets.token_urlsafe(24)
            self._access[access] = time.monotonic() + self.ttl
            return {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": int(self.ttl),
                "refresh_token": self.refresh_token,
            }, ""

    def valid(self, access_token: str) -> bool:
        with self._lock:
            expires = self._access.get(access_token)
        return expires is not None and time.monotonic() < expires
