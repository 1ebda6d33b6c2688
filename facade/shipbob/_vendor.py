"""ShipBob's facts for the call path (https://developer.shipbob.com/): production and sandbox hosts with their
own OAuth servers, Personal Access Tokens or OAuth, 150 requests per minute (sliding window).

The dated API version (2026-01 today) lives in the vendored spec's paths, so moving to the next version is a
spec update and a regeneration; nothing here names it."""

from __future__ import annotations

from typing import Any

from ..budget import RateLimit
from ..core import Vendor
from ..defaults import SHIPBOB_BASE_URLS, SHIPBOB_RATE_LIMIT, SHIPBOB_TOKEN_URLS, USER_AGENT
from ._env import shipbob_settings

__all__ = ["CHANNEL_HEADER", "SHIPBOB"]

# The header name is ShipBob's own (underscores, lower case): https://developer.shipbob.com/#channels
CHANNEL_HEADER = "shipbob_channel_id"


def _generated_client() -> Any:
    # Imported when a client is built: importing facade must stay cheap; the generated package is large.
    from shipbob_client.client import AuthenticatedClient

    return AuthenticatedClient


SHIPBOB = Vendor(
    name="shipbob",
    label="ShipBob",
    base_urls=SHIPBOB_BASE_URLS,
    token_urls=SHIPBOB_TOKEN_URLS,
    rate_limit=RateLimit(requests=SHIPBOB_RATE_LIMIT[0], per_seconds=SHIPBOB_RATE_LIMIT[1]),
    headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    generated_client=_generated_client,
    settings_from_env=shipbob_settings,
)
