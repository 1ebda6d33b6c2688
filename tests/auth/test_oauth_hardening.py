"""OAuth refresh hardening (issue 18): redirects, timeouts, short-lived tokens, redaction, lost tokens, cancellation.

Each test runs real servers on 127.0.0.1 and a facade client built through the public API
(``Fourthwall(auth=OAuthApp(...))``), sync and async.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fourthwall_client.api.shop import get_current_shop

from facade import AsyncFourthwall, Fourthwall
from facade.auth import OAuthApp, OAuthRefreshAuth, TokenSet
from facade.core._status import error_for_status
from facade.errors import (
    APITimeoutError,
    BadRequestError,
    ConfigurationError,
    ResponseValidationError,
    TokenHandoverError,
    TokenRefreshError,
    TokenRefreshRedirectError,
)
from tests.support.local_http import LocalServer, Reply, Seen

CLIENT_ID = "cid-4711-app"
SECRET = "cs-S3CRET-9f8e7d"
REFRESH = "rt-R0TATE-1a2b3c4d5e"
NEW_REFRESH = "rt-NEW-6f7a8b9c0d"
API_PATH = "/open-api/v1.0/shops/current"
TOKEN_PATH = "/token"


def tokens(access: str = "access-A1-xyz", refresh: str = NEW_REFRESH, expires_in: float = 3600) -> Reply:
    return Reply(200, {"access_token": access, "refresh_token": refresh, "expires_in": expires_in})


def token_posts(server: LocalServer) -> list[Seen]:
    return [r for r in server.requests if r.path == TOKEN_PATH]


def app(server: LocalServer, **options: Any) -> OAuthApp:
    return OAuthApp(
        client_id=CLIENT_ID,
        client_secret=SECRET,
        refresh_token=REFRESH,
        token_url=server.url + TOKEN_PATH,
        **options,
    )


def call_once(mode: str, server: LocalServer, auth: Any, **options: Any) -> None:
    """One ``get_current_shop`` call (the server answers 204) through a fresh client, sync or async."""
    options = {"base_url": server.url, "max_retries": 0, "rate_limit": None, **options}
    if mode == "sync":
        with Fourthwall(auth=auth, **options) as fw:
            fw.call(get_current_shop.sync_detailed)
        return

    async def main() -> None:
        async with AsyncFourthwall(auth=auth, **options) as fw:
            await fw.call(get_current_shop.asyncio_detailed)

    asyncio.run(asyncio.wait_for(main(), 20))


def api_or(handler: Callable[[Seen], Reply]) -> Callable[[Seen], Reply]:
    """The API path answers 204; everything else goes to ``handler`` (the token endpoint)."""
    return lambda seen: Reply(204) if seen.path == API_PATH else handler(seen)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("status", [307, 308])
def test_a_redirect_from_the_token_endpoint_is_never_followed(mode: str, status: int) -> None:
    """Old behaviour: the refresh was yielded through the client with follow_redirects=True, so a 307/308
    re-POSTed client_secret and refresh_token to the other origin, and that origin's token was used."""
    with LocalServer(lambda seen: tokens("access-EVIL")) as other:
        moved = Reply(status, None, headers={"Location": other.url + "/steal?x=1"})
        with LocalServer(api_or(lambda seen: moved)) as server, pytest.raises(TokenRefreshRedirectError) as caught:
            call_once(mode, server, app(server))
    assert other.requests == []  # the other origin received nothing at all
    assert caught.value.status_code == status
    assert caught.value.location == other.url  # origin only, no path or query
    assert isinstance(caught.value, TokenRefreshError)
    assert SECRET not in str(caught.value) and REFRESH not in str(caught.value)


