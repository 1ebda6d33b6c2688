"""Fourthwall webhooks: the HMAC check over the raw body, then the envelope and its typed ``data``.

Fourthwall signs each delivery with ``X-Fourthwall-Hmac-SHA256: base64(HMAC-SHA256(secret, raw body))``; platform
apps receive ``X-Fourthwall-Hmac-Apps-SHA256`` instead (docs.fourthwall.com, "Webhooks"). Answer 200 within 2 s:
Fourthwall retries a delivery 5 times. The spec's top-level ``webhooks`` section documents one envelope for every
event (``id, webhookId, shopId, type, apiVersion, createdAt, testMode, data``) and, per event type, the component
schema of ``data``; ``EVENT_MODELS`` maps each ``type`` to the generated model of that schema::

    hooks = FourthwallWebhooks(os.environ["FOURTHWALL_WEBHOOK_SECRET"])
    event = hooks.verify(body, headers)          # raises WebhookVerificationError
    if event.type == "ORDER_PLACED":
        print(event.data.id)                      # a generated OrderV1

To answer within the deadline whatever the body's size, a receiver calls ``hooks.verify_signature(body, headers)``,
answers 200, and calls ``hooks.parse(body, headers)`` afterwards in a worker (``verify`` is the two in one).

A type the spec does not know yet is not an error: its ``data`` stays the decoded JSON (``event.is_known`` is
``False``), so a new vendor event never turns into failed deliveries and retries.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs

from facade import Secret

from ._body import json_body, raw_body
from ._errors import Reason, WebhookVerificationError
from ._headers import HeaderSource, base64_value, header
from ._secret import webhook_secret

if TYPE_CHECKING:  # the models are imported on first use of their event type, not with this module
    from fourthwall_client.models.cart_abandoned import CartAbandoned
    from fourthwall_client.models.collection import Collection
    from fourthwall_client.models.donation_v1 import DonationV1
    from fourthwall_client.models.gift_draft import GiftDraft
    from fourthwall_client.models.gift_purchase_v1 import GiftPurchaseV1
    from fourthwall_client.models.membership_supporter import MembershipSupporter
    from fourthwall_client.models.newsletter_subscribed import NewsletterSubscribed
    from fourthwall_client.models.offer_full import OfferFull
    from fourthwall_client.models.offer_updated import OfferUpdated
    from fourthwall_client.models.order_updated import OrderUpdated
    from fourthwall_client.models.order_v1 import OrderV1
    from fourthwall_client.models.platform_app_disconnected import PlatformAppDisconnected
    from fourthwall_client.models.promotion import Promotion
    from fourthwall_client.models.thank_you import ThankYou

    FourthwallEventData: TypeAlias = (
        CartAbandoned
        | Collection
        | DonationV1
        | GiftDraft
        | GiftPurchaseV1
        | MembershipSupporter
        | NewsletterSubscribed
        | OfferFull
        | OfferUpdated
        | OrderUpdated
        | OrderV1
        | PlatformAppDisconnected
        | Promotion
        | ThankYou
        | dict[str, Any]
    )
    """``data`` of a ``FourthwallEvent``: a generated model, or the JSON object of an event type the spec lacks."""

__all__ = ["EVENT_MODELS", "FourthwallEvent", "FourthwallWebhooks", "verify_fourthwall"]

SIGNATURE_HEADER: Final = "X-Fourthwall-Hmac-SHA256"
APPS_SIGNATURE_HEADER: Final = "X-Fourthwall-Hmac-Apps-SHA256"

# event ``type`` -> generated model module and class of its ``data`` (the spec's ``webhooks`` section, which names
# the events ``order.placed`` etc. and carries the wire value in the envelope's ``type``). A test pins this table
# against the spec: every webhook there is here, with the class the pipeline generates for its ``data`` schema.
EVENT_MODELS: Final[Mapping[str, tuple[str, str]]] = {
    "ORDER_PLACED": ("order_v1", "OrderV1"),
    "ORDER_UPDATED": ("order_updated", "OrderUpdated"),
    "GIFT_PURCHASE": ("gift_purchase_v1", "GiftPurchaseV1"),
    "PRODUCT_CREATED": ("offer_full", "OfferFull"),
    "PRODUCT_UPDATED": ("offer_updated", "OfferUpdated"),
    "DONATION": ("donation_v1", "DonationV1"),
    "SUBSCRIPTION_PURCHASED": ("membership_supporter", "MembershipSupporter"),
    "SUBSCRIPTION_EXPIRED": ("membership_supporter", "MembershipSupporter"),
    "SUBSCRIPTION_CHANGED": ("membership_supporter", "MembershipSupporter"),
    "NEWSLETTER_SUBSCRIBED": ("newsletter_subscribed", "NewsletterSubscribed"),
    "THANK_YOU_SENT": ("thank_you", "ThankYou"),
    "GIFT_DRAW_STARTED": ("gift_draft", "GiftDraft"),
    "GIFT_DRAW_ENDED": ("gift_draft", "GiftDraft"),
    "PROMOTION_CREATED": ("promotion", "Promotion"),
    "PROMOTION_UPDATED": ("promotion", "Promotion"),
    "PROMOTION_STATUS_CHANGED": ("promotion", "Promotion"),
    "PLATFORM_APP_DISCONNECTED": ("platform_app_disconnected", "PlatformAppDisconnected"),
    "COLLECTION_UPDATED": ("collection", "Collection"),
    "CART_ABANDONED_1H": ("cart_abandoned", "CartAbandoned"),
    "CART_ABANDONED_24H": ("cart_abandoned", "CartAbandoned"),
    "CART_ABANDONED_72H": ("cart_abandoned", "CartAbandoned"),
}


def model_class(event_type: str) -> Any:
    """The generated model class for ``event_type``'s ``data``, imported on first use; ``None`` if unknown."""
    where = EVENT_MODELS.get(event_type)
    # Only known types reach the cache: a stream of new type names cannot grow it.
    return None if where is None else _import_model(*where)


