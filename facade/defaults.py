"""Every default the facade uses, named once: vendor URLs, timeouts, retries, rate limits, page sizes, bounds.

A reader sees them all at once, and code and tests import them from here::

    from facade.defaults import FOURTHWALL_BASE_URL
    assert FOURTHWALL_BASE_URL.startswith("https://")
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "BACKOFF_INITIAL",
    "BACKOFF_JITTER",
    "BACKOFF_MAX",
    "CONCURRENCY",
    "CONNECT_TIMEOUT",
    "DEADLINE",
    "FOURTHWALL_BASE_URL",
    "FOURTHWALL_PAGE_SIZE",
    "FOURTHWALL_RATE_LIMIT",
    "FOURTHWALL_TOKEN_PATH",
    "MAX_ERROR_REASON_CHARS",
    "MAX_JSON_DEPTH",
    "MAX_PAGES",
    "MAX_RESPONSE_BYTES",
    "MAX_RETRIES",
    "REDIS_TIMEOUT",
    "RETRY_AFTER_MAX",
    "SHIPBOB_BASE_URLS",
    "SHIPBOB_PAGE_SIZE",
    "SHIPBOB_RATE_LIMIT",
    "SHIPBOB_TOKEN_URLS",
    "TIMEOUT",
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
TIMEOUT: Final = 30.0
CONNECT_TIMEOUT: Final = 10.0
# Total seconds one HTTP exchange (send, wait, read the whole body) may take; None: only the per-phase timeouts
# above (a body trickling in slower than the read timeout per chunk is then never cut off).
DEADLINE: Final[float | None] = None

# Largest response body (after decompression) a client reads; above it a call fails with ResponseTooLargeError.
# Generous: the largest real pages (250 ShipBob records) are well under 1 MiB.
MAX_RESPONSE_BYTES: Final = 64 * 1024 * 1024

# Retries: attempts after the first one; capped exponential backoff with jitter (seconds) unless the vendor says
# how long to wait, which is honoured up to RETRY_AFTER_MAX.
MAX_RETRIES: Final = 2
BACKOFF_INITIAL: Final = 0.5
BACKOFF_MAX: Final = 8.0
BACKOFF_JITTER: Final = 0.5
RETRY_AFTER_MAX: Final = 60.0

# Documented vendor limits, as (requests, per seconds). Fourthwall: 100 per rolling 10 s per shop;
# ShipBob: 150 per minute, sliding window, per user per app.
FOURTHWALL_RATE_LIMIT: Final = (100, 10.0)
SHIPBOB_RATE_LIMIT: Final = (150, 60.0)

# Seconds a shared (Redis) request budget may take to grant a slot before the request fails, unsent.
REDIS_TIMEOUT: Final = 2.0

# Fourthwall access tokens live only minutes: refresh this many seconds before the announced expiry
# so a request never leaves with a token that dies in flight.
TOKEN_REFRESH_MARGIN: Final = 30.0

# Page sizes for listings, so a listing takes the fewest requests; every listing method takes `page_size=`.
# ShipBob 2026-01 states its cap for some listings (`GET /order` `Limit` maximum 250, `GET /product` `PageSize`
# "1-250") and none for the others (`/inventory-level` `PageSize`, `RecordsPerPage`): 250 everywhere, a setting.
# The Fourthwall spec states no maximum for `size` (default 20): 100 is our choice, a setting, not a vendor fact.
FOURTHWALL_PAGE_SIZE: Final = 100
SHIPBOB_PAGE_SIZE: Final = 250

# Safety bound on pages per listing (2.5 million ShipBob records at 250 per page).
MAX_PAGES: Final = 10_000

# Products fetched at once by the bulk helpers (inventory_many); the rate limit still applies.
CONCURRENCY: Final = 4

# Error messages quote at most this much of a vendor's reason text (title, detail, parser message).
MAX_ERROR_REASON_CHARS: Final = 200
# Levels of arrays/objects in an error or token body we read (vendor bodies use 1-4): keeps every recursive walk of
# a body (two stack frames per level when redacting) far below Python's recursion limit.
MAX_JSON_DEPTH: Final = 64

USER_AGENT: Final = "commerce-clients-facade/0.2"
