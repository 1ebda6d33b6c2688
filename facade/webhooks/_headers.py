"""Case-insensitive header lookup over whatever a framework hands us.

A plain ``dict`` from a test or a Lambda event, ``httpx.Headers``, Starlette's ``Headers`` and the standard
library's ``http.server`` ``self.headers`` (an ``email.message.Message``) all have ``items()``; HTTP header names
are case-insensitive (RFC 9110, 5.1), so the lookup folds case itself instead of trusting the container::

    value = header({"Webhook-Id": "msg_1"}, "webhook-id")  # "msg_1"
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any, Protocol

__all__ = ["HeaderSource", "base64_value", "header"]


class HeaderSource(Protocol):
    """Anything with ``items()`` yielding ``(name, value)`` pairs: a ``Mapping[str, str]``, ``httpx.Headers``,
    ``http.server.BaseHTTPRequestHandler.headers``."""

    def items(self) -> Iterable[tuple[str, Any]]: ...  # pragma: no cover - protocol


def header(headers: HeaderSource, name: str) -> str | None:
    """The first value of header ``name`` (any case), stripped; ``None`` when absent or blank."""
    wanted = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == wanted:
            text = str(value).strip()
            return text or None
    return None


def base64_value(value: str) -> bytes:
    """Decoded standard base64 (padding optional); ``b""`` when it does not decode, which matches no digest."""
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return b""
