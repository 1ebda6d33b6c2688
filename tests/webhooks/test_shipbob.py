"""ShipBob (Standard Webhooks) verification: the published test vector, the reference library's own signatures,
independent hmac signatures, and one failing delivery per check."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import Message

import httpx
import pytest
import standardwebhooks
from hypothesis import given
from hypothesis import strategies as st

from facade import ConfigurationError, Secret
from facade.webhooks import (
    DEFAULT_TOLERANCE,
    HeaderSource,
    Reason,
    ShipBobEvent,
    ShipBobWebhooks,
    WebhookVerificationError,
    verify_shipbob,
)
from tests.webhooks._signing import (
    NOW,
    SHIPBOB_SECRET,
    deep_json,
    flipped_bodies,
    standard_headers,
    standard_signature,
)

BODY = json.dumps({"id": 9001, "reference_id": "FW-1001", "status": "Completed"}).encode()
HOOKS = ShipBobWebhooks(SHIPBOB_SECRET)

# Standard Webhooks' published example (standard-webhooks spec repo and Svix docs): secret, id, timestamp, payload
# and the signature the reference implementations produce for them.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_HEADERS = {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_NOW = datetime.fromtimestamp(1614265330, tz=UTC)


def rejected(body: bytes, headers: object, **kwargs: object) -> WebhookVerificationError:
    kwargs.setdefault("now", NOW)
    with pytest.raises(WebhookVerificationError) as caught:
        HOOKS.verify(body, headers, **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_the_published_test_vector_passes() -> None:
    event = verify_shipbob(VECTOR_BODY, VECTOR_HEADERS, secret=VECTOR_SECRET, now=VECTOR_NOW)
    assert event.data == {"test": 2432232314}
    assert event.id == "msg_p5jXN8AQM9LWM0D4loKWxJek"
    assert event.timestamp == VECTOR_NOW
    assert event.topic is None


def test_the_published_vector_with_one_changed_byte_fails() -> None:
    with pytest.raises(WebhookVerificationError) as caught:
        verify_shipbob(b'{"test": 2432232315}', VECTOR_HEADERS, secret=VECTOR_SECRET, now=VECTOR_NOW)
    assert caught.value.reason is Reason.BAD_SIGNATURE


@given(
    body=st.binary(max_size=2048),
    msg_id=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40),
    key=st.binary(min_size=16, max_size=64),
)
def test_signatures_of_the_reference_library_pass(body: bytes, msg_id: str, key: bytes) -> None:
    # The reference package signs text: keep bodies it can sign (ASCII) and compare with its own verdict.
    body = base64.b64encode(body)
    secret = "whsec_" + base64.b64encode(key).decode()
    signer = standardwebhooks.Webhook(secret)
    signature = signer.sign(msg_id, NOW, body.decode())
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(int(NOW.timestamp())), "webhook-signature": signature}
    ShipBobWebhooks(secret).verify_signature(body, headers, now=NOW)  # raises if it does not match
    assert signature == standard_signature(body, secret, msg_id=msg_id, timestamp=int(NOW.timestamp()))


def test_a_valid_delivery_gives_topic_id_timestamp_and_json() -> None:
    event = HOOKS.verify(BODY, standard_headers(BODY), now=NOW)
    assert event == ShipBobEvent(
        topic="order.shipped",
        id="msg_2Kx9",
        timestamp=NOW,
        data={"id": 9001, "reference_id": "FW-1001", "status": "Completed"},
    )


@pytest.mark.parametrize(
    "wrap",
    [
        lambda h: {k.upper(): v for k, v in h.items()},
        lambda h: {k.title(): v for k, v in h.items()},
        httpx.Headers,
    ],
    ids=["upper", "title", "httpx.Headers"],
)
def test_header_names_are_case_insensitive(wrap: Callable[[dict[str, str]], HeaderSource]) -> None:
    assert HOOKS.verify(BODY, wrap(standard_headers(BODY)), now=NOW).topic == "order.shipped"


def test_a_flipped_body_byte_fails() -> None:
    headers = standard_headers(BODY)
    for flipped in flipped_bodies(BODY, 0x01):
        assert rejected(flipped, headers).reason is Reason.BAD_SIGNATURE


def test_a_wrong_secret_fails() -> None:
    other = "whsec_" + base64.b64encode(b"another secret of 24 byte").decode()
    assert rejected(BODY, standard_headers(BODY, other)).reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_fails_and_names_it(name: str) -> None:
    headers = standard_headers(BODY)
    del headers[name]
    error = rejected(BODY, headers)
    assert error.reason is Reason.MISSING_HEADER
    assert error.header == name
    assert name in str(error)
    headers[name] = "  "
    assert rejected(BODY, headers).reason is Reason.MISSING_HEADER


def test_a_stale_timestamp_fails_even_with_a_valid_signature() -> None:
    stamp = int((NOW - DEFAULT_TOLERANCE).timestamp()) - 1
    error = rejected(BODY, standard_headers(BODY, timestamp=stamp))
    assert error.reason is Reason.STALE_TIMESTAMP
    assert error.header == "webhook-timestamp"


def test_a_future_timestamp_fails_even_with_a_valid_signature() -> None:
    stamp = int((NOW + DEFAULT_TOLERANCE).timestamp()) + 1
    assert rejected(BODY, standard_headers(BODY, timestamp=stamp)).reason is Reason.FUTURE_TIMESTAMP


def test_timestamps_exactly_at_the_tolerance_pass() -> None:
    for skew in (-DEFAULT_TOLERANCE, DEFAULT_TOLERANCE):
        stamp = int((NOW + skew).timestamp())
        assert HOOKS.verify(BODY, standard_headers(BODY, timestamp=stamp), now=NOW).id == "msg_2Kx9"


def test_the_tolerance_is_configurable() -> None:
    strict = ShipBobWebhooks(SHIPBOB_SECRET, tolerance=timedelta(seconds=10))
    headers = standard_headers(BODY, timestamp=int(NOW.timestamp()) - 11)
    with pytest.raises(WebhookVerificationError) as caught:
        strict.verify(BODY, headers, now=NOW)
    assert caught.value.reason is Reason.STALE_TIMESTAMP
    lenient = verify_shipbob(BODY, headers, secret=SHIPBOB_SECRET, tolerance=timedelta(minutes=1), now=NOW)
    assert lenient.id == "msg_2Kx9"


def test_the_real_clock_is_used_without_now() -> None:
    stamp = int(datetime.now(UTC).timestamp())
    assert HOOKS.verify(BODY, standard_headers(BODY, timestamp=stamp)).id == "msg_2Kx9"
    with pytest.raises(WebhookVerificationError) as caught:
        HOOKS.verify(BODY, standard_headers(BODY, timestamp=int(NOW.timestamp()) - 10 * 365 * 86400))
    assert caught.value.reason is Reason.STALE_TIMESTAMP


def test_a_truncated_signature_fails() -> None:
    headers = standard_headers(BODY)
    full = headers["webhook-signature"]
    assert full.endswith("=")  # cutting only the padding leaves the same 32 bytes: start at 2
    for cut in (2, 3, 4, 5, 10, 30, len(full) - 4):
        headers["webhook-signature"] = full[:-cut]
        assert rejected(BODY, headers).reason is Reason.BAD_SIGNATURE, cut


def test_a_signature_for_a_different_message_fails() -> None:
    headers = standard_headers(BODY)
    # Same body, signed for another id or another timestamp: the signature covers id and timestamp too.
    other_id = standard_headers(BODY, msg_id="msg_other")
    other_time = standard_headers(BODY, timestamp=int(NOW.timestamp()) - 1)
    other_body = standard_headers(b'{"id": 1}')
    for donor in (other_id, other_time, other_body):
        assert (
            rejected(BODY, {**headers, "webhook-signature": donor["webhook-signature"]}).reason is Reason.BAD_SIGNATURE
        )


def test_several_signatures_pass_when_one_matches() -> None:
    good = standard_headers(BODY)["webhook-signature"]
    wrong = standard_headers(BODY, msg_id="x")["webhook-signature"]
    for header in (
        f"{wrong} {good}",
        f"{good} {wrong}",
        f"v1,AAAA {good}",
        f"v2,{good[3:]} {good}",  # an unknown version is ignored
        f"garbage {good}",  # a malformed entry does not hide a good one
        f"v1,@@@ {good}",
    ):
        headers = {**standard_headers(BODY), "webhook-signature": header}
        assert HOOKS.verify(BODY, headers, now=NOW).id == "msg_2Kx9", header


def test_several_signatures_fail_when_none_matches() -> None:
    wrong = standard_headers(BODY, msg_id="x")["webhook-signature"]
    headers = {**standard_headers(BODY), "webhook-signature": f"{wrong} v1,AAAA"}
    assert rejected(BODY, headers).reason is Reason.BAD_SIGNATURE
    good = standard_headers(BODY)["webhook-signature"]
    headers = {**standard_headers(BODY), "webhook-signature": f"v2,{good[3:]}"}  # right bytes, not v1
    assert rejected(BODY, headers).reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("webhook-signature", "nocomma"),
        ("webhook-signature", ",onlyvalue"),
        ("webhook-timestamp", "abc"),
        ("webhook-timestamp", "1764676800.5"),
        ("webhook-timestamp", "-5"),
        ("webhook-timestamp", "1e9"),
        ("webhook-timestamp", "\u0661\u0662"),  # Arabic-Indic digits: isdigit() but not ASCII
        ("webhook-timestamp", "9" * 12),  # past year 5138 (datetime ends at 9999): no timestamp
        ("webhook-timestamp", "9" * 401),  # once OverflowError: too large for the float of the window check
        ("webhook-timestamp", "9" * 5000),  # once ValueError: past int()'s 4,300 digits
    ],
)
def test_malformed_headers_fail(name: str, value: str) -> None:
    headers = {**standard_headers(BODY), name: value}
    error = rejected(BODY, headers)
    assert error.reason is Reason.MALFORMED_HEADER
    assert error.header == name


def test_a_signed_body_that_is_not_json_is_unparseable_after_the_signature_passed() -> None:
    for body in (b"not json", b"\xff\xfe\x00", b""):
        headers = standard_headers(body)
        HOOKS.verify_signature(body, headers, now=NOW)  # the signature is fine; parsing is what fails
        assert rejected(body, headers).reason is Reason.UNPARSEABLE_BODY


def test_a_signed_body_nested_too_deep_is_unparseable_not_a_recursion_error() -> None:
    body = deep_json(1_000)  # 2 KB, valid JSON, deeper than the decoder's recursion limit
    assert len(body) == 2_000
    headers = standard_headers(body)
    HOOKS.verify_signature(body, headers, now=NOW)
    error = rejected(body, headers)
    assert error.reason is Reason.UNPARSEABLE_BODY
    assert "nested deeper" in str(error)


def test_parse_after_verify_signature_gives_what_verify_gives() -> None:
    headers = standard_headers(BODY)
    HOOKS.verify_signature(BODY, headers, now=NOW)
    assert HOOKS.parse(BODY, headers) == HOOKS.verify(BODY, headers, now=NOW)
    with pytest.raises(WebhookVerificationError) as caught:
        HOOKS.parse(BODY, {**headers, "webhook-timestamp": "9" * 401})
    assert caught.value.reason is Reason.MALFORMED_HEADER
    with pytest.raises(TypeError, match="raw request bytes"):
        HOOKS.parse(BODY.decode(), headers)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["webhook-id", "webhook-timestamp", "webhook-signature", "x-webhook-topic"])
def test_a_header_sent_twice_is_malformed_even_with_equal_copies(name: str) -> None:
    # http.server hands over an email.message.Message, which keeps every copy of a repeated header.
    message = Message()
    for key, value in standard_headers(BODY).items():
        message[key] = value
    message[name] = message[name]  # a second, identical copy: which one was signed must never be a question
    error = rejected(BODY, message)
    assert error.reason is Reason.MALFORMED_HEADER
    assert error.header == name
    assert "2 times" in str(error)
    # The same name in two spellings is the same header too.
    error = rejected(BODY, {**standard_headers(BODY), name.title(): standard_headers(BODY)[name]})
    assert (error.reason, error.header) == (Reason.MALFORMED_HEADER, name)


def _reference_accepts(body: bytes, headers: dict[str, str]) -> bool:
    try:
        standardwebhooks.Webhook(SHIPBOB_SECRET).verify(body, headers, json_parse=False)
    except standardwebhooks.WebhookVerificationError:
        return False
    return True


def _ours_accepts(body: bytes, headers: dict[str, str]) -> bool:
    try:
        HOOKS.verify_signature(body, headers)  # the real clock, as the reference library reads it
    except WebhookVerificationError:
        return False
    return True


def test_the_reference_library_gives_our_verdict_on_failing_and_multi_signature_deliveries() -> None:
    now = int(time.time())
    headers = standard_headers(BODY, timestamp=now)
    good = headers["webhook-signature"]
    wrong = standard_headers(BODY, msg_id="msg_other", timestamp=now)["webhook-signature"]
    other_secret = "whsec_" + base64.b64encode(b"another secret of 24 byte").decode()
    margin = 30  # seconds from the 5-minute edge, so the two clocks read a moment apart agree
    edge = int(DEFAULT_TOLERANCE.total_seconds())
    cases: list[tuple[str, bytes, dict[str, str], bool]] = [
        ("valid", BODY, headers, True),
        *((f"flipped {i}", flipped, headers, False) for i, flipped in enumerate(flipped_bodies(BODY, 0x01))),
        ("wrong secret", BODY, standard_headers(BODY, other_secret, timestamp=now), False),
        ("other id", BODY, {**headers, "webhook-signature": wrong}, False),
        ("stale", BODY, standard_headers(BODY, timestamp=now - edge - margin), False),
        ("old but inside", BODY, standard_headers(BODY, timestamp=now - edge + margin), True),
        ("future", BODY, standard_headers(BODY, timestamp=now + edge + margin), False),
        ("ahead but inside", BODY, standard_headers(BODY, timestamp=now + edge - margin), True),
        ("wrong then good", BODY, {**headers, "webhook-signature": f"{wrong} {good}"}, True),
        ("good then wrong", BODY, {**headers, "webhook-signature": f"{good} {wrong}"}, True),
        ("short then good", BODY, {**headers, "webhook-signature": f"v1,AAAA {good}"}, True),
        ("v2 then good", BODY, {**headers, "webhook-signature": f"v2,{good[3:]} {good}"}, True),
        ("none matches", BODY, {**headers, "webhook-signature": f"{wrong} v1,AAAA"}, False),
        ("right bytes, not v1", BODY, {**headers, "webhook-signature": f"v2,{good[3:]}"}, False),
    ]
    verdicts = {name: (_reference_accepts(b, h), _ours_accepts(b, h)) for name, b, h, _ in cases}
    assert verdicts == {name: (expected, expected) for name, _, _, expected in cases}


def test_verify_takes_raw_bytes_and_an_aware_clock() -> None:
    with pytest.raises(TypeError, match="raw request bytes"):
        HOOKS.verify(BODY.decode(), standard_headers(BODY), now=NOW)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timezone-aware"):
        HOOKS.verify(BODY, standard_headers(BODY), now=datetime(2026, 12, 2, 12))
    assert HOOKS.verify(bytearray(BODY), standard_headers(BODY), now=NOW).id == "msg_2Kx9"  # type: ignore[arg-type]


@pytest.mark.parametrize("secret", ["", "whsec_", "whsec_@@not base64@@", "whsec_A"])
def test_an_unusable_secret_is_a_configuration_error_without_the_secret(secret: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        ShipBobWebhooks(secret)
    if secret.removeprefix("whsec_"):
        assert secret.removeprefix("whsec_") not in str(caught.value)


@pytest.mark.parametrize(
    "secret",
    [SHIPBOB_SECRET.encode(), Secret(SHIPBOB_SECRET.encode()), None, 42],  # type: ignore[arg-type]
    ids=lambda value: type(value).__name__,
)
def test_a_secret_that_is_not_text_is_a_configuration_error_naming_the_argument(secret: object) -> None:
    with pytest.raises(ConfigurationError, match=r"ShipBob webhook secret= must be a str or Secret") as caught:
        ShipBobWebhooks(secret)  # type: ignore[arg-type]
    assert SHIPBOB_SECRET.removeprefix("whsec_") not in str(caught.value)


def test_a_secret_without_the_prefix_is_accepted() -> None:
    bare = SHIPBOB_SECRET.removeprefix("whsec_")
    assert ShipBobWebhooks(bare).verify(BODY, standard_headers(BODY), now=NOW).id == "msg_2Kx9"


def test_a_negative_tolerance_is_refused() -> None:
    with pytest.raises(ConfigurationError):
        ShipBobWebhooks(SHIPBOB_SECRET, tolerance=timedelta(seconds=-1))


def test_secrets_and_signatures_never_appear_in_reprs_or_errors() -> None:
    key_b64 = SHIPBOB_SECRET.removeprefix("whsec_")
    headers = standard_headers(BODY)
    signature = headers["webhook-signature"].removeprefix("v1,")
    texts = [repr(HOOKS), str(HOOKS)]
    cases = [
        (b"{}", headers),
        (BODY, {**headers, "webhook-signature": "v1,AAAA"}),
        (BODY, {k: v for k, v in headers.items() if k != "webhook-id"}),
        (BODY, standard_headers(BODY, timestamp=0)),
        (BODY, {**headers, "webhook-timestamp": "x"}),
        (b"nope", standard_headers(b"nope")),
    ]
    for body, case in cases:
        error = rejected(body, case)
        texts += [str(error), repr(error), str(error.args)]
    for text in texts:
        assert key_b64 not in text
        assert SHIPBOB_SECRET not in text
        assert signature not in text
    assert "**********" in repr(HOOKS)