@functools.cache
def _import_model(module: str, name: str) -> Any:
    return getattr(importlib.import_module(f"fourthwall_client.models.{module}"), name)


@attrs.frozen(kw_only=True)
class FourthwallEvent:
    """A verified Fourthwall delivery: the envelope's fields, and ``data`` as the generated model of its type.

    ``type`` is the wire value (``"ORDER_PLACED"``). ``id`` is the event's id, the same across Fourthwall's retries:
    use it to ignore duplicates. ``data`` is the generated model (``OrderV1``, ``OfferFull``...) for a type in
    ``EVENT_MODELS``, else the decoded JSON. ``raw`` is the whole decoded body.

    Example::

        if event.is_known and not event.test_mode:
            handle(event.type, event.data)
    """

    type: str
    id: str
    webhook_id: str
    shop_id: str
    api_version: str
    created_at: datetime
    test_mode: bool
    data: FourthwallEventData
    raw: Mapping[str, Any] = attrs.field(repr=False)

    @property
    def is_known(self) -> bool:
        """Whether ``data`` was parsed into a generated model (the spec documents this event type)."""
        return self.type in EVENT_MODELS


def _unparseable(message: str) -> WebhookVerificationError:
    return WebhookVerificationError(Reason.UNPARSEABLE_BODY, message)


def _text(payload: Mapping[str, Any], name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str):
        raise _unparseable(f"envelope field {name!r} is missing or not a string")
    return value


