"""Verify and parse both vendors' webhook deliveries: raw body bytes + headers + secret in, typed event out.

Framework-neutral: pass the body exactly as received (never re-serialized JSON) and any headers container
(``dict``, ``httpx.Headers``, ``http.server``'s ``self.headers``; names in any case). Every failed check raises
``WebhookVerificationError`` with a ``reason`` and no secret or signature in its message. Example::

    from facade.webhooks import WebhookVerificationError, verify_fourthwall, verify_shipbob

    try:
        event = verify_fourthwall(body, headers, secret=fourthwall_secret)
    except WebhookVerificationError as exc:
        respond(401, exc.reason)

Reuse a verifier object (``FourthwallWebhooks(secret)``, ``ShipBobWebhooks(secret)``) to decode the secret once.
Under a deadline (both vendors retry a delivery not answered within seconds), split the two steps: the request
handler calls ``hooks.verify_signature(body, headers)`` and answers 200; a worker calls ``hooks.parse(body,
headers)`` afterwards (docs/webhooks.md has the receiver). A header the checks read that arrives twice is
``Reason.MALFORMED_HEADER``; a secret is a ``str`` or ``Secret`` (bytes: ``ConfigurationError``).
"""

from ._errors import Reason, WebhookVerificationError
from ._fourthwall import EVENT_MODELS, FourthwallEvent, FourthwallWebhooks, verify_fourthwall
from ._headers import HeaderSource
from ._shipbob import DEFAULT_TOLERANCE, ShipBobEvent, ShipBobWebhooks, verify_shipbob

__all__ = [
    "DEFAULT_TOLERANCE",
    "EVENT_MODELS",
    "FourthwallEvent",
    "FourthwallWebhooks",
    "HeaderSource",
    "Reason",
    "ShipBobEvent",
    "ShipBobWebhooks",
    "WebhookVerificationError",
    "verify_fourthwall",
    "verify_shipbob",
]
