"""Auth, token rotation, rate limits and the request log, as each vendor behaves."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from facade.sandbox import Limit, RateLimits, Sandbox

FW = "/open-api/v1.0"
SB = "/2026-01"


def test_fourthwall_auth(sandbox: Sandbox) -> None:
    user, password = sandbox.fourthwall_credentials
    with httpx.Client(base_url=sandbox.fourthwall_url) as client:
        assert client.get(f"{FW}/products", auth=(user, password)).status_code == 200
        for auth in (None, (user, "nope"), ("someone", password)):
            response = client.get(f"{FW}/products", auth=auth)
            assert response.status_code == 401
            assert response.json()["code"] == "UNAUTHORIZED"
        assert client.get(f"{FW}/products", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_shipbob_auth(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.shipbob_url) as client:
        ok = client.get(f"{SB}/inventory-level", headers={"Authorization": f"Bearer {sandbox.shipbob_token}"})
        assert ok.status_code == 200
        for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {sandbox.shipbob_token}"}):
            response = client.get(f"{SB}/inventory-level", headers=headers)
            assert response.status_code == 401
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
            assert response.json()["status"] == 401  # ProblemDetails, as the spec declares for inventory
        bare = client.get(f"{SB}/order")
        assert bare.status_code == 401 and bare.content == b""  # the spec declares no body here


@pytest.mark.parametrize("vendor", ["fourthwall", "shipbob"])
def test_oauth_refresh_tokens_rotate_and_access_tokens_expire(vendor: str) -> None:
    with Sandbox.start(seed=7, skus=40, token_ttl=0.3) as sb:
        env = sb.environ(oauth=True)
        prefix = vendor.upper()
        base = sb.fourthwall_url if vendor == "fourthwall" else sb.shipbob_url
        token_url = sb.fourthwall_token_url if vendor == "fourthwall" else sb.shipbob_token_url
        probe = f"{FW}/products" if vendor == "fourthwall" else f"{SB}/channel"
        form = {
            "grant_type": "refresh_token",
            "client_id": env[f"{prefix}_CLIENT_ID"],
            "client_secret": env[f"{prefix}_CLIENT_SECRET"],
            "refresh_token": env[f"{prefix}_REFRESH_TOKEN"],
        }
        with httpx.Client(base_url=base) as client:
            first = client.post(token_url, data=form).raise_for_status().json()
            assert first["refresh_token"] != form["refresh_token"]
            assert client.post(token_url, data=form).status_code == 400  # a spent refresh token
            second = client.post(token_url, data={**form, "refresh_token": first["refresh_token"]})
            assert second.status_code == 200
            assert sb.environ(oauth=True)[f"{prefix}_REFRESH_TOKEN"] == second.json()["refresh_token"]
            access = {"Authorization": f"Bearer {second.json()['access_token']}"}
            assert client.get(probe, headers=access).status_code == 200
            time.sleep(0.4)
            assert client.get(probe, headers=access).status_code == 401  # expired


def test_token_endpoints_take_client_secret_basic(sandbox: Sandbox) -> None:
    creds = sandbox.credentials
    with httpx.Client() as client:
        answer = client.post(
            sandbox.shipbob_token_url,
            auth=(creds.shipbob_client_id, creds.shipbob_client_secret),
            data={"grant_type": "refresh_token", "refresh_token": sandbox.shipbob_tokens.refresh_token},
        )
        assert answer.status_code == 200
        wrong = client.post(
            sandbox.fourthwall_token_url,
            auth=(creds.fourthwall_client_id, "nope"),
            data={"grant_type": "refresh_token", "refresh_token": sandbox.fourthwall_tokens.refresh_token},
        )
        assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


def test_fourthwall_token_endpoint_takes_json_and_authorization_codes(sandbox: Sandbox) -> None:
    creds = sandbox.credentials
    with httpx.Client(base_url=sandbox.fourthwall_url) as client:
        code = sandbox.fourthwall_tokens.authorization_code
        body = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": creds.fourthwall_client_id,
            "client_secret": creds.fourthwall_client_secret,
            "redirect_uri": "https://example.com/cb",
        }
        assert client.post(f"{FW}/platform/token", json=body).status_code == 200
        assert client.post(f"{FW}/platform/token", json=body).status_code == 400  # codes are single use


def test_fourthwall_rate_limit_rolling_window() -> None:
    limits = RateLimits(fourthwall=Limit(requests=5, window=0.5))
    with (
        Sandbox.start(seed=7, skus=40, rate_limits=limits) as sb,
        httpx.Client(base_url=sb.fourthwall_url, auth=sb.fourthwall_credentials) as client,
    ):
        statuses = [client.get(f"{FW}/products").status_code for _ in range(7)]
        assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
        blocked = client.get(f"{FW}/products")
        assert blocked.json() == {"code": "OPEN_API_TOO_MANY_REQUESTS"}
        assert "retry-after" not in blocked.headers  # Fourthwall documents no rate-limit headers
        time.sleep(0.55)
        assert client.get(f"{FW}/products").status_code == 200
        # ShipBob is not limited by Fourthwall's budget
        with httpx.Client(base_url=sb.shipbob_url, headers={"Authorization": f"Bearer {sb.shipbob_token}"}) as other:
            assert all(other.get(f"{SB}/channel").status_code == 200 for _ in range(10))


def test_shipbob_rate_limit_headers() -> None:
    limits = RateLimits.documented(time_scale=0.01)  # 150 per 0.6 s
    with (
        Sandbox.start(seed=7, skus=40, rate_limits=limits) as sb,
        httpx.Client(base_url=sb.shipbob_url, headers={"Authorization": f"Bearer {sb.shipbob_token}"}) as client,
    ):
        responses = [client.get(f"{SB}/channel") for _ in range(200)]
        admitted = [r for r in responses if r.status_code == 200]
        limited = [r for r in responses if r.status_code == 429]
        assert limited, "200 requests never hit 150 per 0.6 s"
        assert [int(r.headers["x-remaining-calls"]) for r in admitted[:3]] == [149, 148, 147]
        for response in limited:
            assert response.headers["x-remaining-calls"] == "0"
            assert 0 < float(response.headers["x-retry-after"]) <= 0.6
        arrivals = [r.arrived for r in sb.requests.records() if r.status == 200]
        for i in range(len(arrivals) - 150):
            assert arrivals[i + 150] - arrivals[i] > 0.6  # never more than 150 in any window


def test_shipbob_retry_after_is_whole_seconds_on_the_documented_window() -> None:
    limits = RateLimits(shipbob=Limit(requests=2, window=60.0))
    with (
        Sandbox.start(seed=7, skus=40, rate_limits=limits) as sb,
        httpx.Client(base_url=sb.shipbob_url, headers={"Authorization": f"Bearer {sb.shipbob_token}"}) as client,
    ):
        responses = [client.get(f"{SB}/channel") for _ in range(3)]
        assert [r.status_code for r in responses] == [200, 200, 429]
        assert responses[2].headers["x-retry-after"] in {"59", "60"}


def test_rate_limits_are_off_by_default(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.shipbob_url, headers={"Authorization": f"Bearer {sandbox.shipbob_token}"}) as c:
        assert all(c.get(f"{SB}/fulfillment-center").status_code == 200 for _ in range(160))
        assert "x-remaining-calls" not in c.get(f"{SB}/location").headers


def test_request_log() -> None:
    with Sandbox.start(seed=7, skus=40) as sb:
        with httpx.Client(base_url=sb.fourthwall_url, auth=sb.fourthwall_credentials) as fw:
            fw.get(f"{FW}/products", params={"page": 1, "size": 5})
            fw.get(f"{FW}/products/missing")
        with httpx.Client(base_url=sb.shipbob_url) as shipbob:
            shipbob.get(f"{SB}/inventory-level")
        records = sb.requests.records()
        assert [(r.vendor, r.method, r.path, r.status) for r in records] == [
            ("fourthwall", "GET", f"{FW}/products", 200),
            ("fourthwall", "GET", f"{FW}/products/missing", 404),
            ("shipbob", "GET", f"{SB}/inventory-level", 401),
        ]
        assert records[0].query == (("page", "1"), ("size", "5"))
        assert records[0].arrived <= records[1].arrived <= records[2].arrived <= time.monotonic()
        assert sb.requests.count(vendor="fourthwall") == 2
        assert sb.requests.count(status=401) == 1
        sb.requests.clear()
        assert len(sb.requests) == 0


def test_environ_names_what_from_env_reads(sandbox: Sandbox) -> None:
    env = sandbox.environ()
    assert env["FOURTHWALL_BASE_URL"] == sandbox.fourthwall_url
    assert (env["FOURTHWALL_USERNAME"], env["FOURTHWALL_PASSWORD"]) == sandbox.fourthwall_credentials
    assert env["SHIPBOB_TOKEN"] == sandbox.shipbob_token and env["SHIPBOB_BASE_URL"] == sandbox.shipbob_url
    assert sandbox.fourthwall_url.startswith("http://127.0.0.1:")
    oauth = sandbox.environ(oauth=True)
    assert "FOURTHWALL_USERNAME" not in oauth and "SHIPBOB_TOKEN" not in oauth
    assert {"FOURTHWALL_CLIENT_ID", "SHIPBOB_REFRESH_TOKEN"} <= oauth.keys()


def test_stop_is_deterministic() -> None:
    sb = Sandbox.start(seed=7, skus=40)
    url = sb.shipbob_url
    keep_alive = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {sb.shipbob_token}"})
    assert keep_alive.get(f"{SB}/location").status_code == 200  # leaves a keep-alive connection open
    threads_before = threading.active_count()
    sb.stop()
    sb.stop()  # idempotent
    assert threading.active_count() < threads_before  # serving and handler threads joined
    with pytest.raises(httpx.TransportError):
        keep_alive.get(f"{SB}/location")  # the open connection was closed too, nothing answers
    keep_alive.close()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + f"{SB}/location", timeout=2)
