"""Fourthwall verification (independent hmac signatures, one failing delivery per check) and envelope parsing."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import Message

import httpx
import pytest

from facade import ConfigurationError, Secret
from facade.webhooks import (
    FourthwallEvent,
    FourthwallWebhooks,
    HeaderSource,
    Reason,
    WebhookVerificationError,
    verify_fourthwall,
)
from tests.webhooks._signing import (
    FOURTHWALL_SECRET,
    deep_json,
    flipped_bodies,
    fourthwall_body,
    fourthwall_headers,
    fourthwall_signature,
)

HOOKS = FourthwallWebhooks(FOURTHWALL_SECRET)
UNKNOWN = fourthwall_body("SHOP_REDECORATED", {"theme": "dark", "colors": [1, 2]})


def rejected(body: bytes, headers: object) -> WebhookVerificationError:
    with pytest.raises(WebhookVerificationError) as caught:
        HOOKS.verify(body, headers)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize("apps", [False, True], ids=["shop", "platform app"])
def test_a_valid_delivery_passes_with_either_header(apps: bool) -> None:
    event = verify_fourthwall(UNKNOWN, fourthwall_headers(UNKNOWN, apps=apps), secret=FOURTHWALL_SECRET)
    assert event.type == "SHOP_REDECORATED"
    assert event.id == "00aa4abd-5778-4199-8161-0b49b2f212e5"
    assert event.webhook_id == "wh_6d1c"
    assert event.shop_id == "sh_c689d374-22ca-43d3-8d29-9ef0805cc4cb"
    assert event.api_version == "V1"
    assert event.created_at == datetime(2026, 12, 2, 12, 0, 0, 123000, tzinfo=UTC)
    assert event.test_mode is False


@pytest.mark.parametrize(
    "wrap",
    [lambda h: {k.lower(): v for k, v in h.items()}, lambda h: {k.upper(): v for k, v in h.items()}, httpx.Headers],
    ids=["lower", "upper", "httpx.Headers"],
)
def test_header_names_are_case_insensitive(wrap: Callable[[dict[str, str]], HeaderSource]) -> None:
    assert HOOKS.verify(UNKNOWN, wrap(fourthwall_headers(UNKNOWN))).type == "SHOP_REDECORATED"


def test_an_unknown_event_type_passes_through_as_raw_json() -> None:
    event = HOOKS.verify(UNKNOWN, fourthwall_headers(UNKNOWN))
    assert not event.is_known
    assert event.data == {"theme": "dark", "colors": [1, 2]}
    assert event.raw["type"] == "SHOP_REDECORATED"


def test_a_flipped_body_byte_fails() -> None:
    headers = fourthwall_headers(UNKNOWN)
    for flipped in flipped_bodies(UNKNOWN, 0x20):
        assert rejected(flipped, headers).reason is Reason.BAD_SIGNATURE


def test_re_serialized_json_fails() -> None:
    # What a framework's parsed-then-dumped body looks like: same JSON, other bytes. Verify the raw body only.
    reformatted = json.dumps(json.loads(UNKNOWN), indent=2).encode()
    assert rejected(reformatted, fourthwall_headers(UNKNOWN)).reason is Reason.BAD_SIGNATURE


def test_a_wrong_secret_fails() -> None:
    assert rejected(UNKNOWN, fourthwall_headers(UNKNOWN, "not-the-secret")).reason is Reason.BAD_SIGNATURE


def test_a_missing_header_fails() -> None:
    error = rejected(UNKNOWN, {"Content-Type": "application/json"})
    assert error.reason is Reason.MISSING_HEADER
    assert "X-Fourthwall-Hmac-SHA256" in str(error)
    assert rejected(UNKNOWN, {"X-Fourthwall-Hmac-SHA256": ""}).reason is Reason.MISSING_HEADER


def test_a_truncated_signature_fails() -> None:
    full = fourthwall_signature(UNKNOWN, FOURTHWALL_SECRET)
    assert full.endswith("=")  # cutting only the padding leaves the same 32 bytes: start at 2
    for cut in (2, 3, 4, 5, 20, len(full) - 1):
        assert rejected(UNKNOWN, {"X-Fourthwall-Hmac-SHA256": full[:-cut]}).reason is Reason.BAD_SIGNATURE


def test_a_signature_for_a_different_message_fails() -> None:
    other = fourthwall_body("SHOP_REDECORATED", {"theme": "light"})
    assert rejected(UNKNOWN, fourthwall_headers(other)).reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("value", ["not base64 !!", "@@@@", "v1,abc", base64.b64encode(b"x" * 33).decode()])
def test_a_signature_that_is_not_32_base64_bytes_is_a_bad_signature(value: str) -> None:
    assert rejected(UNKNOWN, {"X-Fourthwall-Hmac-SHA256": value}).reason is Reason.BAD_SIGNATURE


def test_both_headers_pass_when_one_matches() -> None:
    good = fourthwall_signature(UNKNOWN, FOURTHWALL_SECRET)
    wrong = fourthwall_signature(UNKNOWN, "other")
    for shop, apps in ((good, wrong), (wrong, good)):
        headers = {"X-Fourthwall-Hmac-SHA256": shop, "X-Fourthwall-Hmac-Apps-SHA256": apps}
        assert HOOKS.verify(UNKNOWN, headers).type == "SHOP_REDECORATED"
    both_wrong = {"X-Fourthwall-Hmac-SHA256": wrong, "X-Fourthwall-Hmac-Apps-SHA256": wrong}
    assert rejected(UNKNOWN, both_wrong).reason is Reason.BAD_SIGNATURE


def test_verify_signature_checks_without_parsing() -> None:
    body = b"\xffnot json at all"
    HOOKS.verify_signature(body, fourthwall_headers(body))  # raises if it does not match
    assert rejected(body, fourthwall_headers(body)).reason is Reason.UNPARSEABLE_BODY


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2]",
        b'"text"',
        fourthwall_body(testMode="no"),
        fourthwall_body(createdAt="yesterday"),
        fourthwall_body(createdAt=17),
        fourthwall_body(id=None),
        fourthwall_body(data=[1]),
        fourthwall_body("SHOP_REDECORATED", data=None).replace(b'"data": {}', b'"other": {}'),
        fourthwall_body("ORDER_PLACED", {"id": "only an id"}),
        fourthwall_body("ORDER_PLACED", {"id": 5, "status": "NOT_A_STATUS"}),
    ],
    ids=[
        "array",
        "string",
        "testMode not bool",
        "createdAt not a date",
        "createdAt not a string",
        "id null",
        "data not an object",
        "no data",
        "known type missing fields",
        "known type wrong fields",
    ],
)
def test_signed_bodies_that_are_not_the_envelope_are_unparseable(body: bytes) -> None:
    error = rejected(body, fourthwall_headers(body))
    assert error.reason is Reason.UNPARSEABLE_BODY
    assert error.header is None


def test_verify_takes_raw_bytes() -> None:
    with pytest.raises(TypeError, match="raw request bytes"):
        HOOKS.verify(UNKNOWN.decode(), fourthwall_headers(UNKNOWN))  # type: ignore[arg-type]


def test_an_empty_secret_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="secret= is empty"):
        FourthwallWebhooks("")


@pytest.mark.parametrize(
    "secret",
    [FOURTHWALL_SECRET.encode(), Secret(FOURTHWALL_SECRET.encode()), None],  # type: ignore[arg-type]
    ids=lambda value: type(value).__name__,
)
def test_a_secret_that_is_not_text_is_a_configuration_error_naming_the_argument(secret: object) -> None:
    # bytes once raised AttributeError ('bytes' object has no attribute 'encode') from deep inside __init__.
    with pytest.raises(ConfigurationError, match=r"Fourthwall webhook secret= must be a str or Secret") as caught:
        FourthwallWebhooks(secret)  # type: ignore[arg-type]
    assert FOURTHWALL_SECRET not in str(caught.value)


def test_a_signed_body_nested_too_deep_is_unparseable_not_a_recursion_error() -> None:
    nested = deep_json(1_000)  # 2 KB of valid JSON, deeper than the decoder's recursion limit
    body = fourthwall_body("SHOP_REDECORATED").replace(b'"data": {}', b'"data": {"x": ' + nested + b"}")
    assert nested in body
    HOOKS.verify_signature(body, fourthwall_headers(body))
    error = rejected(body, fourthwall_headers(body))
    assert error.reason is Reason.UNPARSEABLE_BODY
    assert "nested deeper" in str(error)


def test_parse_after_verify_signature_gives_what_verify_gives() -> None:
    headers = fourthwall_headers(UNKNOWN)
    HOOKS.verify_signature(UNKNOWN, headers)
    assert HOOKS.parse(UNKNOWN, headers) == HOOKS.verify(UNKNOWN, headers)
    assert HOOKS.parse(UNKNOWN) == HOOKS.parse(UNKNOWN, headers)  # the envelope carries everything
    with pytest.raises(TypeError, match="raw request bytes"):
        HOOKS.parse(UNKNOWN.decode())  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["X-Fourthwall-Hmac-SHA256", "X-Fourthwall-Hmac-Apps-SHA256"])
def test_a_signature_header_sent_twice_is_malformed_even_when_a_copy_matches(name: str) -> None:
    # http.server hands over an email.message.Message, which keeps every copy of a repeated header.
    good = fourthwall_signature(UNKNOWN, FOURTHWALL_SECRET)
    for copies in ((good, good), (good, fourthwall_signature(UNKNOWN, "other"))):
        message = Message()
        for value in copies:
            message[name] = value
        error = rejected(UNKNOWN, message)
        assert (error.reason, error.header) == (Reason.MALFORMED_HEADER, name)
        assert good not in str(error)


def test_secrets_and_signatures_never_appear_in_reprs_or_errors() -> None:
    good = fourthwall_signature(UNKNOWN, FOURTHWALL_SECRET)
    texts = [repr(HOOKS), str(HOOKS)]
    for body, headers in (
        (UNKNOWN, {"X-Fourthwall-Hmac-SHA256": fourthwall_signature(UNKNOWN, "other")}),
        (b"{}", {"X-Fourthwall-Hmac-SHA256": good}),
        (UNKNOWN, {}),
        (b"[]", fourthwall_headers(b"[]")),
    ):
        error = rejected(body, headers)
        texts += [str(error), repr(error), str(error.args)]
    for text in texts:
        assert FOURTHWALL_SECRET not in text
        assert good not in text
    assert "**********" in repr(HOOKS)
    event = HOOKS.verify(UNKNOWN, fourthwall_headers(UNKNOWN))
    assert isinstance(event, FourthwallEvent)
    assert FOURTHWALL_SECRET not in repr(event)
