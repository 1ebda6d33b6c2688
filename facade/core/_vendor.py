"""What the call path needs to know about a vendor, as one frozen value per vendor.

Each vendor package (``facade.fourthwall``, ``facade.shipbob``) declares its ``Vendor``; the shared constructor
(``facade.core.SyncClient``/``AsyncClient``) reads base URLs, the token endpoint, the rate limit, default
headers, the generated client class and the environment variables from it. A new dated vendor version is a
change of this value and a regeneration, not a new client class::

    FOURTHWALL = Vendor(name="fourthwall", label="Fourthwall", base_urls={"production": "https://..."}, ...)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..budget import RateLimit
from ..errors import ConfigurationError

__all__ = ["Vendor"]


@attrs.frozen(kw_only=True)
class Vendor:
    """One vendor's facts for the call path.

    ``token_urls`` maps an environment to the OAuth token URL; a value starting with ``/`` is a path on the
    client's base URL (Fourthwall's token endpoint lives on the API host, so a local server gets it too).
    ``generated_client`` imports and returns the generated ``AuthenticatedClient`` class (imported late so that
    ``import facade`` stays cheap). ``settings_from_env`` turns environment variables into constructor keywords.
    """

    name: str
    label: str
    base_urls: Mapping[str, str]
    token_urls: Mapping[str, str]
    rate_limit: RateLimit
    headers: Mapping[str, str]
    generated_client: Callable[[], Callable[..., Any]]
    settings_from_env: Callable[[Mapping[str, str]], dict[str, Any]]

    def _known(self, environment: str) -> None:
        if environment not in self.base_urls:
            known = ", ".join(repr(e) for e in self.base_urls)
            raise ConfigurationError(f"{self.label} environment must be one of {known}, got {environment!r}")

    def base_url(self, environment: str) -> str:
        """The API base URL of ``environment``."""
        self._known(environment)
        return self.base_urls[environment]

    def token_url(self, environment: str, base_url: str) -> str:
        """The OAuth token URL of ``environment`` for a client on ``base_url``."""
        self._known(environment)
        url = self.token_urls[environment]
        return base_url + url if url.startswith("/") else url