def test_a_plain_httpx_client_that_follows_redirects_never_sends_credentials_elsewhere() -> None:
    """Old behaviour: unbound, the refresh was yielded through the plain ``httpx.Client(follow_redirects=True)``,
    which followed the 307 and re-POSTed client_secret, refresh_token and client_id to the other origin (only
    the foreign token's use was refused). Now an unbound auth refuses to refresh, and a bound one never follows."""
    with LocalServer(lambda seen: tokens("access-EVIL")) as other:
        moved = Reply(307, None, headers={"Location": other.url + "/steal"})
        with LocalServer(api_or(lambda seen: moved)) as server:
            auth = OAuthRefreshAuth(
                token_url=server.url + TOKEN_PATH, client_id=CLIENT_ID, client_secret=SECRET, refresh_token=REFRESH
            )
            with httpx.Client(auth=auth, follow_redirects=True) as http:
                with pytest.raises(ConfigurationError, match=r"auth\.bind\(http\)"):
                    http.get(server.url + API_PATH)
                assert server.requests == []  # unbound: nothing sent at all
                auth.bind(http)
                with pytest.raises(TokenRefreshRedirectError):
                    http.get(server.url + API_PATH)
            api = [r for r in server.requests if r.path == API_PATH]
    assert other.requests == []  # the other origin received nothing: no secret, no refresh token, no client id
    assert api == []  # and no foreign token reached the API


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_refresh_request_has_the_clients_timeout(mode: str) -> None:
    """Old behaviour: the hand-built refresh request carried no timeout, so a token endpoint answering after
    8 s held the caller 8 s despite timeout=1.0 (and then succeeded)."""

    def slow(seen: Seen) -> Reply:
        server.stopping.wait(8)
        return tokens()

    with LocalServer(api_or(slow)) as server, pytest.raises(APITimeoutError):
        call_once(mode, server, app(server), timeout=1.0)


def test_a_token_living_shorter_than_the_margin_is_refreshed_once_per_expiry_sync() -> None:
    """Old behaviour: expires_in=20 with the 30 s margin meant 'expired' right after each refresh, so 50
    concurrent requests made 50 token POSTs."""
    with LocalServer(api_or(lambda seen: tokens(expires_in=20))) as server:
        fw = Fourthwall(auth=app(server), base_url=server.url, max_retries=0, rate_limit=None)
        with fw, concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
            futures = [pool.submit(fw.call, get_current_shop.sync_detailed) for _ in range(50)]
            for future in futures:
                future.result(timeout=20)
        assert len(token_posts(server)) == 1
        assert len(server.requests) == 51


def test_a_token_living_shorter_than_the_margin_is_refreshed_once_per_expiry_async() -> None:
    """Old behaviour: 50 concurrent async requests with expires_in=20 (margin 30 s) made 50 token POSTs."""
    with LocalServer(api_or(lambda seen: tokens(expires_in=20))) as server:

        async def main() -> None:
            async with AsyncFourthwall(auth=app(server), base_url=server.url, max_retries=0, rate_limit=None) as fw:
                await asyncio.gather(*(fw.call(get_current_shop.asyncio_detailed) for _ in range(50)))

        asyncio.run(asyncio.wait_for(main(), 20))
        assert len(token_posts(server)) == 1


def _leaks(secret: str, text: str) -> bool:
    # Any 6-character piece of the secret counts as a leak (the old cut left a 19-character prefix).
    return any(secret[i : i + 6] in text for i in range(len(secret) - 5))


# The detail is ": invalid_grant (" (17 characters) + the description: the refresh token starts at character 190
# and straddles the 200-character cut, so cutting before redacting would leave its first 10 characters.
STRADDLING = {"error": "invalid_grant", "error_description": "x" * 173 + REFRESH}
ECHOING = {"error": f"invalid_grant:{SECRET}", "error_description": f"client_id={CLIENT_ID} secret={SECRET} {REFRESH}"}


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("refusal", [STRADDLING, ECHOING], ids=["straddling-the-cut", "echoing-every-field"])
def test_a_refused_refresh_redacts_before_cutting_and_in_every_field(mode: str, refusal: dict[str, str]) -> None:
    """Old behaviour: redaction ran after the 200-character cut, so a refresh token quoted across the cut
    leaked its first characters into str(exc); exc.code was never redacted and client_id was echoed."""
    with LocalServer(api_or(lambda seen: Reply(400, refusal))) as server, pytest.raises(TokenRefreshError) as caught:
        call_once(mode, server, app(server))
    error = caught.value
    exposed = " ".join([str(error), repr(error), str(error.code), repr(error.body), repr(error.problem)])
    for secret in (REFRESH, SECRET, CLIENT_ID):
        assert not _leaks(secret, exposed), secret
    assert error.code is not None and error.code.startswith("invalid_grant")
    assert "[redacted]" in str(error)


