"""Auth flows: driven directly as generators (OAuth: bound to a client on an ``httpx.MockTransport`` token
endpoint), and against a real local server (headers on the wire,
one refresh for many concurrent requests, rotated tokens handed to the callback), sync and async."""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fourthwall_client.api.shop import get_current_shop
from shipbob_client.api.channels import get_2026_01_channel

from facade import AsyncFourthwall, Fourthwall, ShipBob
from facade.auth import BasicAuth, BearerAuth, OAuthApp, OAuthRefreshAuth, TokenSet
from facade.errors import AuthenticationError, ConfigurationError, ResponseValidationError, TokenRefreshError
from tests.support.drivers import Mode, client_driven
from tests.support.local_http import LocalServer, Reply, Seen

MODES: list[Mode] = ["sync", "async"]
FW_API = "/open-api/v1.0/shops/current"
SB_API = "/2026-01/channel"
FW_TOKEN = "/open-api/v1.0/platform/token"
TOKEN_URL = "https://auth.example.test/connect/token"


def fw_calls(mode: Mode, client_kwargs: dict[str, Any], calls: int = 1, concurrent: bool = False) -> list[Any]:
    """Run ``calls`` ``get_current_shop`` calls through a Fourthwall client (threads or tasks when ``concurrent``)."""
    options = {"max_retries": 0, "rate_limit": None, **client_kwargs}
    if mode == "sync":
        with Fourthwall(**options) as client:
            if not concurrent:
                return [client.call(get_current_shop.sync_detailed) for _ in range(calls)]
            with ThreadPoolExecutor(max_workers=calls) as pool:
                return list(pool.map(lambda _: client.call(get_current_shop.sync_detailed), range(calls)))

    async def main() -> list[Any]:
        async with AsyncFourthwall(**options) as client:
            if not concurrent:
                return [await client.call(get_current_shop.asyncio_detailed) for _ in range(calls)]
            return list(await asyncio.gather(*(client.call(get_current_shop.asyncio_detailed) for _ in range(calls))))

    return asyncio.run(main())


def sb_call(mode: Mode, client_kwargs: dict[str, Any]) -> Any:
    with client_driven("shipbob", mode, **{"max_retries": 0, "rate_limit": None, **client_kwargs}) as shipbob:
        return shipbob.call(get_2026_01_channel)


# --- generators driven directly ---------------------------------------------------------------------------------


def test_basic_auth_flow_sets_the_header() -> None:
    flow = BasicAuth("shop-user", "pa:ss").sync_auth_flow(httpx.Request("GET", "https://x.test/"))
    request = next(flow)
    assert request.headers["Authorization"] == "Basic " + base64.b64encode(b"shop-user:pa:ss").decode()


def test_bearer_auth_flow_sets_the_header() -> None:
    request = next(BearerAuth("pat_123").sync_auth_flow(httpx.Request("GET", "https://x.test/")))
    assert request.headers["Authorization"] == "Bearer pat_123"


def token_reply(access: str, refresh: str | None = None, expires_in: float | None = 3600) -> httpx.Response:
    body: dict[str, Any] = {"access_token": access, "token_type": "Bearer"}
    if refresh is not None:
        body["refresh_token"] = refresh
    if expires_in is not None:
        body["expires_in"] = expires_in
    return httpx.Response(200, json=body)


class TokenEndpoint:
    """The token endpoint as an ``httpx.MockTransport`` handler: answers with ``replies`` in order, records requests.

    The OAuth flow sends its refresh through the client it is bound to (never yielded: a yielded request would
    follow the client's redirects), so these tests bind it to a client on this transport and drive the flow."""

    def __init__(self, *replies: httpx.Response) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.replies.pop(0)

    def forms(self) -> list[dict[str, str]]:
        return [dict(httpx.QueryParams(r.content.decode())) for r in self.requests]


def bound(auth: OAuthRefreshAuth, endpoint: TokenEndpoint) -> httpx.Client:
    http = httpx.Client(transport=httpx.MockTransport(endpoint))
    auth.bind(http)
    return http


