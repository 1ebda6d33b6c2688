"""End to end: the receiver of docs/webhooks.md, run as written on 127.0.0.1, answers signed deliveries posted
with httpx: 200 for valid ones, BEFORE they are parsed (the worker parses and hands the event on), 4xx for the
rest."""

from __future__ import annotations

import http.client
import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import attrs
import httpx
import pytest

from facade.webhooks import FourthwallEvent, FourthwallWebhooks, ShipBobEvent, ShipBobWebhooks
from tests.support.paths import REPO
from tests.webhooks._signing import (
    FOURTHWALL_SECRET,
    SHIPBOB_SECRET,
    fourthwall_body,
    fourthwall_headers,
    standard_headers,
)

DOC = REPO / "docs" / "webhooks.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
_GUARD = 5.0  # seconds before a hung request fails the test (a deadlock guard, not a timing assertion)


def example() -> str:
    blocks = _BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 1, "docs/webhooks.md should hold exactly one python block, the receiver"
    return str(blocks[0])


@attrs.frozen
class Receiver:
    """The doc's receiver serving on ``url``; ``handled`` collects what its worker hands to ``handle()``."""

    url: str
    namespace: dict[str, Any]
    handled: list[FourthwallEvent | ShipBobEvent]

    def settle(self) -> None:
        """Wait until the worker has taken every queued delivery through parse and handle."""
        self.namespace["deliveries"].join()


