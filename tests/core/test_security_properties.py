"""Security properties: no secret in reprs, logs or errors; http:// refused off loopback; TLS verification on;
Authorization never follows a redirect to another origin (two real local servers)."""

from __future__ import annotations

import asyncio
import base64
import logging
import pickle
import ssl
import traceback
from typing import Any

import httpx
import pytest

from facade import AsyncFourthwall, AsyncShipBob, Fourthwall, ShipBob
from facade.auth import BasicAuth, BearerAuth, OAuthApp, OAuthRefreshAuth, Secret, TokenSet
from facade.errors import APIConnectionError, ConfigurationError, FacadeError
from tests.support.drivers import Mode, client_driven
from tests.support.local_http import LocalServer, Reply, Seen

MODES: list[Mode] = ["sync", "async"]
FW_PAGE = {"results": [], "total": 0, "page": 0, "size": 20, "totalPages": 0}
ClientClass = type[Fourthwall] | type[AsyncFourthwall] | type[ShipBob] | type[AsyncShipBob]
CLASSES: list[ClientClass] = [Fourthwall, AsyncFourthwall, ShipBob, AsyncShipBob]


def credentials_for(cls: type) -> dict[str, Any]:  # constructor keyword arguments
    return {"auth": "t"}


# --- plain http ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("url", ["http://api.example.com", "http://10.0.0.5:8080", "ftp://api.example.com", "nope"])
def test_insecure_or_invalid_base_url_is_refused(cls: ClientClass, url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        cls(base_url=url, **credentials_for(cls))
    assert "base_url" in str(caught.value)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:9", "https://x.test"])
def test_loopback_http_and_https_are_accepted(cls: ClientClass, url: str) -> None:
    client = cls(base_url=url, **credentials_for(cls))
    assert client.config.base_url == url


@pytest.mark.parametrize("cls", CLASSES)
def test_http_to_another_host_needs_explicit_consent(cls: ClientClass) -> None:
    client = cls(base_url="http://api.example.com", allow_insecure_http=True, **credentials_for(cls))
    assert client.config.allow_insecure_http is True


@pytest.mark.parametrize("cls", [Fourthwall, ShipBob])
def test_insecure_token_url_is_refused(cls: type[Fourthwall] | type[ShipBob]) -> None:
    with pytest.raises(ConfigurationError, match="token_url"):
        cls(
            auth=OAuthApp(client_id="c", client_secret="s", refresh_token="r"),
            token_url="http://auth.example.com/token",
        )


@pytest.mark.parametrize("mode", MODES)
def test_tls_verification_is_on_by_default(mode: Mode) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    with LocalServer(lambda request: Reply(200, FW_PAGE), tls=server_context) as server:
        assert server.url.startswith("https://127.0.0.1:")
        with pytest.raises(APIConnectionError) as caught:
            run_fourthwall(mode, {"auth": "t", "base_url": server.url})
        assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
        assert server.requests == []  # nothing, credentials included, went to the unverified server
        trusting = ssl.create_default_context()
        ca.configure_trust(trusting)
        page = run_fourthwall(mode, {"auth": "t", "base_url": server.url, "verify": trusting})
    assert page.total == 0
    assert [r.headers["authorization"] for r in server.requests] == ["Bearer t"]


# --- redirects ------------------------------------------------------------------------------------------------


def run_fourthwall(mode: Mode, options: dict[str, Any]) -> Any:
    from fourthwall_client.api.products_offers import get_product_inventory as op

    with client_driven("fourthwall", mode, **{"max_retries": 0, "rate_limit": None, **options}) as fourthwall:
        return fourthwall.call(op, "p1")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "auth",
    [
        {"auth": BasicAuth("u", "p")},
        {"auth": "at"},
        {"auth": OAuthApp(client_id="c", client_secret="s", refresh_token="r")},
    ],
    ids=["basic", "bearer", "oauth"],
)
def test_authorization_is_not_sent_to_another_origin_on_redirect(mode: Mode, auth: dict[str, Any]) -> None:
    with LocalServer(lambda request: Reply(200, FW_PAGE)) as other:

        def origin(request: Seen) -> Reply:
            if request.path.endswith("/token"):
                return Reply(200, {"access_token": "at-1", "refresh_token": "r2", "expires_in": 600})
            return Reply(302, headers={"Location": other.url + request.path})

        with LocalServer(origin) as first:
            page = run_fourthwall(mode, {"base_url": first.url, **auth})
    assert page.total == 0
    api_first = [r for r in first.requests if "inventory" in r.path]
    assert len(api_first) == 1 and api_first[0].headers["authorization"].split()[0] in {"Basic", "Bearer"}
    assert [r.path for r in other.requests] == ["/open-api/v1.0/products/p1/inventory"]
    assert "authorization" not in other.requests[0].headers