def test_oauth_flow_refreshes_first_then_sends_the_request_with_the_new_token() -> None:
    seen: list[TokenSet] = []
    auth = OAuthRefreshAuth(
        token_url=TOKEN_URL, client_id="cid", client_secret="csecret", refresh_token="rt-1", on_tokens=seen.append
    )
    endpoint = TokenEndpoint(token_reply("at-1", "rt-2"))
    with bound(auth, endpoint):
        flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/x"))
        api_request = next(flow)  # the refresh went first, through the bound client
        (refresh,) = endpoint.requests
        assert (refresh.method, str(refresh.url)) == ("POST", TOKEN_URL)
        assert refresh.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert endpoint.forms() == [
            {"grant_type": "refresh_token", "client_id": "cid", "client_secret": "csecret", "refresh_token": "rt-1"}
        ]
        assert api_request.headers["Authorization"] == "Bearer at-1"
        with pytest.raises(StopIteration):
            flow.send(httpx.Response(200))
    assert [(t.access_token.get_secret_value(), t.refresh_token.get_secret_value()) for t in seen] == [("at-1", "rt-2")]


def test_oauth_flow_refreshes_once_on_401_with_the_rotated_refresh_token() -> None:
    auth = OAuthRefreshAuth(
        token_url=TOKEN_URL, client_id="cid", client_secret="cs", refresh_token="rt-1", access_token="at-old"
    )
    endpoint = TokenEndpoint(token_reply("at-new", "rt-2"), token_reply("at-3"))
    with bound(auth, endpoint):
        flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/x"))
        assert next(flow).headers["Authorization"] == "Bearer at-old"  # a given access token is used first
        assert endpoint.requests == []
        retried = flow.send(httpx.Response(401))
        assert [form["refresh_token"] for form in endpoint.forms()] == ["rt-1"]
        assert retried.headers["Authorization"] == "Bearer at-new"
        with pytest.raises(StopIteration):  # a second 401 is final: no refresh loop
            flow.send(httpx.Response(401))
        # the next request refreshes with the rotated token if it gets a 401 too
        flow2 = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/x"))
        assert next(flow2).headers["Authorization"] == "Bearer at-new"
        assert flow2.send(httpx.Response(401)).headers["Authorization"] == "Bearer at-3"
    assert [form["refresh_token"] for form in endpoint.forms()] == ["rt-1", "rt-2"]


def test_oauth_flow_refreshes_before_expiry_using_the_margin() -> None:
    now = [1000.0]
    auth = OAuthRefreshAuth(
        token_url=TOKEN_URL,
        client_id="c",
        client_secret="s",
        refresh_token="rt",
        refresh_margin=30,
        clock=lambda: now[0],
    )
    endpoint = TokenEndpoint(token_reply("at-1", expires_in=60), token_reply("at-2", expires_in=60))
    with bound(auth, endpoint):

        def header() -> str:
            return next(auth.sync_auth_flow(httpx.Request("GET", "https://api.test/x"))).headers["Authorization"]

        assert header() == "Bearer at-1"
        now[0] = 1029.0  # 31 s before expiry: still good
        assert header() == "Bearer at-1"
        assert len(endpoint.requests) == 1
        now[0] = 1031.0  # 29 s before expiry: inside the margin, refresh first
        assert header() == "Bearer at-2"
    assert [str(r.url) for r in endpoint.requests] == [TOKEN_URL, TOKEN_URL]
    assert auth.refresh_count == 2


