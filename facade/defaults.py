"""Named defaults for the facade: vendor URLs, timeouts, token refresh margin, rate limits.

Every default a client uses lives here, so a reader can see them all at once and a test can import them::

    from facade._constants import FOURTHWALL_BASE_URL
    assert FOURTHWALL_BASE_URL.startswith("https://")
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "FOURTHWALL_BASE_URL",
    "FOURTHWALL_RATE_LIMIT",
    "FOURTHWALL_TOKEN_PATH",
    "MAX_ERROR_REASON_CHARS",
    "SHIPBOB_BASE_URLS",
    "SHIPBOB_RATE_LIMIT",
    "SHIPBOB_TOKEN_URLS",
    "TOKEN_REFRESH_MARGIN",
    "USER_AGENT",
]

# https://docs.fourthwall.com/open-api/ : one production host, no sandbox; paths carry /open-api/v1.0.
FOURTHWALL_BASE_URL: Final = "https://api.fourthwall.com"
# Relative to the base URL, so a test server on 127.0.0.1 gets the token requests too.
FOURTHWALL_TOKEN_PATH: Final = "/open-api/v1.0/platform/token"  # noqa: S105 (a URL path, not a secret)

# https://developer.shipbob.com/ : production and sandbox are separate hosts with separate OAuth servers.
SHIPBOB_BASE_URLS: Final = {
    "production": "https://api.shipbob.com",
    "sandbox": "https://sandbox-api.shipbob.com",
}
SHIPBOB_TOKEN_URLS: Final = {
    "production": "https://auth.shipbob.com/connect/token",
    "sandbox": "https://authstage.shipbob.com/connect/token",
}

# Seconds. Total budget per request phase (httpx semantics), with a shorter connect phase so a dead host fails fast.
DEFAULT_TIMEOUT: Final = 30.0
DEFAULT_CONNECT_TIMEOUT: Final = 10.0

# Placeholder for the retry policy (facade._retry wires it): attempts after the first one.
DEFAULT_MAX_RETRIES: Final = 2

# Documented vendor limits, as (requests, per seconds). Fourthwall: 100 per rolling 10 s per shop;
# ShipBob: 150 per minute, sliding window, per user per app.
FOURTHWALL_RATE_LIMIT: Final = (100, 10.0)
SHIPBOB_RATE_LIMIT: Final = (150, 60.0)

# Fourthwall access tokens live only minutes: refresh this many seconds before the announced expiry
# so a request never leaves with a token that dies in flight.
TOKEN_REFRESH_MARGIN: Final = 30.0

# Error messages quote at most this much of a vendor's reason text (title, detail, parser message).
MAX_ERROR_REASON_CHARS: Final = 200

USER_AGENT: Final = "commerce-clients-facade/0.1"