def parse_event(body: bytes | bytearray) -> FourthwallEvent:
    """Decode a (verified) body into a ``FourthwallEvent``; ``WebhookVerificationError(UNPARSEABLE_BODY)`` if it is
    not the envelope the spec documents or its ``data`` does not fit the generated model."""
    # dateutil's parser costs ~20 ms to import; the generated models use it anyway, so load it on first use.
    from dateutil.parser import isoparse

    payload = json_body(body)
    if not isinstance(payload, dict):
        raise _unparseable("body is not a JSON object")
    event_type = _text(payload, "type")
    test_mode = payload.get("testMode")
    if not isinstance(test_mode, bool):
        raise _unparseable("envelope field 'testMode' is missing or not a boolean")
    try:
        created_at = isoparse(_text(payload, "createdAt"))
    except ValueError:
        raise _unparseable("envelope field 'createdAt' is not an ISO 8601 date-time") from None
    if "data" not in payload:
        raise _unparseable("envelope has no 'data'")
    data = payload["data"]
    if not isinstance(data, dict):
        raise _unparseable("envelope field 'data' is not a JSON object")
    model = model_class(event_type)
    if model is not None:
        try:
            data = model.from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            # The generated from_dict fails with whatever the first bad field causes; name the field, not the value.
            raise _unparseable(
                f"{event_type} data does not fit {model.__name__}: {type(error).__name__} {error}"
            ) from error
    return FourthwallEvent(
        type=event_type,
        id=_text(payload, "id"),
        webhook_id=_text(payload, "webhookId"),
        shop_id=_text(payload, "shopId"),
        api_version=_text(payload, "apiVersion"),
        created_at=created_at,
        test_mode=test_mode,
        data=data,
        raw=payload,
    )


class FourthwallWebhooks:
    """Verifies Fourthwall deliveries with one webhook (or platform app) secret, held redacted.

    Example::

        hooks = FourthwallWebhooks(os.environ["FOURTHWALL_WEBHOOK_SECRET"])
        event = hooks.verify(request_body, request_headers)
    """

    __slots__ = ("_key", "_secret")

    def __init__(self, secret: str | Secret) -> None:
        self._secret = webhook_secret(secret, vendor="Fourthwall")
        self._key = self._secret.get_secret_value().encode()

    def __repr__(self) -> str:
        return f"FourthwallWebhooks(secret={self._secret!r})"

    def verify_signature(self, body: bytes, headers: HeaderSource) -> None:
        """Check the signature only (no parsing); raise ``WebhookVerificationError`` if it fails.

        Either header may carry it (shop webhooks send the first, platform apps the second); one match is enough.
        """
        raw_body(body)
        received = [value for name in (SIGNATURE_HEADER, APPS_SIGNATURE_HEADER) if (value := header(headers, name))]
        if not received:
            raise WebhookVerificationError(
                Reason.MISSING_HEADER,
                f"no {SIGNATURE_HEADER} or {APPS_SIGNATURE_HEADER} header",
                header=SIGNATURE_HEADER,
            )
        expected = hmac.digest(self._key, body, hashlib.sha256)
        matched = False
        for value in received:
            matched |= hmac.compare_digest(expected, base64_value(value))
        if not matched:
            raise WebhookVerificationError(
                Reason.BAD_SIGNATURE, "the signature does not match the body", header=SIGNATURE_HEADER
            )

    def parse(self, body: bytes, headers: HeaderSource | None = None) -> FourthwallEvent:
        """Parse a delivery whose signature ``verify_signature`` accepted: a ``FourthwallEvent``, or
        ``WebhookVerificationError(UNPARSEABLE_BODY)``. It checks no signature: call it only after that check
        (in the worker that a receiver hands deliveries to once it has answered 200).

        ``headers`` is accepted, and unused (the envelope carries everything), so that both vendors' verifiers
        are called alike. Example::

            hooks.verify_signature(body, headers)   # in the request handler, then answer 200
            event = hooks.parse(body, headers)      # later, in the worker
        """
        return parse_event(raw_body(body))

    def verify(self, body: bytes, headers: HeaderSource) -> FourthwallEvent:
        """Verify the delivery, then parse it: a ``FourthwallEvent``, or ``WebhookVerificationError``."""
        self.verify_signature(body, headers)
        return self.parse(body, headers)


def verify_fourthwall(body: bytes, headers: HeaderSource, *, secret: str | Secret) -> FourthwallEvent:
    """Verify and parse one Fourthwall delivery: raw body bytes and headers (any case) in, ``FourthwallEvent`` out.

    Example::

        event = verify_fourthwall(body, headers, secret=os.environ["FOURTHWALL_WEBHOOK_SECRET"])
        print(event.type, event.id)
    """
    return FourthwallWebhooks(secret).verify(body, headers)