def test_oauth_refusal_raises_token_refresh_error_with_the_oauth_code() -> None:
    auth = OAuthRefreshAuth(token_url=TOKEN_URL, client_id="c", client_secret="s", refresh_token="rt")
    refusal = httpx.Response(400, json={"error": "invalid_grant", "error_description": "token revoked"})
    with bound(auth, TokenEndpoint(refusal)), pytest.raises(TokenRefreshError) as caught:
        next(auth.sync_auth_flow(httpx.Request("GET", "https://api.test/x")))
    assert caught.value.code == "invalid_grant"
    assert caught.value.status_code == 400
    assert isinstance(caught.value, AuthenticationError)
    assert "invalid_grant (token revoked)" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "body is not JSON"),
        (b"[]", "body is not a JSON object"),
        (b'{"token_type": "Bearer"}', "access_token missing or not a string"),
        (b'{"access_token": "a", "expires_in": "soon"}', "expires_in is not a number"),
    ],
)
def test_oauth_bad_token_body_is_a_response_validation_error(body: bytes, reason: str) -> None:
    auth = OAuthRefreshAuth(token_url=TOKEN_URL, client_id="c", client_secret="s", refresh_token="rt")
    with (
        bound(auth, TokenEndpoint(httpx.Response(200, content=body))),
        pytest.raises(ResponseValidationError) as caught,
    ):
        next(auth.sync_auth_flow(httpx.Request("GET", "https://api.test/x")))
    assert caught.value.reason == reason


def test_oauth_async_flow_matches_the_sync_one() -> None:
    endpoint = TokenEndpoint(token_reply("at-1", "rt-2"), token_reply("at-2", "rt-3"))

    async def main() -> list[str]:
        auth = OAuthRefreshAuth(token_url=TOKEN_URL, client_id="c", client_secret="s", refresh_token="rt-1")
        async with httpx.AsyncClient(transport=httpx.MockTransport(endpoint)) as http:
            auth.bind(http)
            flow = auth.async_auth_flow(httpx.Request("GET", "https://api.test/x"))
            first = (await flow.__anext__()).headers["Authorization"]  # the flow re-sends the same request object
            retried = (await flow.asend(httpx.Response(401))).headers["Authorization"]
            await flow.aclose()
        return [first, retried]

    assert asyncio.run(main()) == ["Bearer at-1", "Bearer at-2"]
    assert [str(r.url) for r in endpoint.requests] == [TOKEN_URL, TOKEN_URL]
    assert [form["refresh_token"] for form in endpoint.forms()] == ["rt-1", "rt-2"]


def test_an_unbound_oauth_auth_refuses_to_refresh_before_sending_anything() -> None:
    """An auth no client is bound to (or bound to a closed one) cannot send its refresh safely: typed error."""
    auth = OAuthRefreshAuth(token_url=TOKEN_URL, client_id="c", client_secret="s-unbound", refresh_token="rt-unbound")
    with pytest.raises(ConfigurationError, match=r"auth\.bind\(http\)") as caught:
        next(auth.sync_auth_flow(httpx.Request("GET", "https://api.test/x")))
    assert "s-unbound" not in str(caught.value) and "rt-unbound" not in str(caught.value)
    endpoint = TokenEndpoint(token_reply("at-1"))
    bound(auth, endpoint).close()
    with pytest.raises(ConfigurationError):
        next(auth.sync_auth_flow(httpx.Request("GET", "https://api.test/x")))
    assert endpoint.requests == []

    async def unbound_async() -> None:
        await auth.async_auth_flow(httpx.Request("GET", "https://api.test/x")).__anext__()

    with pytest.raises(ConfigurationError):
        asyncio.run(unbound_async())


def test_an_unbound_oauth_auth_uses_a_given_access_token_until_it_needs_a_refresh() -> None:
    auth = OAuthRefreshAuth(
        token_url=TOKEN_URL, client_id="c", client_secret="s", refresh_token="rt", access_token="at-given"
    )
    flow = auth.sync_auth_flow(httpx.Request("GET", "https://api.test/x"))
    assert next(flow).headers["Authorization"] == "Bearer at-given"
    with pytest.raises(ConfigurationError):  # the 401 needs a refresh, which an unbound auth refuses
        flow.send(httpx.Response(401))


# --- headers on the wire ----------------------------------------------------------------------------------------


def fw_api(request: Seen) -> Reply:
    return Reply(204)


@pytest.mark.parametrize("mode", MODES)
def test_basic_sends_base64_user_password(mode: Mode) -> None:
    with LocalServer(fw_api) as server:
        fw_calls(mode, {"auth": BasicAuth("shop-user", "pa55"), "base_url": server.url})
    expected = "Basic " + base64.b64encode(b"shop-user:pa55").decode()
    assert [r.headers["authorization"] for r in server.requests] == [expected]


