"""The one error a webhook check raises, and the closed set of reasons it names.

::

    FacadeError
    └── WebhookVerificationError    reason: Reason (which check failed), header: the header it concerns

A message says which check failed and which header it read, never the secret, the expected signature or the
received one, so it is safe to log::

    try:
        event = verify_shipbob(body, headers, secret=secret)
    except WebhookVerificationError as exc:
        log.warning("webhook rejected: %s", exc.reason)  # e.g. Reason.STALE_TIMESTAMP
"""

from __future__ import annotations

import enum

from facade import FacadeError

__all__ = ["Reason", "WebhookVerificationError"]


class Reason(enum.StrEnum):
    """Which check rejected a delivery; answer 400/401 for the first five, and investigate ``UNPARSEABLE_BODY``
    (signed by the vendor but not the shape its spec documents).

    Example::

        if exc.reason in {Reason.STALE_TIMESTAMP, Reason.FUTURE_TIMESTAMP}:
            log.info("clock skew or a replayed delivery")
    """

    MISSING_HEADER = "missing_header"
    """A header the check needs is absent (or empty)."""
    MALFORMED_HEADER = "malformed_header"
    """A header is present but not in the documented form (a non-integer timestamp, no ``v1,`` entry)."""
    BAD_SIGNATURE = "bad_signature"
    """No signature matches this body under this secret (tampered body, wrong secret, truncated signature)."""
    STALE_TIMESTAMP = "stale_timestamp"
    """The signed timestamp is older than the tolerance allows (a replay, or a very late retry)."""
    FUTURE_TIMESTAMP = "future_timestamp"
    """The signed timestamp is further ahead of our clock than the tolerance allows."""
    UNPARSEABLE_BODY = "unparseable_body"
    """The signature is valid but the body is not JSON, or not the payload shape the spec documents."""


class WebhookVerificationError(FacadeError):
    """A delivery failed a check: do not trust its body. ``reason`` says which check, ``header`` which header.

    Example::

        except WebhookVerificationError as exc:
            status = 400 if exc.reason is Reason.UNPARSEABLE_BODY else 401
    """

    def __init__(self, reason: Reason, message: str, *, header: str | None = None) -> None:
        super().__init__(f"webhook rejected ({reason.value}): {message}")
        self.reason = reason
        self.header = header
