"""The public surface of ``facade.webhooks``, pinned; and the facts its docstrings state about the specs."""

from __future__ import annotations

import json

import facade
import facade.webhooks
from facade.webhooks import Reason, WebhookVerificationError
from tests.support.paths import REPO


def test_the_public_names_are_exactly_these() -> None:
    assert sorted(facade.webhooks.__all__) == [
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
    for name in facade.webhooks.__all__:
        assert getattr(facade.webhooks, name) is not None


def test_the_error_is_a_facade_error_with_a_closed_set_of_reasons() -> None:
    assert issubclass(WebhookVerificationError, facade.FacadeError)
    assert {reason.value for reason in Reason} == {
        "missing_header",
        "malformed_header",
        "bad_signature",
        "stale_timestamp",
        "future_timestamp",
        "unparseable_body",
    }
    error = WebhookVerificationError(Reason.BAD_SIGNATURE, "no match", header="webhook-signature")
    assert (error.reason, error.header) == (Reason.BAD_SIGNATURE, "webhook-signature")
    assert str(error) == "webhook rejected (bad_signature): no match"


def test_the_shipbob_spec_documents_topics_but_no_webhook_payloads() -> None:
    # Why ShipBobEvent.data is raw JSON: no webhooks section, no payload schema; only subscriptions and topics.
    spec = json.loads((REPO / "specs" / "shipbob.yaml").read_text(encoding="utf-8"))
    assert "webhooks" not in spec
    assert "x-webhooks" not in spec
    topics = spec["components"]["schemas"]["Webhooks.Topics"]["enum"]
    assert "order.shipped" in topics
    assert not [name for name in spec["components"]["schemas"] if "payload" in name.lower()]