def test_an_api_error_title_quoting_the_token_across_the_cut_is_redacted_first() -> None:
    """The status summary is cut at 200 characters (197 and "..."): a title of 190 characters then the token
    would leave its first 7 characters if the summary were cut before being redacted."""
    token = "pat-STRADDLE-5566778899"
    response = httpx.Response(
        400,
        json={"title": "x" * 190 + token},
        request=httpx.Request("GET", "https://api.test/x", headers={"Authorization": f"Bearer {token}"}),
    )
    error = error_for_status(response, operation="get_current_shop")
    assert "xxxxxxxxxx" in str(error)
    assert not _leaks(token, str(error) + repr(error.problem) + repr(error.body))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_api_error_echoing_the_token_is_redacted_in_code_problem_and_body(mode: str) -> None:
    """Old behaviour: only the message summary was redacted; exc.code, exc.problem and exc.body kept the
    bearer token a server echoed back."""
    token = "pat-ECHOED-5566778899"
    echo = {
        "code": f"BAD_TOKEN_{token}",
        "title": f"token {token} refused",
        "detail": "see below",
        "extra": {"seen": [token, {"Authorization": f"Bearer {token}"}]},
    }
    with LocalServer(lambda seen: Reply(400, echo)) as server, pytest.raises(BadRequestError) as caught:
        call_once(mode, server, token)
    error = caught.value
    exposed = " ".join([str(error), repr(error), repr(error.code), repr(error.problem), repr(error.body)])
    assert not _leaks(token, exposed)
    assert error.code is not None and error.code.startswith("BAD_TOKEN_")


DEEP = b'{"error": ' + b"[" * 1000 + b"]" * 1000 + b"}"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_deep_refusal_from_the_token_endpoint_is_a_token_refresh_error(mode: str) -> None:
    """Old behaviour: a 400 whose body nested 1,000 deep raised a raw RecursionError from the refusal parser."""
    refusal = Reply(400, DEEP, headers={"Content-Type": "application/json"})
    with LocalServer(api_or(lambda seen: refusal)) as server, pytest.raises(TokenRefreshError) as caught:
        call_once(mode, server, app(server))
    assert caught.value.status_code == 400 and caught.value.code is None and caught.value.body is None


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_deep_token_response_is_reported_against_the_refresh(mode: str) -> None:
    """Old behaviour: a 200 nested 1,000 deep raised RecursionError, which the call path then reported as an
    invalid answer of the API operation (get_current_shop), as the response hook had recorded the token response."""
    deep = Reply(200, DEEP, headers={"Content-Type": "application/json"})
    with LocalServer(api_or(lambda seen: deep)) as server, pytest.raises(ResponseValidationError) as caught:
        call_once(mode, server, app(server))
    assert caught.value.operation == "oauth_token_refresh"
    assert caught.value.reason == "body is nested too deeply"
    assert [r.path for r in server.requests] == [TOKEN_PATH]  # the API was never called


def handover_fails_then_call(mode: str, server: LocalServer, auth: Any) -> TokenHandoverError:
    """Two ``get_current_shop`` calls through one client: the first must raise ``TokenHandoverError`` (returned)."""
    options: dict[str, Any] = {"base_url": server.url, "max_retries": 0, "rate_limit": None}
    if mode == "sync":
        with Fourthwall(auth=auth, **options) as fw:
            with pytest.raises(TokenHandoverError) as caught:
                fw.call(get_current_shop.sync_detailed)
            fw.call(get_current_shop.sync_detailed)  # hands the kept tokens over first, then calls the API
        return caught.value

    async def main() -> TokenHandoverError:
        async with AsyncFourthwall(auth=auth, **options) as fw:
            with pytest.raises(TokenHandoverError) as caught:
                await fw.call(get_current_shop.asyncio_detailed)
            await fw.call(get_current_shop.asyncio_detailed)
        return caught.value

    return asyncio.run(asyncio.wait_for(main(), 20))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_on_tokens_raising_keeps_the_tokens_and_hands_them_over_on_the_next_request(mode: str) -> None:
    """Old behaviour: on_tokens' exception escaped raw, and the rotated refresh token was lost for good."""
    saved: list[TokenSet] = []
    failures = [RuntimeError("vault down")]

    def on_tokens(new: TokenSet) -> None:
        if failures:
            raise failures.pop()
        saved.append(new)

    with LocalServer(api_or(lambda seen: tokens())) as server:
        error = handover_fails_then_call(mode, server, app(server, on_tokens=on_tokens))
        carried = error.tokens
        assert carried.refresh_token.get_secret_value() == NEW_REFRESH
        assert NEW_REFRESH not in repr(error) and NEW_REFRESH not in repr(carried)
        assert isinstance(error.__cause__, RuntimeError)
        assert [t.refresh_token.get_secret_value() for t in saved] == [NEW_REFRESH]
        assert len(token_posts(server)) == 1  # no second refresh: the kept access token was used
        api = [r for r in server.requests if r.path == API_PATH]
        assert [r.headers["authorization"] for r in api] == ["Bearer access-A1-xyz"]


