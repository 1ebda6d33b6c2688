"""Webhook signature verification alone (no parsing) of a 1 MiB body vs a bare ``hmac`` check of the same body.

"Ours" is ``FourthwallWebhooks.verify_signature`` and ``ShipBobWebhooks.verify_signature`` (header lookup, base64,
timestamp window, HMAC-SHA256, constant-time compare); the baseline is ``hmac.new(key, body, sha256).digest()``
compared with ``hmac.compare_digest``, the floor any correct check pays. Both are timed in CPU time
(``process_time``), alternating, median of ``repeats`` samples. Target: at most 1.5x (issue 16).

Example::

    ratio = bench_webhooks()   # worst of the two vendors, e.g. 1.01
    rows = run(repeats=7)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime

from tests.bench._report import Row, Target
from tests.bench._timing import interleaved

__all__ = ["BODY_BYTES", "bench_webhooks", "run"]

BODY_BYTES = 1 << 20
_LOOPS = 40  # verifications per timed sample (~30 ms): long enough for clock noise to vanish
_FOURTHWALL_SECRET = "bench-fourthwall-secret"
_SHIPBOB_KEY = bytes(range(24))
_SHIPBOB_SECRET = "whsec_" + base64.b64encode(_SHIPBOB_KEY).decode()


def _loop(work: Callable[[], object]) -> Callable[[], None]:
    def many() -> None:
        for _ in range(_LOOPS):
            work()

    return many


def _baseline(key: bytes, body: bytes, signature: bytes) -> Callable[[], object]:
    def check() -> bool:
        return hmac.compare_digest(hmac.new(key, body, hashlib.sha256).digest(), signature)

    return check


def _fourthwall(body: bytes) -> tuple[Callable[[], object], Callable[[], object]]:
    from facade.webhooks import FourthwallWebhooks

    key = _FOURTHWALL_SECRET.encode()
    digest = hmac.new(key, body, hashlib.sha256).digest()
    headers = {"Content-Type": "application/json", "X-Fourthwall-Hmac-SHA256": base64.b64encode(digest).decode()}
    hooks = FourthwallWebhooks(_FOURTHWALL_SECRET)
    return (lambda: hooks.verify_signature(body, headers)), _baseline(key, body, digest)


def _shipbob(body: bytes) -> tuple[Callable[[], object], Callable[[], object]]:
    from facade.webhooks import ShipBobWebhooks

    now = datetime(2026, 12, 2, 12, tzinfo=UTC)
    stamp = str(int(now.timestamp()))
    signed = hmac.new(_SHIPBOB_KEY, f"msg_bench.{stamp}.".encode() + body, hashlib.sha256).digest()
    headers = {
        "webhook-id": "msg_bench",
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(signed).decode(),
        "x-webhook-topic": "order.shipped",
    }
    hooks = ShipBobWebhooks(_SHIPBOB_SECRET)
    # The baseline hashes the body alone: the ~30 bytes of "id.timestamp." are part of what ours must do.
    body_digest = hmac.new(_SHIPBOB_KEY, body, hashlib.sha256).digest()
    return (lambda: hooks.verify_signature(body, headers, now=now)), _baseline(_SHIPBOB_KEY, body, body_digest)


def run(*, repeats: int) -> list[Row]:
    """One row per vendor: ms per verification of a 1 MiB body, ours vs the bare hmac check."""
    body = os.urandom(BODY_BYTES)
    rows = []
    for vendor, build in (("Fourthwall", _fourthwall), ("ShipBob", _shipbob)):
        ours, baseline = build(body)
        ours()  # a failing check raises here, before any timing
        ours_s, base_s, ours_samples, base_samples = interleaved(
            _loop(ours), _loop(baseline), repeats=repeats, clock=time.process_time
        )
        rows.append(
            Row(
                metric=f"webhook signature check {vendor} (1 MiB body)",
                unit="ms",
                ours=ours_s / _LOOPS * 1e3,
                baseline=base_s / _LOOPS * 1e3,
                target=Target.at_most(1.5),
                note="baseline: hmac.new(key, body, sha256) + hmac.compare_digest; CPU time, no parsing",
                details={
                    "loops_per_sample": _LOOPS,
                    "ours_ms_samples": [round(s / _LOOPS * 1e3, 4) for s in ours_samples],
                    "baseline_ms_samples": [round(s / _LOOPS * 1e3, 4) for s in base_samples],
                },
            )
        )
    return rows


def bench_webhooks(repeats: int = 7) -> float:
    """The worst ratio (ours / bare hmac) over both vendors; the issue's target is <= 1.5."""
    ratios = [row.ratio for row in run(repeats=repeats) if row.ratio is not None]
    return max(ratios)


if __name__ == "__main__":
    from tests.bench._report import render

    print(render(run(repeats=7)))