@pytest.mark.parametrize("mode", MODES)
def test_cookies_a_response_sets_are_never_sent_back(mode: Mode) -> None:
    from fourthwall_client.api.products_offers import get_product_inventory as op

    def vendor(request: Seen) -> Reply:
        if request.path.endswith("/p1/inventory"):  # a redirect that sets a cookie, as a CDN or balancer might
            location = request.path.replace("/p1/", "/p2/")
            return Reply(302, headers={"Location": location, "Set-Cookie": "hop=h1; Path=/"})
        return Reply(200, FW_PAGE, headers={"Set-Cookie": "session=s1; Path=/"})

    with (
        LocalServer(vendor) as server,
        client_driven("fourthwall", mode, base_url=server.url, auth="t", max_retries=0) as fourthwall,
    ):
        first = fourthwall.call(op, "p1")
        second = fourthwall.call(op, "p1")
    assert first.total == 0 and second.total == 0
    assert [r.path.rsplit("/", 2)[-2] for r in server.requests] == ["p1", "p2", "p1", "p2"]
    assert all("cookie" not in r.headers for r in server.requests), [r.headers for r in server.requests]


# --- secrets never leak -----------------------------------------------------------------------------------------

SECRETS = {
    "username": "user-SECRET-u1",
    "password": "pw-SECRET-p1",
    "access_token": "at-SECRET-a1",
    "client_id": "cid-SECRET-c0",
    "client_secret": "cs-SECRET-c1",
    "refresh_token": "rt-SECRET-r1",
    "rotated_access": "at-SECRET-new",
    "rotated_refresh": "rt-SECRET-new",
    "pat": "pat-SECRET-s1",
}
BASIC_B64 = base64.b64encode(f"{SECRETS['username']}:{SECRETS['password']}".encode()).decode()


def vendor_server(request: Seen) -> Reply:
    if request.path.endswith("/token"):
        if request.form().get("refresh_token") == "rt-SECRET-revoked":
            return Reply(400, {"error": "invalid_grant", "error_description": "refresh token revoked"})
        body = {
            "access_token": SECRETS["rotated_access"],
            "refresh_token": SECRETS["rotated_refresh"],
            "expires_in": 60,
        }
        return Reply(200, body)
    auth = request.headers.get("authorization", "")
    if "inventory" in request.path and auth.endswith(SECRETS["access_token"]):
        return Reply(401, {"code": "UNAUTHORIZED"})  # the seeded token is stale: forces a 401 refresh
    if request.path.startswith("/2026-01/"):
        return Reply(404, {"title": "Not Found", "status": 404, "detail": "no such product"})
    if request.path.endswith("/p-bad/inventory"):
        return Reply(200, b"{truncated")
    return Reply(200, FW_PAGE)


