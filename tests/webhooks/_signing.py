"""Independent signers for the tests: hmac/hashlib/base64 only, never the code under test.

headers = fourthwall_headers(body, "secret")
headers = standard_headers(body, "whsec_...", msg_id="msg_1", timestamp=1700000000)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

FOURTHWALL_SECRET = "fw-webhook-secret-7f3a9c"
# 24 random bytes, base64: the shape ShipBob (and every Standard Webhooks sender) hands out.
SHIPBOB_SECRET = "whsec_" + base64.b64encode(bytes(range(24))).decode()
NOW = datetime(2026, 12, 2, 12, 0, 0, tzinfo=UTC)


def fourthwall_signature(body: bytes, secret: str) -> str:
    """base64(HMAC-SHA256(secret, raw body)), as Fourthwall sends it."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def fourthwall_headers(body: bytes, secret: str = FOURTHWALL_SECRET, *, apps: bool = False) -> dict[str, str]:
    name = "X-Fourthwall-Hmac-Apps-SHA256" if apps else "X-Fourthwall-Hmac-SHA256"
    return {"Content-Type": "application/json", name: fourthwall_signature(body, secret)}


def standard_signature(body: bytes, secret: str, *, msg_id: str, timestamp: int) -> str:
    """``v1,`` + base64(HMAC-SHA256(base64decode(secret without whsec_), f"{id}.{timestamp}." + body))."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def standard_headers(
    body: bytes,
    secret: str = SHIPBOB_SECRET,
    *,
    msg_id: str = "msg_2Kx9",
    timestamp: int | None = None,
    topic: str | None = "order.shipped",
) -> dict[str, str]:
    stamp = int(NOW.timestamp()) if timestamp is None else timestamp
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": standard_signature(body, secret, msg_id=msg_id, timestamp=stamp),
    }
    if topic is not None:
        headers["x-webhook-topic"] = topic
    return headers


def fourthwall_body(event_type: str = "ORDER_PLACED", data: Any = None, **envelope: Any) -> bytes:
    """A Fourthwall delivery body: the spec's envelope around ``data``."""
    payload = {
        "id": "00aa4abd-5778-4199-8161-0b49b2f212e5",
        "webhookId": "wh_6d1c",
        "shopId": "sh_c689d374-22ca-43d3-8d29-9ef0805cc4cb",
        "type": event_type,
        "apiVersion": "V1",
        "createdAt": "2026-12-02T12:00:00.123Z",
        "testMode": False,
        "data": {} if data is None else data,
        **envelope,
    }
    return json.dumps(payload).encode()


def flipped_bodies(body: bytes, bit: int) -> list[bytes]:
    """``body`` with ``bit`` flipped in one byte: the first, the middle and the last (each a separate copy)."""
    copies = []
    for index in (0, len(body) // 2, len(body) - 1):
        flipped = bytearray(body)
        flipped[index] ^= bit
        copies.append(bytes(flipped))
    return copies


def deep_json(depth: int) -> bytes:
    """Valid JSON, ``depth`` arrays nested in each other: 2 bytes per level (1,000 levels: a 2 KB body)."""
    return b"[" * depth + b"]" * depth
