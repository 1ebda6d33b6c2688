"""Case-insensitive header lookup over whatever a framework hands us.

A plain ``dict`` from a test or a Lambda event, ``httpx.Headers``, Starlette's ``Headers`` and the standard
library's ``http.server`` ``self.headers`` (an ``email.message.Message``) all have ``items()``; HTTP header names
are case-insensitive (RFC 9110, 5.1), so the lookup folds case itself instead of trusting the container::

    value = header({"Webhook-Id": "msg_1"}, "webhook-id")  # "msg_1"

A header these checks read that arrives more than once is ``MALFORMED_HEADER``, not "take the first": the vendors
send each of them once (Standard Webhooks puts several signatures space-separated in ONE ``webhook-signature``),
and with two ``webhook-id`` or ``webhook-timestamp`` copies the one we verified and the one a later reader picks
could differ. Containers that fold repeats themselves (``httpx.Headers.items()`` joins them with ``", "``) hand
over one value, judged as such: it then fails its format check or matches no signature, unless a well-formed
``v1,`` entry in it matches.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any, Protocol

from ._errors import Reason, WebhookVerificationError

__all__ = ["HeaderSource", "base64_value", "header"]


class HeaderSource(Protocol):
    """Anything with ``items()`` yielding ``(name, value)`` pairs: a ``Mapping[str, str]``, ``httpx.Headers``,
    ``http.server.BaseHTTPRequestHandler.headers``."""

    def items(self) -> Iterable[tuple[str, Any]]: ...  # pragma: no cover - protocol


def header(headers: HeaderSource, name: str) -> str | None:
    """The value of header ``name`` (any case), stripped; ``None`` when absent or blank;
    ``WebhookVerificationError(MALFORMED_HEADER)`` when it appears more than once."""
    wanted = name.lower()
    values = [value for key, value in headers.items() if isinstance(key, str) and key.lower() == wanted]
    if len(values) > 1:
        raise WebhookVerificationError(
            Reason.MALFORMED_HEADER, f"{name} appears {len(values)} times (sent once by the vendor)", header=name
        )
    text = str(values[0]).strip() if values else ""
    return text or None


def base64_value(value: str) -> bytes:
    """Decoded standard base64 (padding optional); ``b""`` when it does not decode, which matches no digest."""
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return b""
