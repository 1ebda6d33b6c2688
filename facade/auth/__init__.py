"""How a client logs in: credential values whose reprs never show them, and the ``httpx.Auth`` flows.

- ``Secret``: a credential string, redacted in ``repr``/``str``; ``redact`` removes credentials from a text.
- ``BasicAuth``, ``BearerAuth``: static credentials as ``httpx.Auth``.
- ``OAuthApp``: an OAuth app's credentials; the vendor client builds an ``OAuthRefreshAuth`` from it with its
  token endpoint, which refreshes before expiry and once on a 401, and hands rotated ``TokenSet`` s to a callback.

Example::

    from facade import Fourthwall
    from facade.auth import BasicAuth

    fw = Fourthwall(auth=BasicAuth("shop-api-user", "..."))
"""

from typing import TYPE_CHECKING

from .. import _lazy

# Names load on first use (facade._lazy): ``Secret`` alone needs neither httpx nor the OAuth flow (asyncio).
if TYPE_CHECKING:
    from ._oauth import OAuthRefreshAuth, TokenSet
    from ._secret import Secret, redact, redact_data
    from ._static import BasicAuth, BearerAuth
    from ._strategy import AuthLike, OAuthApp, build_auth
else:
    __getattr__, __dir__ = _lazy.lazy_exports(
        __name__,
        {
            "._oauth": ("OAuthRefreshAuth", "TokenSet"),
            "._secret": ("Secret", "redact", "redact_data"),
            "._static": ("BasicAuth", "BearerAuth"),
            "._strategy": ("AuthLike", "OAuthApp", "build_auth"),
        },
    )

__all__ = [
    "AuthLike",
    "BasicAuth",
    "BearerAuth",
    "OAuthApp",
    "OAuthRefreshAuth",
    "Secret",
    "TokenSet",
    "build_auth",
    "redact",
    "redact_data",
]