@pytest.mark.parametrize("mode", MODES)
def test_no_secret_in_reprs_logs_or_errors(mode: Mode, caplog: pytest.LogCaptureFixture, unused_port: int) -> None:
    from fourthwall_client.api.products_offers import get_product_inventory as fw_op
    from shipbob_client.api.orders import get_2026_01_order_by_order_id as sb_op

    caplog.set_level(logging.DEBUG)  # the root logger: every library's debug output is captured
    texts: list[str] = []
    rotated: list[TokenSet] = []
    errors: list[BaseException] = []
    common: dict[str, Any] = {"max_retries": 0, "rate_limit": None}

    with LocalServer(vendor_server) as server:
        clients: list[Any] = [
            (Fourthwall if mode == "sync" else AsyncFourthwall)(
                auth=BasicAuth(SECRETS["username"], SECRETS["password"]), base_url=server.url, **common
            ),
            (Fourthwall if mode == "sync" else AsyncFourthwall)(
                auth=OAuthApp(
                    client_id=SECRETS["client_id"],
                    client_secret=SECRETS["client_secret"],
                    refresh_token=SECRETS["refresh_token"],
                    access_token=SECRETS["access_token"],
                    on_tokens=rotated.append,
                ),
                base_url=server.url,
                **common,
            ),
            (Fourthwall if mode == "sync" else AsyncFourthwall)(
                auth=OAuthApp(
                    client_id=SECRETS["client_id"],
                    client_secret=SECRETS["client_secret"],
                    refresh_token="rt-SECRET-revoked",
                ),
                base_url=server.url,
                **common,
            ),
            (ShipBob if mode == "sync" else AsyncShipBob)(auth=SECRETS["pat"], base_url=server.url, **common),
            (ShipBob if mode == "sync" else AsyncShipBob)(
                auth=SECRETS["pat"], base_url=f"http://127.0.0.1:{unused_port}", **common
            ),
        ]
        calls = [(fw_op, "p1"), (fw_op, "p1"), (fw_op, "p1"), (sb_op, 5), (sb_op, 5)]

        async def run_async() -> None:
            for client, (op, arg) in zip(clients, calls, strict=True):
                async with client:
                    for product in (arg, "p-bad") if op is fw_op else (arg,):
                        try:
                            await client.call(op.asyncio_detailed, product)
                        except FacadeError as exc:
                            errors.append(exc)

        if mode == "sync":
            for client, (op, arg) in zip(clients, calls, strict=True):
                with client:
                    for product in (arg, "p-bad") if op is fw_op else (arg,):
                        try:
                            client.call(op.sync_detailed, product)
                        except FacadeError as exc:
                            errors.append(exc)
        else:
            asyncio.run(run_async())

    # The scenarios really happened: a refresh with rotation, a refused refresh, status, body and network errors.
    assert [t.refresh_token.get_secret_value() for t in rotated] == [SECRETS["rotated_refresh"]]
    kinds = {type(e).__name__ for e in errors}
    assert {"TokenRefreshError", "NotFoundError", "ResponseValidationError", "APIConnectionError"} <= kinds
    assert any(r.name.startswith(("httpx", "httpcore")) for r in caplog.records)

    for client in clients:
        texts += [repr(client), str(client), repr(client.config), repr(client.generated)]
    texts += [repr(t) + str(t) for t in rotated]
    for error in errors:
        texts += [str(error), repr(error), "".join(traceback.format_exception(error))]
        if isinstance(error, FacadeError) and error.request is not None:
            texts += [repr(error.request), repr(error.request.headers), str(error.request.url)]
    texts += [caplog.text] + [record.getMessage() for record in caplog.records]
    blob = "\n".join(texts)
    for name, secret in {**SECRETS, "basic": BASIC_B64}.items():
        assert secret not in blob, name


def test_secret_wrapper_redacts_and_refuses_pickling() -> None:
    secret = Secret("s3cr3t-value")
    assert "s3cr3t" not in repr(secret) + str(secret) + f"{secret}" + repr([secret])
    assert secret.get_secret_value() == "s3cr3t-value"
    assert Secret(secret) == secret
    assert Secret("other") != secret
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_auth_reprs_are_redacted() -> None:
    auths = [
        BasicAuth("user-x1", "pw-x1"),
        BearerAuth("tok-x1"),
        OAuthApp(client_id="cid-x1", client_secret="cs-x1", refresh_token="rt-x1"),
        OAuthRefreshAuth(
            token_url="https://a.test/t", client_id="cid-x1", client_secret="cs-x1", refresh_token="rt-x1"
        ),
    ]
    blob = " ".join(repr(a) for a in auths)
    for secret in ("user-x1", "pw-x1", "tok-x1", "cid-x1", "cs-x1", "rt-x1"):
        assert secret not in blob


def test_request_headers_repr_is_redacted_by_httpx() -> None:
    # Errors carry the request; its headers must not print the credential either.
    headers = httpx.Headers({"Authorization": "Bearer tok-x2"})
    assert "tok-x2" not in repr(headers)