@pytest.mark.parametrize("mode", MODES)
def test_fourthwall_bearer_sends_the_access_token(mode: Mode) -> None:
    with LocalServer(fw_api) as server:
        fw_calls(mode, {"auth": "fw-at", "base_url": server.url})
    assert [r.headers["authorization"] for r in server.requests] == ["Bearer fw-at"]
    assert server.requests[0].path == FW_API


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("channel_id", [None, 12345])
def test_shipbob_pat_and_channel_header(mode: Mode, channel_id: int | None) -> None:
    with LocalServer(lambda request: Reply(204)) as server:
        sb_call(mode, {"auth": "pat-xyz", "channel_id": channel_id, "base_url": server.url})
    (seen,) = server.requests
    assert seen.headers["authorization"] == "Bearer pat-xyz"
    assert seen.headers.get("shipbob_channel_id") == (None if channel_id is None else "12345")
    assert seen.path == SB_API


# --- OAuth against a real server: concurrency, rotation, 401 ---------------------------------------------------


class TokenServer:
    """Token endpoint plus API: issues at-N/rt-N+1 and accepts only the newest access token."""

    def __init__(self, *, slow_refresh: float = 0.0, slow_401: float = 0.0) -> None:
        self.lock = threading.Lock()
        self.issued = 0
        self.slow_refresh = slow_refresh
        self.slow_401 = slow_401
        self.valid: set[str] = set()

    def __call__(self, request: Seen) -> Reply:
        if request.method == "POST" and request.path.endswith("/token"):
            if self.slow_refresh:
                # Keep the refresh in flight so concurrent requests pile up behind it (not a timing assertion).
                time.sleep(self.slow_refresh)
            with self.lock:
                form = request.form()
                if form.get("refresh_token") != f"rt-{self.issued}":
                    return Reply(400, {"error": "invalid_grant"})
                self.issued += 1
                self.valid = {f"at-{self.issued}"}
                return Reply(
                    200,
                    {"access_token": f"at-{self.issued}", "refresh_token": f"rt-{self.issued}", "expires_in": 300},
                )
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        with self.lock:
            ok = token in self.valid
        if not ok and self.slow_401:
            time.sleep(self.slow_401)  # lets concurrent requests all hold the stale token when their 401s arrive
        return Reply(204) if ok else Reply(401, {"code": "UNAUTHORIZED"})


def oauth_options(server: LocalServer, seen: list[TokenSet], **extra: Any) -> dict[str, Any]:
    app = {"client_id": "app", "client_secret": "app-secret", "refresh_token": "rt-0", **extra}
    return {"auth": OAuthApp(on_tokens=seen.append, **app), "base_url": server.url}


@pytest.mark.parametrize("mode", MODES)
def test_many_concurrent_requests_trigger_one_refresh(mode: Mode) -> None:
    tokens = TokenServer(slow_refresh=0.2)
    seen: list[TokenSet] = []
    with LocalServer(tokens) as server:
        pages = fw_calls(mode, oauth_options(server, seen), calls=8, concurrent=True)
    assert len(pages) == 8
    token_calls = [r for r in server.requests if r.path == FW_TOKEN]
    assert len(token_calls) == 1
    assert token_calls[0].form() == {
        "grant_type": "refresh_token",
        "client_id": "app",
        "client_secret": "app-secret",
        "refresh_token": "rt-0",
    }
    api_calls = [r for r in server.requests if r.path != FW_TOKEN]
    assert {r.headers["authorization"] for r in api_calls} == {"Bearer at-1"}
    assert [t.refresh_token.get_secret_value() for t in seen] == ["rt-1"]


