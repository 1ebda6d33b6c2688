"""End to end: the receiver of docs/webhooks.md, run as written on 127.0.0.1, answers signed deliveries posted
with httpx: 200 for valid ones (and hands the event on), 4xx for the rest."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from facade.webhooks import FourthwallEvent, ShipBobEvent
from tests.webhooks._signing import (
    FOURTHWALL_SECRET,
    SHIPBOB_SECRET,
    fourthwall_body,
    fourthwall_headers,
    standard_headers,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def example() -> str:
    blocks = _BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) == 1, "docs/webhooks.md should hold exactly one python block, the receiver"
    return str(blocks[0])


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Any]]:
    """The doc's code, executed as written (not as __main__), serving on a free port; yields (url, namespace)."""
    monkeypatch.setenv("FOURTHWALL_WEBHOOK_SECRET", FOURTHWALL_SECRET)
    monkeypatch.setenv("SHIPBOB_WEBHOOK_SECRET", SHIPBOB_SECRET)
    namespace: dict[str, Any] = {"__name__": "webhooks_doc"}
    exec(compile(example(), str(DOC), "exec"), namespace)  # running the doc's own example is the point
    server = namespace["serve"](0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", namespace
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_doc_has_its_example() -> None:
    code = example()
    assert "http.server" in code
    assert "verify(body, self.headers)" in code


def test_a_valid_fourthwall_delivery_is_answered_200_and_queued(receiver: tuple[str, Any]) -> None:
    url, namespace = receiver
    body = fourthwall_body("ORDER_CANCELLED_SOMEDAY", {"orderId": "o1"})
    with httpx.Client(base_url=url) as client:
        response = client.post("/webhooks/fourthwall", content=body, headers=fourthwall_headers(body))
    assert response.status_code == 200
    event = namespace["events"].get(timeout=1)
    assert isinstance(event, FourthwallEvent)
    assert event.type == "ORDER_CANCELLED_SOMEDAY"


def test_a_valid_shipbob_delivery_is_answered_200_and_queued(receiver: tuple[str, Any]) -> None:
    url, namespace = receiver
    body = json.dumps({"id": 77, "status": "Completed"}).encode()
    headers = standard_headers(body, timestamp=int(time.time()), topic="order.shipped")
    with httpx.Client(base_url=url) as client:
        response = client.post("/webhooks/shipbob", content=body, headers=headers)
    assert response.status_code == 200
    event = namespace["events"].get(timeout=1)
    assert isinstance(event, ShipBobEvent)
    assert (event.topic, event.data) == ("order.shipped", {"id": 77, "status": "Completed"})


def test_invalid_deliveries_get_4xx_and_are_not_queued(receiver: tuple[str, Any]) -> None:
    url, namespace = receiver
    body = fourthwall_body()
    now = int(time.time())
    shipbob_body = b'{"id": 1}'
    cases = [
        ("/webhooks/fourthwall", body + b" ", fourthwall_headers(body), 401, "bad_signature"),
        ("/webhooks/fourthwall", body, {}, 401, "missing_header"),
        ("/webhooks/fourthwall", b"[]", fourthwall_headers(b"[]"), 400, "unparseable_body"),
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
    with httpx.Client(base_url=url) as client:
        for path, content, headers, status, text in cases:
            response = client.post(path, content=content, headers=headers)
            assert (response.status_code, response.text) == (status, text), (path, text)
    assert namespace["events"].empty()
