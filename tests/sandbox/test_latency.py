"""Responses held ``latency`` seconds (requests in flight), and any rate limits, in threads and in a child process.

No timing is asserted: the holds used are far longer than the client timeouts that observe them (a slow machine
only makes a timeout fire later), and what is checked is what was logged, answered or dropped.
"""

from __future__ import annotations

import math
import threading
import time

import httpx
import pytest

from facade.sandbox import Limit, RateLimits, Sandbox

FW = "/open-api/v1.0"
SB = "/2026-01"
HELD = 120.0  # seconds: no test waits for a hold to end


def test_a_held_request_is_logged_and_in_flight_while_the_log_still_answers() -> None:
    with Sandbox.start(skus=1, latency=HELD) as sb:
        assert sb.latency == HELD
        product = sb.shop.fourthwall_products[0].id
        with (
            httpx.Client(base_url=sb.fourthwall_url, auth=sb.fourthwall_credentials, timeout=0.5) as fw,
            pytest.raises(httpx.ReadTimeout),
        ):
            fw.get(f"{FW}/products/{product}")  # handled, logged, and held: no answer within the timeout
        assert [(r.path, r.status) for r in sb.requests] == [(f"{FW}/products/{product}", 200)]
        with httpx.Client(base_url=sb.fourthwall_url, timeout=10) as admin:
            assert len(admin.get("/_sandbox/requests").json()) == 1  # admin paths are not held


def test_stopping_drops_the_held_responses() -> None:
    outcome: list[object] = []
    sb = Sandbox.start(skus=1, latency=HELD)

    def wait_for_answer() -> None:
        with httpx.Client(base_url=sb.shipbob_url, headers={"Authorization": f"Bearer {sb.shipbob_token}"}) as client:
            try:
                outcome.append(client.get(f"{SB}/channel", timeout=None).status_code)
            except httpx.TransportError as exc:
                outcome.append(type(exc))

    client_thread = threading.Thread(target=wait_for_answer)
    client_thread.start()
    try:
        for _ in range(600):  # bounded: until the request is logged (then it is held)
            if len(sb.requests):
                break
            time.sleep(0.05)
        logged = len(sb.requests)
    finally:
        sb.stop()
        client_thread.join(60)
    assert logged == 1 and not client_thread.is_alive()
    assert len(outcome) == 1 and outcome[0] != 200  # the connection closed, no answer
    assert isinstance(outcome[0], type) and issubclass(outcome[0], httpx.TransportError)


def test_latency_zero_is_the_default_and_answers_as_before() -> None:
    with Sandbox.start(skus=1) as sb, httpx.Client(base_url=sb.fourthwall_url, auth=sb.fourthwall_credentials) as fw:
        assert sb.latency == 0.0
        assert fw.get(f"{FW}/products").status_code == 200


@pytest.mark.parametrize("latency", [-0.1, math.inf, math.nan])
def test_a_latency_must_be_finite_seconds(latency: float) -> None:
    with pytest.raises(ValueError, match="latency"):
        Sandbox.start(skus=1, latency=latency)
    with pytest.raises(ValueError, match="latency"):
        Sandbox.spawn(skus=1, latency=latency)


@pytest.mark.parametrize("text", ["20", "0/1", "20/0", "20/-1", "x/1", "20/nan", "20/inf", ""])
def test_a_limit_is_requests_per_seconds(text: str) -> None:
    with pytest.raises(ValueError, match="REQUESTS/SECONDS"):
        Limit.parse(text)


def test_a_limit_round_trips_as_text() -> None:
    limit = Limit(requests=20, window=0.1 + 0.2)
    assert Limit.parse(str(limit)) == limit
    assert Limit.parse("20/1") == Limit(requests=20, window=1.0)


def test_a_child_enforces_any_limits_and_holds_responses(child_env: dict[str, str]) -> None:
    limits = RateLimits(shipbob=Limit(requests=2, window=600.0))  # Fourthwall unlimited
    with Sandbox.spawn(skus=1, rate_limits=limits, latency=HELD, env=child_env) as proc:
        assert (proc.rate_limits, proc.latency) == (limits, HELD)
        headers = {"Authorization": f"Bearer {proc.shipbob_token}"}
        for _ in range(3):
            with (
                httpx.Client(base_url=proc.shipbob_url, headers=headers, timeout=0.5) as sb,
                pytest.raises(httpx.ReadTimeout),
            ):
                sb.get(f"{SB}/channel")
        with httpx.Client(base_url=proc.fourthwall_url, auth=proc.fourthwall_credentials, timeout=0.5) as fw:
            for _ in range(3):
                with pytest.raises(httpx.ReadTimeout):
                    fw.get(f"{FW}/products")
        seen = sorted((r.vendor, r.status) for r in proc.requests())
        assert seen == [("fourthwall", 200)] * 3 + [("shipbob", 200)] * 2 + [("shipbob", 429)]
        assert proc.stop() == 0  # a clean exit: the holds end with the sandbox


def test_a_child_takes_one_vendors_limit_alone_or_the_documented_ones(child_env: dict[str, str]) -> None:
    limits = RateLimits(fourthwall=Limit(requests=1, window=600.0))
    with (
        Sandbox.spawn(skus=1, rate_limits=limits, env=child_env) as proc,
        httpx.Client(base_url=proc.fourthwall_url, auth=proc.fourthwall_credentials) as fw,
    ):
        assert [fw.get(f"{FW}/products").status_code for _ in range(2)] == [200, 429]
    documented = RateLimits.documented(time_scale=0.01)
    with (
        Sandbox.spawn(skus=1, rate_limits=documented, env=child_env) as proc,
        httpx.Client(base_url=proc.fourthwall_url, auth=proc.fourthwall_credentials) as fw,
    ):
        assert fw.get(f"{FW}/products").status_code == 200
        assert proc.rate_limits == documented