def numbered_tokens(expires_in: float) -> Callable[[Seen], Reply]:
    """A token endpoint handing out access-1, access-2, ... each living ``expires_in`` seconds."""
    count = iter(range(1, 1000))
    lock = threading.Lock()

    def answer(seen: Seen) -> Reply:
        with lock:
            return tokens(f"access-{next(count)}", expires_in=expires_in)

    return answer


def api_tokens(server: LocalServer) -> list[str]:
    return [r.headers["authorization"] for r in server.requests if r.path == API_PATH]


def test_a_token_expiring_at_once_serves_its_request_then_the_next_request_refreshes_sync() -> None:
    """expires_in=0 is decided as "expires now": used once, by the request that refreshed, then refreshed again."""
    with LocalServer(api_or(numbered_tokens(0))) as server:
        with Fourthwall(auth=app(server), base_url=server.url, max_retries=0, rate_limit=None) as fw:
            for _ in range(3):
                fw.call(get_current_shop.sync_detailed)
        assert len(token_posts(server)) == 3
        assert api_tokens(server) == ["Bearer access-1", "Bearer access-2", "Bearer access-3"]


def test_a_token_expiring_at_once_serves_every_request_that_waited_for_it_async() -> None:
    """Five concurrent calls queue behind one refresh and all use its token (before: one refresh each, in turn);
    a later call refreshes again."""
    with LocalServer(api_or(numbered_tokens(0))) as server:

        async def main() -> None:
            async with AsyncFourthwall(auth=app(server), base_url=server.url, max_retries=0, rate_limit=None) as fw:
                await asyncio.gather(*(fw.call(get_current_shop.asyncio_detailed) for _ in range(5)))
                await fw.call(get_current_shop.asyncio_detailed)

        asyncio.run(asyncio.wait_for(main(), 20))
        assert len(token_posts(server)) == 2
        assert api_tokens(server) == ["Bearer access-1"] * 5 + ["Bearer access-2"]


def test_a_cancelled_caller_does_not_lose_a_rotating_refresh() -> None:
    """Old behaviour: cancelling the caller while the token POST was in flight aborted it client-side; the
    vendor rotated, on_tokens never saw the new refresh token and every later refresh failed invalid_grant."""
    saved: list[TokenSet] = []
    release = threading.Event()

    def slow_rotation(seen: Seen) -> Reply:
        release.wait(10)
        return tokens()

    with LocalServer(api_or(slow_rotation)) as server:

        async def main() -> None:
            async with AsyncFourthwall(
                auth=app(server, on_tokens=saved.append), base_url=server.url, max_retries=0, rate_limit=None
            ) as fw:
                caller = asyncio.ensure_future(fw.call(get_current_shop.asyncio_detailed))
                for _ in range(500):  # bounded: until the token POST reached the server
                    if token_posts(server):
                        break
                    await asyncio.sleep(0.01)
                caller.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await caller
                release.set()
                for _ in range(500):  # bounded: until the refresh, no longer awaited by anyone, completes
                    if saved:
                        break
                    await asyncio.sleep(0.01)
                await fw.call(get_current_shop.asyncio_detailed)

        asyncio.run(asyncio.wait_for(main(), 20))
        assert [t.refresh_token.get_secret_value() for t in saved] == [NEW_REFRESH]
        assert len(token_posts(server)) == 1
