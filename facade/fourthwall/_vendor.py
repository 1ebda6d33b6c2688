"""Fourthwall's facts for the call path (https://docs.fourthwall.com/open-api/): one production host, HTTP Basic
for a shop's Open API user or OAuth at ``/open-api/v1.0/platform/token``, 100 requests per rolling 10 s."""

from __future__ import annotations

from typing import Any

from ..budget import RateLimit
from ..core import Vendor
from ..defaults import FOURTHWALL_BASE_URL, FOURTHWALL_RATE_LIMIT, FOURTHWALL_TOKEN_PATH, USER_AGENT
from ._env import fourthwall_settings

__all__ = ["FOURTHWALL"]


def _generated_client() -> Any:
    # Imported when a client is built: importing facade must stay cheap; the generated package is large.
    from fourthwall_client.client import AuthenticatedClient

    return AuthenticatedClient


FOURTHWALL = Vendor(
    name="fourthwall",
    label="Fourthwall",
    base_urls={"production": FOURTHWALL_BASE_URL},
    token_urls={"production": FOURTHWALL_TOKEN_PATH},
    rate_limit=RateLimit(requests=FOURTHWALL_RATE_LIMIT[0], per_seconds=FOURTHWALL_RATE_LIMIT[1]),
    headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    generated_client=_generated_client,
    settings_from_env=fourthwall_settings,
)