@pytest.mark.parametrize("mode", MODES)
def test_401_triggers_one_refresh_and_the_callback_gets_rotated_tokens(mode: Mode) -> None:
    tokens = TokenServer()
    tokens.issued = 3  # the server expects rt-3 and has revoked every access token
    seen: list[TokenSet] = []
    with LocalServer(tokens) as server:
        fw_calls(mode, oauth_options(server, seen, refresh_token="rt-3", access_token="at-stale"), calls=2)
    assert [r.headers.get("authorization") for r in server.requests if r.path == FW_API] == [
        "Bearer at-stale",
        "Bearer at-4",
        "Bearer at-4",
    ]
    assert [(t.access_token.get_secret_value(), t.refresh_token.get_secret_value()) for t in seen] == [("at-4", "rt-4")]


@pytest.mark.parametrize("mode", MODES)
def test_persistent_401_after_refresh_is_an_authentication_error_not_a_loop(mode: Mode) -> None:
    def always_401(request: Seen) -> Reply:
        if request.path.endswith("/token"):
            return Reply(200, {"access_token": "at-x", "refresh_token": "rt-x", "expires_in": 300})
        return Reply(401, {"code": "UNAUTHORIZED"})

    with LocalServer(always_401) as server, pytest.raises(AuthenticationError) as caught:
        fw_calls(mode, oauth_options(server, [], access_token="at-stale"))
    assert type(caught.value) is AuthenticationError
    assert caught.value.code == "UNAUTHORIZED"
    assert server.paths().count(FW_TOKEN) == 1


@pytest.mark.parametrize("mode", MODES)
def test_refused_refresh_surfaces_as_token_refresh_error(mode: Mode) -> None:
    with LocalServer(TokenServer()) as server, pytest.raises(TokenRefreshError) as caught:
        fw_calls(mode, oauth_options(server, [], refresh_token="rt-revoked"))
    assert caught.value.code == "invalid_grant"


@pytest.mark.parametrize("mode", MODES)
def test_shipbob_oauth_uses_the_configured_token_url(mode: Mode) -> None:
    def handler(request: Seen) -> Reply:
        if request.path == "/connect/token":
            return Reply(200, {"access_token": "sb-at", "refresh_token": "sb-rt2", "expires_in": 3600})
        return Reply(204)

    seen: list[TokenSet] = []
    with LocalServer(handler) as server:
        app = OAuthApp(client_id="c", client_secret="s", refresh_token="sb-rt1", on_tokens=seen.append)
        sb_call(mode, {"auth": app, "token_url": server.url + "/connect/token", "base_url": server.url})
    assert server.paths() == ["/connect/token", SB_API]
    assert server.requests[1].headers["authorization"] == "Bearer sb-at"
    assert seen[0].refresh_token.get_secret_value() == "sb-rt2"


def test_shipbob_default_token_urls_follow_the_environment() -> None:
    app = OAuthApp(client_id="c", client_secret="s", refresh_token="r")
    production = ShipBob(auth=app)
    sandbox = ShipBob(auth=app, environment="sandbox")
    # The repr names the token URL (and never the credentials).
    assert "token_url='https://auth.shipbob.com/connect/token'" in repr(production)
    assert "token_url='https://authstage.shipbob.com/connect/token'" in repr(sandbox)
    assert sandbox.config.base_url == "https://sandbox-api.shipbob.com"


def test_fourthwall_default_token_url_is_under_the_base_url() -> None:
    app = OAuthApp(client_id="c", client_secret="s", refresh_token="r")
    client = Fourthwall(auth=app, base_url="http://127.0.0.1:9")
    assert "token_url='http://127.0.0.1:9/open-api/v1.0/platform/token'" in repr(client)


@pytest.mark.parametrize("mode", MODES)
def test_concurrent_401s_on_a_stale_token_trigger_one_refresh(mode: Mode) -> None:
    tokens = TokenServer(slow_401=0.2)
    tokens.issued = 1  # expects rt-1; the seeded access token is not valid
    seen: list[TokenSet] = []
    with LocalServer(tokens) as server:
        pages = fw_calls(
            mode, oauth_options(server, seen, refresh_token="rt-1", access_token="at-stale"), calls=8, concurrent=True
        )
    assert len(pages) == 8
    assert server.paths().count(FW_TOKEN) == 1
    assert [t.access_token.get_secret_value() for t in seen] == ["at-2"]