def load_example(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The doc's code, executed as written (not as __main__): its module namespace."""
    monkeypatch.setenv("FOURTHWALL_WEBHOOK_SECRET", FOURTHWALL_SECRET)
    monkeypatch.setenv("SHIPBOB_WEBHOOK_SECRET", SHIPBOB_SECRET)
    namespace: dict[str, Any] = {"__name__": "webhooks_doc"}
    exec(compile(example(), str(DOC), "exec"), namespace)  # running the doc's own example is the point
    return namespace


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    """The doc's receiver serving on a free port, its ``handle`` recording."""
    namespace = load_example(monkeypatch)
    handled: list[FourthwallEvent | ShipBobEvent] = []
    namespace["handle"] = handled.append  # the worker looks handle() up in the module's globals
    server = namespace["serve"](0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_address[1]}", namespace, handled)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_doc_has_its_example() -> None:
    code = example()
    assert "http.server" in code
    assert "verifier.verify_signature(body, self.headers)" in code
    assert "verifier.parse(body, headers)" in code
    assert "verifier.verify(" not in code  # verify() parses: never before the answer


def test_a_valid_fourthwall_delivery_is_answered_200_and_handled(receiver: Receiver) -> None:
    body = fourthwall_body("ORDER_CANCELLED_SOMEDAY", {"orderId": "o1"})
    with httpx.Client(base_url=receiver.url, timeout=_GUARD) as client:
        response = client.post("/webhooks/fourthwall", content=body, headers=fourthwall_headers(body))
    assert (response.status_code, response.text) == (200, "ok")
    receiver.settle()
    [event] = receiver.handled
    assert isinstance(event, FourthwallEvent)
    assert event.type == "ORDER_CANCELLED_SOMEDAY"


def test_a_valid_shipbob_delivery_is_answered_200_and_handled(receiver: Receiver) -> None:
    body = json.dumps({"id": 77, "status": "Completed"}).encode()
    headers = standard_headers(body, timestamp=int(time.time()), topic="order.shipped")
    with httpx.Client(base_url=receiver.url, timeout=_GUARD) as client:
        response = client.post("/webhooks/shipbob", content=body, headers=headers)
    assert response.status_code == 200
    receiver.settle()
    [event] = receiver.handled
    assert isinstance(event, ShipBobEvent)
    assert (event.topic, event.data) == ("order.shipped", {"id": 77, "status": "Completed"})


@pytest.mark.parametrize("vendor", ["fourthwall", "shipbob"])
def test_the_200_does_not_wait_for_parsing(receiver: Receiver, monkeypatch: pytest.MonkeyPatch, vendor: str) -> None:
    # The deadline holds by construction: parse() is held on an event that is set only once the 200 has arrived.
    # A receiver that parsed (or called verify()) before answering would hang here until the client gives up.
    release = threading.Event()
    verifier: type[FourthwallWebhooks | ShipBobWebhooks] = (
        FourthwallWebhooks if vendor == "fourthwall" else ShipBobWebhooks
    )
    real_parse = verifier.parse

    def held_parse(self: Any, body: bytes, headers: Any) -> Any:
        if not release.wait(timeout=30):
            raise AssertionError("parse was never released")
        return real_parse(self, body, headers)

    monkeypatch.setattr(verifier, "parse", held_parse)
    body = fourthwall_body("SHOP_REDECORATED", {"blob": "x" * (4 << 20)})  # 4 MiB: under MAX_BODY, not tiny
    headers = fourthwall_headers(body) if vendor == "fourthwall" else standard_headers(body, timestamp=int(time.time()))
    try:
        with httpx.Client(base_url=receiver.url, timeout=_GUARD) as client:
            response = client.post(f"/webhooks/{vendor}", content=body, headers=headers)
        assert response.status_code == 200
        assert receiver.handled == []  # answered while parse() is still held
    finally:
        release.set()
    receiver.settle()
    assert len(receiver.handled) == 1


def test_a_signed_body_that_does_not_parse_is_answered_200_then_logged_by_the_worker(
    receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="webhooks")
    with httpx.Client(base_url=receiver.url, timeout=_GUARD) as client:
        response = client.post("/webhooks/fourthwall", content=b"[]", headers=fourthwall_headers(b"[]"))
    assert response.status_code == 200
    receiver.settle()
    assert receiver.handled == []
    [record] = [r for r in caplog.records if r.name == "webhooks"]
    assert record.levelno == logging.ERROR
    assert "unparseable_body" in record.getMessage()


def test_invalid_deliveries_get_4xx_and_are_not_queued(receiver: Receiver) -> None:
    body = fourthwall_body()
    now = int(time.time())
    shipbob_body = b'{"id": 1}'
    signature = fourthwall_headers(body)["X-Fourthwall-Hmac-SHA256"]
    cases: list[tuple[str, bytes, Any, int, str]] = [
        ("/webhooks/fourthwall", body + b" ", fourthwall_headers(body), 401, "bad_signature"),
        ("/webhooks/fourthwall", body, {}, 401, "missing_header"),
        (
            "/webhooks/fourthwall",
            body,
            [("X-Fourthwall-Hmac-SHA256", signature), ("X-Fourthwall-Hmac-SHA256", signature)],
            401,
            "malformed_header",
        ),
        (
            "/webhooks/shipbob",
            shipbob_body,
            standard_headers(shipbob_body, timestamp=now - 3600),
            401,
            "stale_timestamp",
        ),
        (
            "/webhooks/shipbob",
            shipbob_body,
            standard_headers(shipbob_body, timestamp=now + 3600),
            401,
            "future_timestamp",
        ),
        ("/webhooks/shipbob", shipbob_body, fourthwall_headers(shipbob_body), 401, "missing_header"),
        ("/elsewhere", body, fourthwall_headers(body), 404, "no"),
    ]
    with httpx.Client(base_url=receiver.url, timeout=_GUARD) as client:
        for path, content, headers, status, text in cases:
            response = client.post(path, content=content, headers=headers)
            assert (response.status_code, response.text) == (status, text), (path, text)
    # Content-Length values httpx would not send: raw requests, no body. Before the check, "-1" read until the
    # client hung up and "abc" crashed the handler without an answer.
    port = int(receiver.url.rsplit(":", 1)[1])
    too_large = str(receiver.namespace["MAX_BODY"] + 1)
    for length, status, text in (
        ("-1", 400, "bad content-length"),
        ("abc", 400, "bad content-length"),
        ("+5", 400, "bad content-length"),
        ("1_0", 400, "bad content-length"),
        ("9" * 5000, 400, "bad content-length"),
        (too_large, 413, "too large"),
    ):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=_GUARD)
        try:
            connection.putrequest("POST", "/webhooks/fourthwall")
            connection.putheader("Content-Length", length)
            connection.putheader("X-Fourthwall-Hmac-SHA256", signature)
            connection.endheaders()
            response_raw = connection.getresponse()
            assert (response_raw.status, response_raw.read().decode()) == (status, text), length[:10]
        finally:
            connection.close()
    receiver.settle()
    assert receiver.namespace["deliveries"].empty()
    assert receiver.handled == []


def test_a_stalled_client_cannot_hold_a_handler_thread_forever(monkeypatch: pytest.MonkeyPatch) -> None:
    namespace = load_example(monkeypatch)
    # The stdlib default is None (wait forever); a number makes a body that never arrives end its connection.
    timeout = namespace["WebhookReceiver"].timeout
    assert isinstance(timeout, int | float)
    assert 0 < timeout <= 30
